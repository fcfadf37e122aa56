import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, Emulator } from "./emulator";

/*
 * Pulumi stores each resource's provider, serialized, in state (`__provider`) and runs it in a
 * separate plugin process. That text must hold no credential, and must still work there with
 * the credentials handed over by `configure` from the stack's config.
 */
// Async: the test panel runs in this process and must keep answering while the child works.
const run = promisify(execFile);
const helper = path.join(__dirname, "helpers", "serializedProvider.js");
const bin = path.join(__dirname, "..", "bin", "provider", "index.js");
const SECRET = "Sup3r-Secret-Panel-Pw!";
let emu: Emulator;
let texts: Record<string, string>;

beforeAll(async () => {
    if (!fs.existsSync(bin)) throw new Error("bin/ is missing: run `npm run build` first (npm test does)");
    emu = await startEmulator({ users: [{ username: "deployer", password: SECRET, functions: "all" }] });
    // Credentials in the environment of the serializing process must not leak into the text.
    const env = { ...process.env, ISPCONFIG_ENDPOINT: emu.url, ISPCONFIG_USERNAME: "deployer", ISPCONFIG_PASSWORD: SECRET };
    texts = JSON.parse(execFileSync(process.execPath, [helper, "serialize"], { env, encoding: "utf8" }));
});
afterAll(() => emu?.close());

/** `dir` as a project with this package installed (the plugin runs in the project directory). */
function installed(dir: string): void {
    fs.mkdirSync(path.join(dir, "node_modules"), { recursive: true });
    fs.symlinkSync(path.join(__dirname, ".."), path.join(dir, "node_modules", "pulumi-ispconfig"), "dir");
}

describe("serialized provider (__provider in state)", () => {
    it("holds no credential, endpoint or user, and stays small", () => {
        expect(Object.keys(texts)).toEqual(["dnsZone", "aRecord", "dnsRecord", "webDomain", "mailDomain", "mailbox"]);
        for (const [kind, text] of Object.entries(texts)) {
            expect(text, kind).not.toContain(SECRET);
            expect(text, kind).not.toContain("deployer");
            expect(text, kind).not.toContain(emu.url);
            expect(text, kind).not.toContain(path.join(__dirname, ".."));
            expect(text, kind).not.toMatch(/\/(tmp|home|root|work|usr)\//);
            expect(text.length, kind).toBeLessThan(300);
        }
    });

    it("works in a fresh process with credentials only from configure (stack config)", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ispc-ser-"));
        const file = path.join(dir, "job.json");
        installed(dir);
        const config = { "ispconfig:endpoint": emu.url, "ispconfig:username": "deployer", "ispconfig:password": SECRET };
        fs.writeFileSync(file, JSON.stringify({ text: texts.mailDomain, config, args: { domain: "serialized.example.com" } }));
        // No ISPCONFIG_* in this process's environment: configure is the only source.
        const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("ISPCONFIG_") && k !== "PULUMI_ISPCONFIG_RUNTIME"));
        const out = JSON.parse((await run(process.execPath, [helper, "run", file], { env, encoding: "utf8", cwd: dir })).stdout);
        expect(out.failures ?? []).toEqual([]);
        expect(out.outs).toMatchObject({ domain: "serialized.example.com", active: true });
        expect(emu.table("mail_domain").some((r) => r.domain === "serialized.example.com")).toBe(false); // deleted again
        expect(emu.calls.some((c) => c.method === "mail_domain_add")).toBe(true);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("the text the previous version stored (a closure over another machine's path) still works", async () => {
        // Existing stacks: the engine loads each resource's own __provider from state for read,
        // diff and delete, so the old closure text must keep finding this runtime.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ispc-ser-"));
        const file = path.join(dir, "job.json");
        installed(dir);
        const text = fs.readFileSync(path.join(__dirname, "fixtures", "provider-text-v0.1.0-mailDomain.js"), "utf8");
        const config = { "ispconfig:endpoint": emu.url, "ispconfig:username": "deployer", "ispconfig:password": SECRET };
        fs.writeFileSync(file, JSON.stringify({ text, config, args: { domain: "legacy-text.example.com" } }));
        const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("ISPCONFIG_") && k !== "PULUMI_ISPCONFIG_RUNTIME"));
        const out = JSON.parse((await run(process.execPath, [helper, "run", file], { env, encoding: "utf8", cwd: dir })).stdout);
        expect(out.outs).toMatchObject({ domain: "legacy-text.example.com", active: true });
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("a missing setting names the config key and the env var", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ispc-ser-"));
        const file = path.join(dir, "job.json");
        installed(dir);
        fs.writeFileSync(file, JSON.stringify({ text: texts.mailDomain, config: { "ispconfig:endpoint": emu.url }, args: { domain: "x.example.com" } }));
        const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("ISPCONFIG_") && k !== "PULUMI_ISPCONFIG_RUNTIME"));
        let err = "";
        try {
            await run(process.execPath, [helper, "run", file], { env, encoding: "utf8", cwd: dir });
        } catch (e: any) {
            err = String(e.stderr);
        }
        expect(err).toContain("ispconfig:username");
        expect(err).toContain("ISPCONFIG_USERNAME");
        expect(err).toContain("ispconfig:password");
        expect(err).toContain("ISPCONFIG_PASSWORD");
        fs.rmSync(dir, { recursive: true, force: true });
    });
});
