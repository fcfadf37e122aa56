// Smoke test of the real Pulumi CLI that scripts/pulumi-cli.sh provides (built from tools/pulumi-cli,
// see tools/pulumi-cli/README.md): an Automation API inline program with one pulumi.dynamic.Resource,
// against a file backend in a temp dir, through up, preview, refresh, export and destroy, with every
// phone-home switched off. Inline programs do not need the pulumi-language-nodejs language host
// (the Automation API serves the program itself); a Pulumi.yaml project does (project.cli.test.ts).
//
// Nothing here is skipped: when the CLI is not cached yet, beforeAll builds it (several minutes, see
// the hook's timeout); when it cannot be built (no `go`, no module proxy), the tests fail and say why.
// Once cached, the file takes ~15 s.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const repo = path.join(__dirname, "..");
const sdkVersion: string = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")).devDependencies["@pulumi/pulumi"]; // the repo's pinned SDK (users bring their own, a peer)
const secret = "s3cr3t-smoke-pw";
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

// The inline program, run by plain Node in a throw-away project directory whose node_modules is a
// symlink to ours (as in a user's project). Plain Node, not vitest, so that closure serialization sees
// ordinary CommonJS. Writes what each phase returned to $RESULT; the provider logs to $LOG.
const program = String.raw`
const pulumi = require("@pulumi/pulumi");
const { LocalWorkspace, PulumiCommand } = require("@pulumi/pulumi/automation");
const fs = require("fs");
// NODE_PATH let this program find @pulumi/pulumi; the CLI and its plugins must not inherit it.
delete process.env.NODE_PATH;

const log = process.env.LOG;
const provider = {
    async configure(req) {
        const c = req.config;
        const pw = c.get("ispconfig:password");
        require("fs").appendFileSync(log, JSON.stringify({
            event: "configure",
            cwd: process.cwd(),
            keys: Object.keys(c.rawConfig || {}).sort(),
            url: c.get("ispconfig:url"),
            plain: c.get("plain"),
            passwordType: typeof pw,
            passwordSha256: pw === undefined ? null : require("crypto").createHash("sha256").update(String(pw)).digest("hex"),
        }) + "\n");
    },
    async create(inputs) {
        require("fs").appendFileSync(log, JSON.stringify({ event: "create", label: inputs.label }) + "\n");
        return { id: "thing-" + inputs.label, outs: { label: inputs.label, created: true } };
    },
    async read(id, props) {
        require("fs").appendFileSync(log, JSON.stringify({ event: "read", id }) + "\n");
        return { id, props };
    },
    async delete(id) {
        require("fs").appendFileSync(log, JSON.stringify({ event: "delete", id }) + "\n");
    },
};

(async () => {
    const result = {};
    const save = () => fs.writeFileSync(process.env.RESULT, JSON.stringify(result, null, 1));
    const pulumiCommand = await PulumiCommand.get({ root: process.env.CLI_ROOT });
    result.cliVersion = pulumiCommand.version && pulumiCommand.version.toString();
    const stack = await LocalWorkspace.createOrSelectStack(
        {
            stackName: "smoke",
            projectName: "ispconfig-smoke",
            program: async () => {
                const r = new pulumi.dynamic.Resource(provider, "thing", { label: "one" });
                return { id: r.id };
            },
        },
        { workDir: process.cwd(), pulumiCommand },
    );
    await stack.setAllConfig({
        "ispconfig:url": { value: "https://panel.example.test:8080/remote/json.php" },
        "ispconfig:password": { value: process.env.SMOKE_SECRET, secret: true },
        "plain": { value: "project-scoped" },
    });
    const ops = {
        up: async () => { const r = await stack.up(); return { changes: r.summary.resourceChanges, id: r.outputs.id.value, stdout: r.stdout }; },
        preview: async () => ({ changes: (await stack.preview()).changeSummary }),
        refresh: async () => ({ changes: (await stack.refresh()).summary.resourceChanges }),
        export: async () => ({ types: (await stack.exportStack()).deployment.resources.map((r) => r.type) }),
        destroy: async () => ({ changes: (await stack.destroy()).summary.resourceChanges }),
    };
    for (const op of process.env.OPS.split(",")) {
        const t0 = Date.now();
        try {
            result[op] = await ops[op]();
        } catch (e) {
            result[op] = { error: String((e && e.message) || e) };
        }
        result[op].seconds = (Date.now() - t0) / 1000;
        save();
        if (result[op].error) break;
    }
    save();
})().catch((e) => { console.error(e); process.exit(1); });
`;

interface Phase { changes?: Record<string, number>; error?: string; seconds: number; [k: string]: unknown }
interface LogLine { event: string; [k: string]: unknown }

let cli = "";
let root = "";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ispconfig-cli-smoke-"));

/** The child environment: nothing Pulumi-related inherited, every phone-home off (see the README). */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
        if (!k.startsWith("PULUMI_") && k !== "NODE_PATH" && k !== "NODE_OPTIONS" && !k.startsWith("VITEST")) env[k] = v;
    }
    return {
        ...env,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_DISABLE_REGISTRY_RESOLVE: "true",
        // Only what is next to the pulumi binary: no stray plugin from this machine.
        PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
        PULUMI_CONFIG_PASSPHRASE: "smoke-passphrase",
        ...extra,
    };
}

/** Runs the inline program in a fresh project dir; `linkModules` false leaves it without node_modules. */
async function runProgram(name: string, ops: string[], linkModules: boolean) {
    const dir = path.join(tmp, name);
    const project = path.join(dir, "project");
    fs.mkdirSync(path.join(dir, "state"), { recursive: true });
    fs.mkdirSync(path.join(dir, "home"), { recursive: true });
    fs.mkdirSync(project, { recursive: true });
    const programFile = path.join(dir, "smoke.cjs");
    fs.writeFileSync(programFile, program);
    if (linkModules) fs.symlinkSync(path.join(repo, "node_modules"), path.join(project, "node_modules"), "dir");
    const result = path.join(dir, "result.json");
    const log = path.join(dir, "provider.log");
    const env = cleanEnv({
        PULUMI_HOME: path.join(dir, "home"),
        PULUMI_BACKEND_URL: "file://" + path.join(dir, "state"),
        CLI_ROOT: root,
        OPS: ops.join(","),
        RESULT: result,
        LOG: log,
        SMOKE_SECRET: secret,
        // For the program only: it removes this from its env before it starts the CLI.
        NODE_PATH: path.join(repo, "node_modules"),
    });
    // The engine starts plugins in the workspace's workDir, `project`.
    await run(process.execPath, [programFile], {
        cwd: project,
        env,
        timeout: 150_000,
        maxBuffer: 16 * 1024 * 1024,
    }).catch((e) => {
        throw new Error(`inline program crashed: ${e.message}\n${e.stderr ?? ""}`);
    });
    const phases: Record<string, Phase> = JSON.parse(fs.readFileSync(result, "utf8"));
    const lines: LogLine[] = fs.existsSync(log)
        ? fs.readFileSync(log, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l))
        : [];
    return { dir, project, phases, lines };
}

describe("the Pulumi CLI built from tools/pulumi-cli", () => {
    beforeAll(async () => {
        // Ignore any pulumi on PATH: this tests the pinned build (and builds it if it is not cached).
        const { stdout } = await run("bash", [path.join(repo, "scripts", "pulumi-cli.sh")], {
            cwd: repo,
            env: { ...process.env, PULUMI_ISPCONFIG_IGNORE_PATH: "1" },
            timeout: 40 * 60_000,
            maxBuffer: 64 * 1024 * 1024,
        }).catch((e) => {
            throw new Error(`scripts/pulumi-cli.sh could not provide the Pulumi CLI: ${e.message}\n${String(e.stderr ?? "").slice(-4000)}`);
        });
        const lines = stdout.split("\n").filter(Boolean);
        expect(lines, "scripts/pulumi-cli.sh prints the path and nothing else on stdout").toHaveLength(1);
        cli = lines[0];
        root = path.dirname(path.dirname(cli));
    }, 40 * 60_000);

    afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("is the version of @pulumi/pulumi, with our dynamic-provider plugin and language host beside it", async () => {
        expect(path.isAbsolute(cli)).toBe(true);
        const { stdout } = await run(cli, ["version"], { env: cleanEnv({ PULUMI_HOME: path.join(tmp, "version-home") }) });
        expect(stdout.trim()).toBe(`v${sdkVersion}`);
        const bin = path.dirname(cli);
        const plugin = path.join(bin, "pulumi-resource-pulumi-nodejs");
        expect(fs.readFileSync(plugin, "utf8")).toBe(fs.readFileSync(path.join(repo, "scripts", "pulumi-resource-pulumi-nodejs"), "utf8"));
        expect(fs.statSync(plugin).mode & 0o111).not.toBe(0);
        // The stand-in for the Node language host, for `pulumi up` of a Pulumi.yaml project
        // (test/project.cli.test.ts); inline programs below do not start it (the engine talks to
        // the Automation API's own language server over --client).
        expect(fs.readFileSync(path.join(bin, "pulumi-language-nodejs"), "utf8")).toBe(fs.readFileSync(path.join(repo, "scripts", "pulumi-language-nodejs"), "utf8"));
    });

    let lifecycle: Awaited<ReturnType<typeof runProgram>>;

    it("runs an inline program with a dynamic resource through up, preview, refresh, export and destroy", async () => {
        lifecycle = await runProgram("lifecycle", ["up", "preview", "refresh", "export", "destroy"], true);
        const { phases, lines } = lifecycle;
        for (const [op, phase] of Object.entries(phases)) {
            if (typeof phase === "object") expect(phase.error, `${op} failed`).toBeUndefined();
        }
        expect(phases.up.changes).toEqual({ create: 2 });
        expect(phases.up.id).toBe("thing-one");
        expect(phases.preview.changes).toEqual({ same: 2 });
        expect(phases.refresh.changes).toEqual({ same: 2 });
        expect(phases.export.types).toEqual(["pulumi:pulumi:Stack", "pulumi:providers:pulumi-nodejs", "pulumi-nodejs:dynamic:Resource"]);
        expect(phases.destroy.changes).toEqual({ delete: 2 });
        expect(lines.filter((l) => l.event !== "configure")).toEqual([
            { event: "create", label: "one" },
            { event: "read", id: "thing-one" },
            { event: "delete", id: "thing-one" },
        ]);
    }, 180_000);

    it("passes all stack config, namespaces kept and secrets decrypted, to the provider's configure", () => {
        const configures = lifecycle.lines.filter((l) => l.event === "configure");
        // One provider process, configured once, per engine operation: up, preview, refresh, destroy.
        expect(configures).toHaveLength(4);
        for (const c of configures) {
            expect(c).toEqual({
                event: "configure",
                cwd: fs.realpathSync(lifecycle.project),
                keys: ["ispconfig-smoke:plain", "ispconfig:password", "ispconfig:url"],
                url: "https://panel.example.test:8080/remote/json.php",
                plain: "project-scoped",
                passwordType: "string",
                passwordSha256: sha256(secret),
            });
        }
        // ...while the secret stays encrypted in the state and out of the CLI's output.
        const files = fs.readdirSync(path.join(lifecycle.dir, "state"), { recursive: true, encoding: "utf8" });
        expect(files.some((f) => f.endsWith("smoke.json"))).toBe(true);
        for (const f of files) {
            const p = path.join(lifecycle.dir, "state", f);
            if (fs.statSync(p).isFile()) expect(fs.readFileSync(p, "utf8"), p).not.toContain(secret);
        }
        expect(String(lifecycle.phases.up.stdout)).not.toContain(secret);
    });

    it("fails loudly when @pulumi/pulumi cannot be resolved from the program's directory", async () => {
        const { phases } = await runProgram("no-node-modules", ["up"], false);
        expect(phases.up.error).toContain("pulumi-resource-pulumi-nodejs: cannot resolve @pulumi/pulumi/cmd/dynamic-provider");
    }, 120_000);
});
