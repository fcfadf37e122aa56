import { ISPConfigError } from "./soap/errors";

/*
 * Connection settings come from the stack's config (namespace `ispconfig`), handed to the
 * provider's `configure`, or else from environment variables. They live only in the provider
 * process's memory: nothing here is captured into the serialized provider stored in state.
 */
export interface ConnectionSettings {
    endpoint: string;
    username: string;
    password: string;
    insecure: boolean;
    caFile?: string;
    /** Default owner of new records; 0 = admin. */
    clientId: number;
    /** Default server for new records. */
    serverId: number;
    timeoutMs?: number;
    maxConcurrency?: number;
    /** After a DNS write, how long to watch the panel's server job for an error about it (0 = off). */
    dnsApplyWaitSeconds?: number;
}

interface SettingSpec {
    key: keyof ConnectionSettings;
    config: string;
    env: string;
    required?: boolean;
}

export const SETTINGS: readonly SettingSpec[] = [
    { key: "endpoint", config: "ispconfig:endpoint", env: "ISPCONFIG_ENDPOINT", required: true },
    { key: "username", config: "ispconfig:username", env: "ISPCONFIG_USERNAME", required: true },
    { key: "password", config: "ispconfig:password", env: "ISPCONFIG_PASSWORD", required: true },
    { key: "insecure", config: "ispconfig:insecure", env: "ISPCONFIG_INSECURE" },
    { key: "caFile", config: "ispconfig:caFile", env: "ISPCONFIG_CA_FILE" },
    { key: "clientId", config: "ispconfig:clientId", env: "ISPCONFIG_CLIENT_ID" },
    { key: "serverId", config: "ispconfig:serverId", env: "ISPCONFIG_SERVER_ID" },
    { key: "timeoutMs", config: "ispconfig:timeoutMs", env: "ISPCONFIG_TIMEOUT_MS" },
    { key: "maxConcurrency", config: "ispconfig:maxConcurrency", env: "ISPCONFIG_MAX_CONCURRENCY" },
    { key: "dnsApplyWaitSeconds", config: "ispconfig:dnsApplyWaitSeconds", env: "ISPCONFIG_DNS_APPLY_WAIT_SECONDS" },
];

export class ConfigError extends ISPConfigError {}

function intSetting(raw: string | undefined, spec: SettingSpec, fallback: number | undefined, min: number): number | undefined {
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) {
        throw new ConfigError(`ISPConfig setting \`${spec.config}\` (env ${spec.env}) must be a whole number ≥ ${min}, got ${JSON.stringify(raw)}`);
    }
    return n;
}

function rawSetting(get: (configKey: string) => string | undefined, env: NodeJS.ProcessEnv, s: SettingSpec): string | undefined {
    // An empty config value is as good as unset: the env var still applies.
    const fromConfig = get(s.config);
    const v = fromConfig === undefined || fromConfig === "" ? env[s.env] : fromConfig;
    return v === undefined || v === "" ? undefined : v;
}

/**
 * The one error for every required connection setting that is missing (config key and env var
 * of each), or undefined when all are there. The runtime raises it from `configure`, so that a
 * preview of a stack that could never deploy fails (once) instead of passing.
 */
export function missingConnection(get: (configKey: string) => string | undefined, env: NodeJS.ProcessEnv = process.env): ConfigError | undefined {
    const missing = SETTINGS.filter((s) => s.required && rawSetting(get, env, s) === undefined);
    if (missing.length === 0) return undefined;
    return new ConfigError(
        `ISPConfig connection is not configured: ${missing
            .map((s) => `\`${s.config}\` (or env ${s.env})`)
            .join(", ")} missing. Set them with \`pulumi config set <key> <value>\` ` +
            "(the password with `--secret`).",
    );
}

/**
 * Reads every setting from `get` (stack config) with the environment as fallback.
 * `requireConnection` is false for check/diff, which need only the defaults.
 */
export function readSettings(
    get: (configKey: string) => string | undefined,
    env: NodeJS.ProcessEnv = process.env,
    requireConnection = true,
): ConnectionSettings {
    const raw = (s: SettingSpec): string | undefined => rawSetting(get, env, s);
    const missing = requireConnection ? missingConnection(get, env) : undefined;
    if (missing) throw missing;
    const spec = (k: keyof ConnectionSettings) => SETTINGS.find((s) => s.key === k)!;
    const insecureRaw = raw(spec("insecure"));
    if (insecureRaw !== undefined && !/^(true|false)$/i.test(insecureRaw)) {
        throw new ConfigError(`ISPConfig setting \`ispconfig:insecure\` (env ISPCONFIG_INSECURE) must be true or false, got ${JSON.stringify(insecureRaw)}`);
    }
    return {
        endpoint: raw(spec("endpoint")) ?? "",
        username: raw(spec("username")) ?? "",
        password: raw(spec("password")) ?? "",
        insecure: insecureRaw?.toLowerCase() === "true",
        caFile: raw(spec("caFile")),
        clientId: intSetting(raw(spec("clientId")), spec("clientId"), 0, 0)!,
        serverId: intSetting(raw(spec("serverId")), spec("serverId"), 1, 1)!,
        timeoutMs: intSetting(raw(spec("timeoutMs")), spec("timeoutMs"), undefined, 1),
        maxConcurrency: intSetting(raw(spec("maxConcurrency")), spec("maxConcurrency"), undefined, 1),
        dnsApplyWaitSeconds: intSetting(raw(spec("dnsApplyWaitSeconds")), spec("dnsApplyWaitSeconds"), 0, 0),
    };
}

/*
 * Several panels. A hoster with more than one panel names them in `ispconfig:panels` (env
 * ISPCONFIG_PANELS), a JSON object: name → { endpoint, username, password, and optionally
 * insecure, caFile, clientId, serverId, timeoutMs, maxConcurrency, dnsApplyWaitSeconds }. Set it
 * with `--secret` (it holds passwords). A resource with `panel: "<name>"` talks to that one; a
 * resource without `panel` uses the single-panel settings above, unchanged.
 */
export const PANELS = { config: "ispconfig:panels", env: "ISPCONFIG_PANELS" } as const;
const PANEL_EXAMPLE = `pulumi config set --secret ispconfig:panels '{"eu":{"endpoint":"https://panel-eu.example.net:8080/remote/index.php","username":"deployer","password":"…"}}'`;

function panels(get: (configKey: string) => string | undefined, env: NodeJS.ProcessEnv): Record<string, Record<string, unknown>> {
    const fromConfig = get(PANELS.config);
    const raw = fromConfig === undefined || fromConfig === "" ? env[PANELS.env] : fromConfig;
    if (raw === undefined || raw === "") return {};
    let parsed: unknown;
    try {
        parsed = JSON.parse(raw);
    } catch {
        // Never echo the value: it holds passwords.
        throw new ConfigError(`ISPConfig setting \`${PANELS.config}\` (env ${PANELS.env}) is not valid JSON; it must look like: ${PANEL_EXAMPLE}`);
    }
    const ok = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
    if (!ok(parsed) || !Object.values(parsed).every(ok)) {
        throw new ConfigError(`ISPConfig setting \`${PANELS.config}\` (env ${PANELS.env}) must be a JSON object of panel name → settings, e.g.: ${PANEL_EXAMPLE}`);
    }
    return parsed as Record<string, Record<string, unknown>>;
}

/** What is wrong with the named panel's settings (one message naming every missing key), or undefined. */
export function namedPanelProblem(get: (configKey: string) => string | undefined, name: string, env: NodeJS.ProcessEnv = process.env): ConfigError | undefined {
    let all: Record<string, Record<string, unknown>>;
    try {
        all = panels(get, env);
    } catch (e) {
        return e as ConfigError;
    }
    const p = all[name];
    if (!p) {
        const known = Object.keys(all);
        return new ConfigError(
            `\`panel\` is "${name}", but \`${PANELS.config}\` (env ${PANELS.env}) ${known.length ? `names only ${known.map((k) => `"${k}"`).join(", ")}` : "is not set"}. ` +
                `Add it: ${PANEL_EXAMPLE.replace('"eu"', JSON.stringify(name))}`,
        );
    }
    const missing = (["endpoint", "username", "password"] as const).filter((k) => typeof p[k] !== "string" || p[k] === "");
    if (missing.length === 0) return undefined;
    return new ConfigError(`ISPConfig panel "${name}" in \`${PANELS.config}\` lacks ${missing.map((k) => `\`${k}\``).join(", ")}; set it with \`pulumi config set --secret ${PANELS.config} '…'\`.`);
}

/** The settings of a panel named in `ispconfig:panels` (same defaults as the single panel's). */
export function readPanelSettings(
    get: (configKey: string) => string | undefined,
    name: string,
    env: NodeJS.ProcessEnv = process.env,
    requireConnection = true,
): ConnectionSettings {
    const problem = namedPanelProblem(get, name, env);
    if (problem && (requireConnection || !panels(get, env)[name])) throw problem;
    const p = panels(get, env)[name];
    const panelGet = (key: string) => {
        const v = p[key.replace(/^ispconfig:/, "")];
        return v === undefined || v === null ? undefined : String(v);
    };
    try {
        return readSettings(panelGet, {}, false);
    } catch (e: any) {
        // Name the key where it lives: inside the panels object.
        if (e instanceof ConfigError) e.message = e.message.replace(/`ispconfig:(\w+)` \(env \w+\)/, `\`${PANELS.config}\` → "${name}".$1`);
        throw e;
    }
}

/** Every panel password the settings hold (single panel and named ones), for masking errors; never throws. */
export function knownPasswords(get: (configKey: string) => string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
    const out: string[] = [];
    const single = rawSetting(get, env, SETTINGS.find((s) => s.key === "password")!);
    if (single) out.push(single);
    try {
        for (const p of Object.values(panels(get, env))) if (typeof p.password === "string" && p.password) out.push(p.password);
    } catch {
        // Unparsable panels JSON: its error message never echoes the value.
    }
    return out;
}
