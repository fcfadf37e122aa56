/*
 * Which real panel the live suite and the differential test talk to, and what they may use
 * there. Everything comes from the environment so the same suite runs against the CI panel
 * kit on loopback and against a user's staging panel.
 */

/** Every object the suites create has a name under this domain (RFC 2606 `.invalid`: it can never be anyone's real domain). */
export const TEST_DOMAIN = "pulumi-ispconfig-test.invalid";

export interface LiveConfig {
    endpoint: string;
    username: string;
    password: string;
    /** Client that owns what the suites create (0 = admin). */
    clientId: number;
    serverId: number;
    /** What the panel's MariaDB runs under right now; the test panel is set to match. */
    sqlMode: "relaxed" | "strict";
    /** Remove objects under TEST_DOMAIN left by an earlier run instead of refusing to start. */
    clean: boolean;
    insecure: boolean;
    caFile?: string;
}

const HELP = `The live suite needs a real ISPConfig 3.2 panel:
  ISPCONFIG_LIVE_ENDPOINT   https://panel.example.net:8080/remote/index.php
  ISPCONFIG_LIVE_USERNAME   remote user (see README "Live suite" for the function groups it needs)
  ISPCONFIG_LIVE_PASSWORD   its password
  ISPCONFIG_LIVE_CLIENT_ID  client that may own the test objects (default 0 = admin)
  ISPCONFIG_LIVE_SERVER_ID  server the test objects go on (default 1)
  ISPCONFIG_LIVE_SQL_MODE   relaxed | strict: what the panel's MariaDB runs under (default relaxed)
  ISPCONFIG_LIVE_CLEAN=1    delete objects under *.${TEST_DOMAIN} left by an earlier run
  ISPCONFIG_LIVE_INSECURE=1 / ISPCONFIG_LIVE_CA_FILE  for a panel with a self-signed certificate`;

export function liveConfig(env: NodeJS.ProcessEnv = process.env): LiveConfig {
    const missing = ["ISPCONFIG_LIVE_ENDPOINT", "ISPCONFIG_LIVE_USERNAME", "ISPCONFIG_LIVE_PASSWORD"].filter((k) => !env[k]);
    if (missing.length) throw new Error(`missing ${missing.join(", ")}\n${HELP}`);
    const int = (k: string, d: number) => {
        const v = env[k] ?? String(d);
        if (!/^\d+$/.test(v)) throw new Error(`${k} must be a whole number, got ${JSON.stringify(v)}`);
        return Number(v);
    };
    const mode = (env.ISPCONFIG_LIVE_SQL_MODE ?? "relaxed").toLowerCase();
    if (mode !== "relaxed" && mode !== "strict") throw new Error(`ISPCONFIG_LIVE_SQL_MODE must be relaxed or strict, got ${JSON.stringify(mode)}`);
    return {
        endpoint: env.ISPCONFIG_LIVE_ENDPOINT!,
        username: env.ISPCONFIG_LIVE_USERNAME!,
        password: env.ISPCONFIG_LIVE_PASSWORD!,
        clientId: int("ISPCONFIG_LIVE_CLIENT_ID", 0),
        serverId: int("ISPCONFIG_LIVE_SERVER_ID", 1),
        sqlMode: mode,
        clean: /^(1|true|yes)$/i.test(env.ISPCONFIG_LIVE_CLEAN ?? ""),
        insecure: /^(1|true|yes)$/i.test(env.ISPCONFIG_LIVE_INSECURE ?? ""),
        caFile: env.ISPCONFIG_LIVE_CA_FILE || undefined,
    };
}
