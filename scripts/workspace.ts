/*
 * Running the example through the real Pulumi CLI, offline: the CLI built from the Go module
 * proxy (scripts/pulumi-cli.sh), a local file backend, a throw-away passphrase and PULUMI_HOME,
 * and every phone-home switched off (tools/pulumi-cli/README.md). The example runs as an
 * Automation API inline program, so no pulumi-language-nodejs is needed.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { ConfigMap, LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { customerSite } from "../examples/customer-site/program";

const run = promisify(execFile);

export function repoRoot(): string {
    let d = __dirname;
    while (!fs.existsSync(path.join(d, "package.json"))) d = path.dirname(d);
    return d;
}

/** The pinned CLI: on PATH, cached, or built now (several minutes, once per machine). */
export async function pulumiCli(): Promise<PulumiCommand> {
    const { stdout } = await run("bash", [path.join(repoRoot(), "scripts", "pulumi-cli.sh")], {
        maxBuffer: 64 * 1024 * 1024,
        timeout: 40 * 60_000,
    }).catch((e) => {
        throw new Error(`could not provide the Pulumi CLI: ${e.message}\n${String(e.stderr ?? "").slice(-3000)}`);
    });
    const cli = stdout.trim().split("\n").pop()!;
    return PulumiCommand.get({ root: path.dirname(path.dirname(cli)), skipVersionCheck: false });
}

export interface Workspace {
    /** Where state, PULUMI_HOME and the project dir live. */
    dir: string;
    stateDir: string;
    project: string;
    envVars: Record<string, string>;
    cli: PulumiCommand;
}

/**
 * A project directory that reaches this repo's node_modules (the engine starts the dynamic
 * provider plugin there, and the plugin resolves @pulumi/pulumi from there), outside the repo
 * so the Automation API never rewrites the example's Pulumi.yaml.
 */
export async function prepareWorkspace(given?: string): Promise<Workspace> {
    const dir = given ?? fs.mkdtempSync(path.join(os.tmpdir(), "ispconfig-e2e-"));
    // The state, PULUMI_HOME and project are throw-away: they go when the driver ends, however
    // it ends (the demo is often left with Ctrl-C). A directory the caller chose is the caller's.
    if (given === undefined) removeOnExit(dir);
    const project = path.join(dir, "project");
    const stateDir = path.join(dir, "state");
    for (const d of [project, stateDir, path.join(dir, "home")]) fs.mkdirSync(d, { recursive: true });
    const nm = path.join(project, "node_modules");
    if (!fs.existsSync(nm)) fs.symlinkSync(path.join(repoRoot(), "node_modules"), nm, "dir");
    const envVars = {
        PULUMI_HOME: path.join(dir, "home"),
        PULUMI_BACKEND_URL: `file://${stateDir}`,
        PULUMI_CONFIG_PASSPHRASE: "throw-away-demo-passphrase",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_DISABLE_REGISTRY_RESOLVE: "true",
    };
    // The CLI inherits the driver's environment: keep ISPCONFIG_* out of it, so the only way
    // credentials reach the provider is the stack's config (what users do).
    for (const k of Object.keys(process.env)) if (k.startsWith("ISPCONFIG_")) delete process.env[k];
    Object.assign(process.env, envVars);
    delete process.env.NODE_PATH;
    // An inline program's plugins start in the driver's working directory (the engine takes the
    // program's cwd), so that is where @pulumi/pulumi must resolve from.
    process.chdir(project);
    return { dir, stateDir, project, envVars, cli: await pulumiCli() };
}

function removeOnExit(dir: string): void {
    const remove = () => fs.rmSync(dir, { recursive: true, force: true });
    process.once("exit", remove);
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
        process.once(signal, () => {
            remove();
            process.exit(128 + (signal === "SIGINT" ? 2 : 15));
        });
    }
}

/** The customer-site example as a stack of this workspace, with `config` set. */
export async function exampleStack(ws: Workspace, stackName: string, config: ConfigMap): Promise<Stack> {
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName, projectName: "customer-site", program: async () => customerSite() },
        { workDir: ws.project, pulumiCommand: ws.cli, envVars: ws.envVars },
    );
    await stack.setAllConfig(config);
    return stack;
}
