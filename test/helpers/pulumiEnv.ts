import * as path from "node:path";

/**
 * The Pulumi settings of a throw-away CLI run under `dir`: its own PULUMI_HOME and local file
 * backend (`dir/home`, `dir/state`), a throw-away passphrase, no phone-home, and only the plugins
 * beside the CLI (the language host and the dynamic-provider plugin are ours).
 */
export function throwAwayPulumiEnv(dir: string): Record<string, string> {
    return {
        PULUMI_HOME: path.join(dir, "home"),
        PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
        PULUMI_CONFIG_PASSPHRASE: "throw-away-test-passphrase",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_DISABLE_REGISTRY_RESOLVE: "true",
        PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
    };
}
