import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

/*
 * The example through the real Pulumi engine (scripts/e2e.ts, run as plain Node: the engine
 * serializes each provider into state and runs it in its own plugin process). Needs the
 * compiled bin/ (npm test builds it) and the pinned CLI (built once per machine if missing).
 */
const run = promisify(execFile);
const repo = path.join(__dirname, "..");
const driver = path.join(repo, "bin", "scripts", "e2e.js");

type Row = Record<string, any>;
interface Step { step: string; seconds: number; soapCalls: number; logins: number; [k: string]: any }
let steps: Step[] = [];
let clientGroup = 0;
const get = (name: string) => steps.find((s) => s.step.startsWith(name))!;

let resultsDir = "";
afterAll(() => {
    if (resultsDir) fs.rmSync(resultsDir, { recursive: true, force: true });
});

beforeAll(async () => {
    if (!fs.existsSync(driver)) throw new Error("bin/ is missing: run `npm run build` first (npm test does)");
    resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), "ispc-e2e-"));
    const out = path.join(resultsDir, "results.json");
    const r = await run(process.execPath, [driver, out], { cwd: repo, timeout: 45 * 60_000, maxBuffer: 64 << 20 }).catch((e) => {
        throw new Error(`e2e driver failed: ${e.message}\n${String(e.stdout ?? "").slice(-2000)}\n${String(e.stderr ?? "").slice(-4000)}`);
    });
    // Wall time and SOAP calls per step, in the test output.
    process.stdout.write(r.stdout);
    const d = JSON.parse(fs.readFileSync(out, "utf8"));
    steps = d.steps;
    clientGroup = d.clientGroup;
}, 45 * 60_000);

describe("the customer-site example through the Pulumi CLI", () => {
    it("1. up creates exactly the declared records, owned by the configured client, A records typed, serial moved", () => {
        const s = get("1 up");
        expect(s.changes).toEqual({ create: 15 });
        const t = s.tables;
        expect(t.dns_soa.map((z: Row) => z.origin)).toEqual(["dev.customer.example."]);
        expect(t.dns_rr.map((r: Row) => [r.name, r.type, r.data, Number(r.aux)]).sort()).toEqual([
            ["_dmarc", "TXT", "v=DMARC1; p=quarantine; rua=mailto:postmaster@dev.customer.example", 0],
            ["dev.customer.example.", "A", "192.0.2.10", 0],
            ["dev.customer.example.", "AAAA", "2001:db8::10", 0],
            ["dev.customer.example.", "MX", "mail.dev.customer.example.", 10],
            ["dev.customer.example.", "NS", "ns1.dev.customer.example.", 0],
            ["dev.customer.example.", "TXT", "v=spf1 mx -all", 0],
            ["mail", "A", "192.0.2.25", 0],
            ["ns1", "A", "192.0.2.10", 0],
            ["www", "CNAME", "dev.customer.example.", 0],
        ]);
        expect(t.web_domain.map((w: Row) => w.domain)).toEqual(["dev.customer.example"]);
        expect(t.mail_domain.map((m: Row) => m.domain)).toEqual(["dev.customer.example"]);
        expect(t.mail_user.map((m: Row) => m.email).sort()).toEqual(["admin@dev.customer.example", "info@dev.customer.example"]);
        for (const table of ["dns_soa", "dns_rr", "web_domain", "mail_domain", "mail_user"]) {
            for (const row of t[table]) expect(Number(row.sys_groupid), `${table} owner`).toBe(clientGroup);
        }
        // The record adds moved the serial past the zone's first one.
        expect(Number(t.dns_soa[0].serial) % 100).toBeGreaterThan(1);
        expect(s.outputs.documentRoot).toMatch(/^\/var\/www\/clients\/client\d+\/web\d+$/);
        expect(s.logins).toBe(1);
    });

    it("2. preview right after: no changes, and the panel saw zero calls", () => {
        const s = get("2 preview");
        expect(s.changes).toEqual({ same: 15 });
        expect(s.soapCalls).toBe(0);
    });

    it("3. one address and one quota changed in config: exactly 2 updates in preview and up, ownership unchanged", () => {
        const s = get("3 config change");
        expect(s.preview).toEqual({ same: 13, update: 2 });
        expect(s.changes).toEqual({ same: 13, update: 2 });
        expect(s.tables.dns_rr.find((r: Row) => r.name === "mail").data).toBe("192.0.2.26");
        expect(Number(s.tables.mail_user.find((m: Row) => m.email.startsWith("admin@")).quota)).toBe(2048 * 1048576);
        expect(Number(s.tables.mail_user.find((m: Row) => m.email.startsWith("info@")).quota)).toBe(512 * 1048576);
        for (const table of ["dns_soa", "dns_rr", "mail_user"]) for (const row of s.tables[table]) expect(Number(row.sys_groupid)).toBe(clientGroup);
    });

    it("3b. a mailbox password change is one update that never prints the password", () => {
        const s = get("3b password change");
        expect(s.preview).toEqual({ same: 14, update: 1 });
        expect(s.changes).toEqual({ same: 14, update: 1 });
        expect(s.rehashed).toBe(true);
        expect(s.printed).toBe(false);
        expect(s.diffShowsSecret).toBe(true);
    });

    it("4. drift made in the panel shows in refresh; the next up restores it", () => {
        const s = get("4 drift");
        expect(s.refresh).toMatchObject({ update: 1, delete: 1 });
        expect(s.preview).toMatchObject({ create: 1, update: 1 });
        // `preview --diff` after the refresh names the drifted field and both values.
        expect(s.previewDiffLines.join("\n")).toMatch(/~ target: "elsewhere\.example\.net\.?" => "dev\.customer\.example\.?"/);
        expect(s.tables.dns_rr.find((r: Row) => r.name === "www").data).toBe("dev.customer.example.");
        expect(s.tables.mail_user.map((m: Row) => m.email).sort()).toEqual(["admin@dev.customer.example", "info@dev.customer.example"]);
    });

    it("5. a new domain renames zone, site, mail domain and mailboxes in place: nothing replaced, ids kept, records follow", () => {
        const before = get("4 drift").tables;
        const s = get("5 origin change");
        expect(s.changes.replace ?? 0).toBe(0);
        expect(s.changes.delete ?? 0).toBe(0);
        expect(s.faults).toEqual([]);
        expect(s.tables.dns_soa.map((z: Row) => [z.origin, z.id])).toEqual([["dev2.customer.example.", before.dns_soa[0].id]]);
        expect(s.tables.dns_rr.map((r: Row) => r.id).sort()).toEqual(before.dns_rr.map((r: Row) => r.id).sort());
        // `@` is stored as the origin itself: it followed the rename.
        expect(s.tables.dns_rr.map((r: Row) => r.name).sort()).toEqual(["_dmarc", ...Array(5).fill("dev2.customer.example."), "mail", "ns1", "www"]);
        // Targets and values built from the domain were updated in place with it.
        expect(s.tables.dns_rr.filter((r: Row) => ["CNAME", "MX", "NS"].includes(r.type)).map((r: Row) => r.data).sort()).toEqual([
            "dev2.customer.example.", "mail.dev2.customer.example.", "ns1.dev2.customer.example.",
        ]);
        expect(s.tables.web_domain.map((w: Row) => [w.domain, w.domain_id])).toEqual([["dev2.customer.example", before.web_domain[0].domain_id]]);
        expect(s.tables.mail_user.map((m: Row) => [m.email, m.maildir]).sort()).toEqual([
            ["admin@dev2.customer.example", "/var/vmail/dev2.customer.example/admin"],
            ["info@dev2.customer.example", "/var/vmail/dev2.customer.example/info"],
        ]);
        expect(s.tables.mail_user.map((m: Row) => m.mailuser_id).sort()).toEqual(before.mail_user.map((m: Row) => m.mailuser_id).sort());
    });

    it("6. stack export and the backend's files hold no panel password, mailbox password or hash; __provider no credential", () => {
        const s = get("6 secrets audit");
        expect(s.filesScanned).toBeGreaterThan(0);
        expect(s.where).toEqual([]);
        expect(s.hits).toBe(0);
        expect(s.providers).toBeGreaterThan(0);
        expect(s.providerHits).toBe(0);
        expect(s.hashLike).toBe(0);
    });

    it("7. destroy leaves the panel empty (no orphans)", () => {
        const s = get("7 destroy");
        expect(s.destroyed).toEqual({ delete: 15 });
        for (const rows of Object.values(s.tables)) expect(rows).toEqual([]);
    });

    it("8. a second stack (own endpoint, domain and server) runs beside the first without touching it", () => {
        const s = get("8 second stack");
        expect(s.changes).toEqual({ create: 15 });
        expect(s.prodTables.dns_soa.map((z: Row) => [z.origin, Number(z.server_id)])).toEqual([["prod.customer.example.", 2]]);
        expect(s.prodTables.web_domain.map((w: Row) => Number(w.server_id))).toEqual([2]);
        expect(s.devUntouched).toBe(true);
        expect(s.devPreview).toEqual({ same: 15 });
        expect(s.destroyed).toEqual({ delete: 15 });
        expect(s.prodLeft).toBe(0);
    });
});
