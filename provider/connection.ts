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
