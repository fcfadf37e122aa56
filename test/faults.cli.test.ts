import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

/*
 * Issue 5's fault-injection suite through the real Pulumi CLI (scripts/faults.ts, plain Node).
 * Each fault kind hits the 5th mutating call of a create, an update and a delete of a 24-resource
 * program (24 resources, all five types); after a second run without the fault, the panel must match Pulumi's state exactly.
 */
const run = promisify(execFile);
const repo = path.join(__dirname, "..");
const driver = path.join(repo, "bin", "scripts", "faults.js");
let results: any[] = [];

let resultsDir = "";
afterAll(() => {
    if (resultsDir) fs.rmSync(resultsDir, { recursive: true, force: true });
});

beforeAll(async () => {
    if (!fs.existsSync(driver)) throw new Error("bin/ is missing: run `npm run build` first (npm test does)");
    resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), "ispc-faults-"));
    const out = path.join(resultsDir, "results.json");
    const r = await run(process.execPath, [driver, out], { cwd: repo, timeout: 60 * 60_000, maxBuffer: 64 << 20 }).catch((e) => {
        throw new Error(`fault driver failed: ${e.message}\n${String(e.stdout ?? "").slice(-3000)}\n${String(e.stderr ?? "").slice(-4000)}`);
    });
    process.stdout.write(r.stdout);
    results = JSON.parse(fs.readFileSync(out, "utf8"));
    const injected = results.filter((x) => x.op).length;
    const bad = results.filter((x) => x.op).reduce((s, x) => s + x.orphans + x.duplicates + x.missing, 0);
    process.stdout.write(`faults summary: ${injected} scenarios with an injected fault, orphans+duplicates+missing = ${bad}\n`);
}, 60 * 60_000);

const KINDS = ["html500", "proxy502", "emptyBody", "truncated", "drop", "timeout", "lostResponse", "databaseError", "expireSessions"];
const OPS = ["create", "update", "delete"];

describe("faults on the 5th mutating call, then a clean run: the panel matches the state", () => {
    it.each(KINDS.flatMap((k) => OPS.map((o) => [k, o])))("%s on %s", (kind, op) => {
        const r = results.find((x) => x.kind === kind && x.op === op);
        expect(r, "scenario ran").toBeDefined();
        expect(r.injected, "the fault was injected").toBeGreaterThanOrEqual(1);
        expect(r.detail).toEqual([]);
        expect([r.orphans, r.duplicates, r.missing]).toEqual([0, 0, 0]);
        if (op === "update") {
            expect(r.applied, "the update landed on the second run").toBe(true);
            expect(r.untouchedSame, "records the update did not target are unchanged").toBe(true);
        }
        if (op === "delete") expect(r.panelRows).toBe(0);
        else expect(r.stateCount).toBe(24);
        if (kind === "expireSessions") {
            // A session the panel ends mid-run costs one re-login and no failure.
            expect(r.firstRun).toBe("ok");
            expect(r.loginsInFaultedRun).toBe(op === "create" ? 2 : 2);
        }
        if (kind === "lostResponse" && op === "create") expect(r.firstRun, "the lost add is adopted within the same run").toBe("ok");
    });
});

describe("credentials, permissions and load", () => {
    it("a wrong panel password with 100 resources: exactly one login attempt, one clear error, no lockout", () => {
        const r = results.find((x) => x.kind === "wrongPassword");
        expect(r.resources).toBe(100);
        expect(r.loginAttempts).toBe(1);
        expect(r.panelFailures).toBeLessThan(10);
        expect(r.otherCalls).toBe(0);
        expect(r.firstRun).toMatch(/login failed|login_failed/i);
        expect(r.firstRun).not.toContain("Not-The-Password-9");
    });

    it("a remote user lacking a permission gets an error naming the function to enable", () => {
        const r = results.find((x) => x.kind === "permissionDenied");
        expect(r.firstRun).toMatch(/dns_a_/);
        expect(r.firstRun).toMatch(/Remote Users/);
    });

    it("secrets audit: no panel password, mailbox password or hash in any error, CLI output, export or backend file", () => {
        const r = results.find((x) => x.kind === "secretsAudit");
        expect(r.texts).toBeGreaterThan(50);
        expect(r.files).toBeGreaterThan(0);
        expect(r.needles).toBeGreaterThan(4);
        // The client's wire log (ISPCONFIG_DEBUG=wire) was among what was searched.
        expect(r.wireMailboxAdds).toBeGreaterThan(0);
        expect(r.wireMaskedPasswords).toBeGreaterThan(0);
        expect(r.hits).toBe(0);
    });

    it("100 resources at once: one login, and the same panel contents as one call at a time", () => {
        const r = results.find((x) => x.kind === "concurrency");
        expect(r.loginsParallel).toBe(1);
        expect(r.loginsSerial).toBe(1);
        expect(r.identical).toBe(true);
        // The cap holds however many resources the engine starts at once.
        expect(r.peakParallel).toBeLessThanOrEqual(8);
        expect(r.peakSerial).toBe(1);
    });
});
