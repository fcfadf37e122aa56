import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userCliEnv } from "./helpers/pulumiEnv";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { Emulator, startEmulator } from "./emulator";

/*
 * The repo root as a user's Pulumi project: `pulumi stack init`, `config set`, `up`, `preview`,
 * `stack export` and `destroy` typed at the command line, with the root Pulumi.yaml running
 * examples/customer-site/index.ts through the Node language host (our stand-in,
 * scripts/pulumi-language-nodejs, beside the CLI we build). This is the path the Automation API
 * tests do not cover: Pulumi.yaml's `main` and `config` schema, the stack's Pulumi.dev.yaml,
 * ts-node compiling the example, and `pulumi-ispconfig` resolved by its package name.
 *
 * The project directory is a mirror of the repo root (symlinks, and a copy of Pulumi.dev.yaml,
 * which `stack init` writes its encryption salt into), so the repo is never written to.
 */
const run = promisify(execFile);
const repo = path.join(__dirname, "..");
const PANEL_PASSWORD = "ApiPass123!";
const INFO_PASSWORD = "Info-Mailbox-Pass-7391!";
const ADMIN_PASSWORD = "Admin-Mailbox-Pass-8462!";

let emu: Emulator;
let cli = "";
let project = "";
let env: NodeJS.ProcessEnv = {};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ispconfig-project-"));

async function pulumi(args: string[]) {
    const t0 = Date.now();
    const before = emu.calls.length;
    const r = await run(cli, [...args, "--non-interactive"], { cwd: project, env, maxBuffer: 64 << 20, timeout: 10 * 60_000 }).catch((e) => {
        throw new Error(`pulumi ${args.join(" ")} failed: ${e.message}\n${String(e.stdout ?? "").slice(-3000)}\n${String(e.stderr ?? "").slice(-3000)}`);
    });
    const calls = emu.calls.slice(before);
    process.stdout.write(`project pulumi ${args[0]}: ${((Date.now() - t0) / 1000).toFixed(1)} s, ${calls.length} SOAP calls (${calls.filter((c) => c.method === "login").length} logins)\n`);
    return { ...r, calls };
}

const count = (t: string) => emu.table(t).length;

beforeAll(async () => {
    const { stdout } = await run("bash", [path.join(repo, "scripts", "pulumi-cli.sh")], { cwd: repo, timeout: 45 * 60_000, maxBuffer: 64 << 20 });
    cli = stdout.trim().split("\n").pop()!;
    emu = await startEmulator();

    project = path.join(tmp, "project");
    fs.mkdirSync(project);
    for (const f of ["Pulumi.yaml", "package.json", "tsconfig.json", "node_modules", "bin", "provider", "examples"]) {
        fs.symlinkSync(path.join(repo, f), path.join(project, f));
    }
    fs.copyFileSync(path.join(repo, "Pulumi.dev.yaml"), path.join(project, "Pulumi.dev.yaml"));
    for (const d of ["state", "home"]) fs.mkdirSync(path.join(tmp, d));
    env = userCliEnv(tmp);

    await pulumi(["stack", "init", "dev"]);
    await pulumi(["config", "set", "ispconfig:endpoint", emu.url]);
    await pulumi(["config", "set", "ispconfig:username", "apiuser"]);
    await pulumi(["config", "set", "--secret", "ispconfig:password", PANEL_PASSWORD]);
    await pulumi(["config", "set", "--secret", "infoPassword", INFO_PASSWORD]);
    await pulumi(["config", "set", "--secret", "adminPassword", ADMIN_PASSWORD]);
}, 45 * 60_000);

afterAll(async () => {
    await emu?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
});

describe("the repo root as a Pulumi project, driven by the plain CLI", () => {
    let upOut = "";

    it("pulumi up runs examples/customer-site from Pulumi.yaml with the dev stack's config and creates the site", async () => {
        const r = await pulumi(["up", "--yes", "--skip-preview"]);
        upOut = r.stdout + r.stderr;
        // The stack's Pulumi.dev.yaml chose the domain; Pulumi.yaml's default chose the quota.
        expect(emu.table("dns_soa").map((z) => z.origin)).toEqual(["dev.customer.example."]);
        expect(emu.table("dns_rr").map((x) => [x.name, x.type, x.data]).sort()).toEqual([
            ["_dmarc", "TXT", "v=DMARC1; p=quarantine; rua=mailto:postmaster@dev.customer.example"],
            ["dev.customer.example.", "A", "192.0.2.10"],
            ["dev.customer.example.", "AAAA", "2001:db8::10"],
            ["dev.customer.example.", "MX", "mail.dev.customer.example."],
            ["dev.customer.example.", "NS", "ns1.dev.customer.example."],
            ["dev.customer.example.", "TXT", "v=spf1 mx -all"],
            ["mail", "A", "192.0.2.10"],
            ["ns1", "A", "192.0.2.10"],
            ["www", "CNAME", "dev.customer.example."],
        ]);
        expect(emu.table("web_domain").map((w) => w.domain)).toEqual(["dev.customer.example"]);
        expect(emu.table("mail_user").map((m) => [m.email, Number(m.quota)]).sort()).toEqual([
            ["admin@dev.customer.example", 512 * 1024 * 1024],
            ["info@dev.customer.example", 512 * 1024 * 1024],
        ]);
        expect(r.calls.filter((c) => c.method === "login")).toHaveLength(1);
        expect(upOut).toMatch(/\+ 15 created/); // the stack and its 14 resources

        const { stdout } = await pulumi(["stack", "output", "--json"]);
        const outs = JSON.parse(stdout);
        expect(outs.documentRoot).toMatch(/^\/var\/www\/clients\/client0\/web\d+$/);
        expect(outs.mailboxes).toEqual(["info@dev.customer.example", "admin@dev.customer.example"]);
        expect(outs.recordNames).toEqual(["dev.customer.example.", "www.dev.customer.example.", "mail.dev.customer.example."]);
    });

    it("pulumi preview right after: no changes, no call to the panel", async () => {
        const r = await pulumi(["preview", "--json"]);
        const summary = JSON.parse(r.stdout).changeSummary;
        expect(summary).toEqual({ same: 15 });
        expect(r.calls).toHaveLength(0);
    });

    it("a config change at the command line: the three A records made from webIp update, nothing else", async () => {
        await pulumi(["config", "set", "webIp", "192.0.2.77"]);
        const p = await pulumi(["preview", "--json"]);
        expect(JSON.parse(p.stdout).changeSummary).toEqual({ same: 12, update: 3 });
        expect(p.calls).toHaveLength(0);
        await pulumi(["up", "--yes", "--skip-preview"]);
        expect(emu.table("dns_rr").filter((x) => x.type === "A").map((x) => x.data)).toEqual(["192.0.2.77", "192.0.2.77", "192.0.2.77"]);
    });

    it("bad config fails the preview with the field named, before any call to the panel", async () => {
        await pulumi(["config", "set", "webIp", "192.0.2.300"]);
        const before = emu.calls.length;
        const err = await pulumi(["preview"]).then(() => undefined, (e: Error) => e.message);
        await pulumi(["config", "set", "webIp", "192.0.2.77"]);
        expect(err).toMatch(/`address` must be an IPv4 address like 192\.0\.2\.10/);
        expect(err).toMatch(/192\.0\.2\.300/);
        expect(emu.calls.length).toBe(before);
    });

    it("the state, the backend's files and the CLI's output hold no panel password, mailbox password or hash", async () => {
        const hashes = emu.table("mail_user").map((u) => String(u.password)).filter(Boolean);
        expect(hashes).toHaveLength(2);
        const { stdout: exported } = await pulumi(["stack", "export"]);
        const backend = (function walk(d: string): string[] {
            return fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [fs.readFileSync(path.join(d, e.name), "latin1")]));
        })(path.join(tmp, "state"));
        const haystacks = [exported, upOut, fs.readFileSync(path.join(project, "Pulumi.dev.yaml"), "utf8"), ...backend];
        for (const secret of [PANEL_PASSWORD, INFO_PASSWORD, ADMIN_PASSWORD, ...hashes]) {
            for (const h of haystacks) expect(h.includes(secret), "a secret in plain text").toBe(false);
        }
        expect(exported).toContain("__provider");
    });

    it("pulumi destroy leaves the panel empty", async () => {
        await pulumi(["destroy", "--yes", "--skip-preview"]);
        for (const t of ["dns_soa", "dns_rr", "web_domain", "mail_domain", "mail_user"]) expect(count(t), t).toBe(0);
    });
});
