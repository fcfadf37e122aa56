import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userProject } from "./helpers/pulumiEnv";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { Emulator, startEmulator } from "./emulator";
import { recordWrites } from "./dnsTypes.fixtures";

/*
 * DnsZoneRecords through the plain Pulumi CLI, as a hoster runs it: a zone of 300 records as one
 * resource. `up` makes them with one listing and one serial move; a no-op preview calls nothing;
 * `preview --diff` names the one record that changes and `up` writes only it; `refresh` lists the
 * zone once for the set; a DnsRecord declaring one of the set's records fails the preview naming
 * both, before any call; destroy leaves only what the set did not make.
 */
const run = promisify(execFile);
const repo = path.join(__dirname, "..");
const N = 300;

let emu: Emulator;
let cli = "";
let env: NodeJS.ProcessEnv = {};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ispconfig-zonerecords-"));
const project = path.join(tmp, "project");

const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const isp = require("pulumi-ispconfig");
const cfg = new pulumi.Config();
const zone = new isp.DnsZone("zone", { origin: "big.example.com", ns: "ns1.example.net", mbox: "hostmaster@example.net", nameservers: ["ns1.example.net", "ns2.example.net"] });
const changed = cfg.get("changed");
const records = [{ type: "MX", name: "@", priority: 10, target: "mx1.example.net" }, { type: "TXT", name: "@", value: "v=spf1 mx -all" }];
for (let i = 0; i < ${N}; i++) records.push({ type: "A", name: "h" + i, address: changed && i === 7 ? changed : "10.0." + (i >> 8) + "." + (i & 255) });
const set = new isp.DnsZoneRecords("records", { zoneId: zone.id, records });
if (cfg.getBoolean("clash")) new isp.DnsRecord("h3", { zoneId: zone.id, type: "A", name: "h3", address: "10.9.9.9" });
exports.count = set.recordIds.apply((ids) => Object.keys(ids).length);
`;

async function pulumi(args: string[]) {
    const before = emu.calls.length;
    const r = await run(cli, [...args, "--non-interactive"], { cwd: project, env, maxBuffer: 256 << 20, timeout: 10 * 60_000 }).catch((e) => {
        throw new Error(`pulumi ${args.join(" ")} failed: ${e.message}\n${String(e.stdout ?? "").slice(-3000)}\n${String(e.stderr ?? "").slice(-3000)}`);
    });
    return { ...r, calls: emu.calls.slice(before).map((c) => c.method) };
}
const rr = () => emu.table("dns_rr");

beforeAll(async () => {
    const { stdout } = await run("bash", [path.join(repo, "scripts", "pulumi-cli.sh")], { cwd: repo, timeout: 45 * 60_000, maxBuffer: 64 << 20 });
    cli = stdout.trim().split("\n").pop()!;
    emu = await startEmulator();
    env = userProject(project, "zone-records", PROGRAM);
    await pulumi(["stack", "init", "dev"]);
    await pulumi(["config", "set", "ispconfig:endpoint", emu.url]);
    await pulumi(["config", "set", "ispconfig:username", "apiuser"]);
    await pulumi(["config", "set", "--secret", "ispconfig:password", "ApiPass123!"]);
}, 45 * 60_000);

afterAll(async () => {
    await emu?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
});

describe("DnsZoneRecords through the plain CLI", { timeout: 5 * 60_000 }, () => {
    it(`up: ${N + 2} records in one resource, one listing, one serial move for the set`, async () => {
        const r = await pulumi(["up", "--yes", "--skip-preview"]);
        expect(rr().filter((x) => x.type === "A")).toHaveLength(N);
        expect(recordWrites(r.calls).filter((m) => m !== "dns_ns_add")).toHaveLength(N + 2);
        expect(r.calls.filter((m) => m === "dns_rr_get_all_by_zone").length).toBeLessThanOrEqual(2); // the set's, and the zone's NS check
        const { stdout } = await pulumi(["stack", "output", "count"]);
        expect(Number(stdout.trim())).toBe(N + 2);
    });

    it("a no-op preview calls nothing", async () => {
        const r = await pulumi(["preview", "--json"]);
        expect(JSON.parse(r.stdout).changeSummary).toEqual({ same: 3 });
        expect(r.calls).toEqual([]);
    });

    it("one address changed: preview --diff names that record, up writes only it", async () => {
        await pulumi(["config", "set", "changed", "10.99.99.99"]);
        const p = await pulumi(["preview", "--diff"]);
        expect(p.calls).toEqual([]);
        expect(p.stdout).toMatch(/~ h7 A\s*: \{\s*~ address: "10\.0\.0\.7" => "10\.99\.99\.99"/);
        const u = await pulumi(["up", "--yes", "--skip-preview"]);
        expect(recordWrites(u.calls)).toEqual(["dns_a_update"]);
        expect(rr().find((x) => x.name === "h7")!.data).toBe("10.99.99.99");
    });

    it("refresh lists the set's zone once; a record changed in the panel shows by key and is repaired", async () => {
        const h9 = rr().find((x) => x.name === "h9")!;
        emu.panel.tables.dns_rr.find((x: any) => x.id === h9.id).data = "10.7.7.7";
        const r = await pulumi(["refresh", "--yes", "--skip-preview"]);
        expect(r.calls.filter((m) => m === "dns_rr_get_all_by_zone").length).toBeLessThanOrEqual(2);
        expect(r.calls.filter((m) => /^dns_[a-z]+_get$/.test(m) && m !== "dns_zone_get")).toEqual([]);
        const p = await pulumi(["preview", "--diff"]);
        expect(p.stdout).toMatch(/~ h9 A\s*: \{\s*~ address: "10\.7\.7\.7" => "10\.0\.0\.9"/);
        const u = await pulumi(["up", "--yes", "--skip-preview"]);
        expect(recordWrites(u.calls)).toEqual(["dns_a_update"]);
        expect(rr().find((x) => x.name === "h9")!.data).toBe("10.0.0.9");
    });

    it("a DnsRecord declaring one of the set's records fails the preview naming both, before any call", async () => {
        await pulumi(["config", "set", "clash", "true"]);
        const before = emu.calls.length;
        const err = await pulumi(["preview"]).then(() => "", (e: Error) => e.message);
        await pulumi(["config", "rm", "clash"]);
        expect(err).toMatch(/the A record\(s\) at "h3" in zone \d+ are declared both in DnsZoneRecords "records" and in DnsRecord "h3"/);
        expect(err).not.toMatch(/at fail \(/); // a check failure, not a stack trace
        expect(emu.calls.length).toBe(before);
    });

    it("up --replace of the set deletes its records first, then adds them again: the same records, nothing else touched", async () => {
        const before = rr().map((x) => `${x.name} ${x.type} ${x.data}`).sort();
        const r = await pulumi(["up", "--yes", "--skip-preview", "--replace", "urn:pulumi:dev::zone-records::pulumi-nodejs:dynamic/ispconfig:DnsZoneRecords::records"]);
        expect(r.stdout).toMatch(/1 replaced/);
        const writes = recordWrites(r.calls);
        expect(writes.filter((m) => m.endsWith("_delete"))).toHaveLength(N + 2);
        expect(writes.filter((m) => m.endsWith("_add"))).toHaveLength(N + 2);
        // Deletes first: the new set never finds the old one's records in its way.
        expect(writes.lastIndexOf("dns_a_delete")).toBeLessThan(writes.indexOf("dns_a_add"));
        expect(rr().map((x) => `${x.name} ${x.type} ${x.data}`).sort()).toEqual(before);
        const { stdout } = await pulumi(["stack", "output", "count"]);
        expect(Number(stdout.trim())).toBe(N + 2);
    });

    it("destroy removes the set's records (one serial move) and the zone", async () => {
        const r = await pulumi(["destroy", "--yes", "--skip-preview"]);
        expect(rr()).toHaveLength(0);
        // The set's N + 2, then the zone's two NS records (DnsZone deletes what is left in it).
        expect(recordWrites(r.calls)).toHaveLength(N + 4);
        // One serial move for the set's 302 deletes (and one by the zone's own delete of its NS records).
        expect(r.calls.filter((m) => m === "dns_zone_update").length).toBeLessThanOrEqual(2);
    });
});
