import * as fs from "node:fs";
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

/**
 * The environment of a CLI run as a user would have it: this process's variables without what
 * would leak in from the test runner (vitest's, NODE_PATH/NODE_OPTIONS, PULUMI_*, ISPCONFIG_*),
 * plus the throw-away settings under `dir`.
 */
export function userCliEnv(dir: string): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
        if (!k.startsWith("PULUMI_") && !k.startsWith("ISPCONFIG_") && !k.startsWith("VITEST") && k !== "NODE_PATH" && k !== "NODE_OPTIONS") env[k] = v;
    }
    return { ...env, ...throwAwayPulumiEnv(dir) };
}

/**
 * A user's project in `dir`: Pulumi.yaml running `program` (index.js), a package.json, this
 * package installed by name (node_modules symlinks to the repo, as `npm install` of it would
 * give), and its own state and home. Returns the environment to run the CLI in it.
 */
export function userProject(dir: string, name: string, program: string): NodeJS.ProcessEnv {
    const repo = path.join(__dirname, "..", "..");
    fs.mkdirSync(path.join(dir, "node_modules"), { recursive: true });
    fs.symlinkSync(path.join(repo, "node_modules", "@pulumi"), path.join(dir, "node_modules", "@pulumi"), "dir");
    fs.symlinkSync(repo, path.join(dir, "node_modules", "pulumi-ispconfig"), "dir");
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\nmain: index.js\n`);
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, version: "1.0.0", private: true }));
    fs.writeFileSync(path.join(dir, "index.js"), program);
    for (const d of ["state", "home"]) fs.mkdirSync(path.join(dir, d));
    return userCliEnv(dir);
}
