import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dnsZone } from "../provider/resources/dnsZone";
import { dnsRecord } from "../provider/resources/dnsRecord";
import { dnsZoneRecords } from "../provider/resources/dnsZoneRecords";
import { Panel, addClient, checked, countCalls, create, read, row, startPanel, up as upWith } from "./helpers/panel";
import { TYPE_CASES, withOrigin, recordWrites, WEB_RECORDS as WEB } from "./dnsTypes.fixtures";

/*
 * DnsZoneRecords on the test panel: the records of a zone as one resource. Every record stored as
 * the UI stores it (the 18 types of the DnsRecord fixtures), one serial move per `up`, a no-op
 * that writes nothing, a one-record change that writes one record, a refresh of one call, drift
 * shown and repaired, authoritative mode, adopt, a failure undone, and the records of a DnsRecord
 * never touched.
 */

let p: Panel;
let clientId: number;
beforeAll(async () => {
    p = await startPanel();
    clientId = await addClient(p, "setcust");
});
afterAll(() => p.close());

const prov = dnsZoneRecords.provider;
let n = 0;
async function newZone(extra: Record<string, unknown> = {}) {
    const origin = `set${++n}.example.com.`;
    const z = await create(dnsZone.provider, { origin, ns: "ns1.example.net", mbox: "hostmaster@example.net", clientId, nameservers: ["ns1.example.net", "ns2.example.net"], ...extra });
    return { id: z.id, origin };
}
const rrOf = (zoneId: string) => p.emu.table("dns_rr").filter((r) => String(r.zone) === zoneId);
const serialOf = (zoneId: string) => Number(row(p, "dns_soa", (r) => String(r.id) === zoneId)!.serial);

/** check → diff → update, as `pulumi up` does (see helpers/panel.ts). */
const up = (state: { id: string; outs: Record<string, any> }, args: Record<string, unknown>) => upWith(prov, state, args);


describe("DnsZoneRecords: the records of a zone as one resource", () => {
    it("stores every one of the 18 types as the UI does, with one serial move and one listing", async () => {
        const z = await newZone();
        const records = TYPE_CASES.map((tc) => ({ type: tc.type, ...withOrigin(tc.args, z.origin) }));
        const before = serialOf(z.id);
        const { result: r, calls } = await countCalls(p, () => create(prov, { zoneId: z.id, records }));
        expect(calls.filter((m) => m === "dns_rr_get_all_by_zone")).toHaveLength(1);
        expect(recordWrites(calls)).toHaveLength(18);
        // One serial move for all 18 (each record written with update_serial off).
        expect(calls.filter((m) => m === "dns_zone_update")).toHaveLength(1);
        expect(serialOf(z.id)).toBeGreaterThan(before);
        for (const tc of TYPE_CASES) {
            const want = tc.stored(z.origin);
            const stored = rrOf(z.id).find((x) => x.type === tc.type && x.name === want.name && x.data === want.data);
            expect(stored, `${tc.type} stored as the UI stores it`).toBeDefined();
            expect(Number(stored!.aux)).toBe(want.aux ?? 0);
            expect(Number(stored!.ttl)).toBe(want.ttl ?? 3600);
            expect(stored!.active).toBe("Y");
            // The zone's owner, as when the UI adds a record.
            expect(Number(stored!.sys_groupid)).toBe(Number(row(p, "dns_soa", (x) => String(x.id) === z.id)!.sys_groupid));
        }
        expect(Object.keys(r.outs.recordIds)).toHaveLength(18);
        expect(r.outs.records).toEqual(r.inputs.records);

        // The same program again: no change, no call.
        const { result: again, calls: none } = await countCalls(p, async () => {
            const inputs = await checked(prov, { zoneId: z.id, records: [...records].reverse() }, r.outs);
            return prov.diff!(r.id, r.outs, inputs);
        });
        expect(again.changes).toBe(false);
        expect(none).toEqual([]);
    });

    it("keys records like zone-file lines and names every bad field before any call", async () => {
        const inputs = await checked(prov, { zoneId: 1, records: WEB });
        expect(Object.keys(inputs.records)).toEqual(["@ A", "@ MX 10 mx1.example.net.", "@ MX 20 mx2.example.net.", "@ TXT", "ftp CNAME", "www A"]);
        const bad = await prov.check!({}, { zoneId: 1, records: [WEB[0], { type: "A", name: "www", address: "300.1.1.1" }, { type: "MX", name: "@", zoneId: 3, target: "mx" }] });
        const msg = bad.failures!.map((f) => `${f.property}: ${f.reason}`).join("\n");
        expect(msg).toContain("`records[1]` (A www) address");
        expect(msg).toMatch(/records\[2\].*zoneId.*not a field of a record here/);
        expect(msg).toMatch(/records\[2\].*target.*single label/);
        const twice = await prov.check!({}, { zoneId: 1, records: [WEB[1], { ...WEB[1] }] });
        expect(twice.failures![0].reason).toMatch(/declares the record "www A 192.0.2.1" twice/);
    });

    it("a one-record change writes one record (keeping its id); a refresh is one call and shows drift", async () => {
        const z = await newZone();
        const r = await create(prov, { zoneId: z.id, records: WEB });
        const wwwId = r.outs.recordIds["www A"];

        const changed = WEB.map((x) => (x.name === "www" ? { ...x, address: "192.0.2.99" } : x));
        const { result: u, calls } = await countCalls(p, () => up(r, { zoneId: z.id, records: changed }));
        expect(recordWrites(calls)).toEqual(["dns_a_update"]);
        expect(u.outs.recordIds["www A"]).toBe(wwwId);
        expect(rrOf(z.id).find((x) => Number(x.id) === wwwId)!.data).toBe("192.0.2.99");

        // Refresh: one listing.
        await p.raw.call("dns_txt_update", 0, u.outs.recordIds["@ TXT"], { zone: Number(z.id), type: "TXT", data: "v=spf1 -all" }, false);
        const { result: refreshed, calls: rc } = await countCalls(p, () => read(prov, z.id, u.outs));
        expect(rc).toEqual(["dns_rr_get_all_by_zone"]);
        expect(refreshed.outs.records["@ TXT"].value).toBe("v=spf1 -all");
        // The drift is a change the next `up` repairs, touching that record only.
        const { result: repaired, calls: rpc } = await countCalls(p, () => up({ id: z.id, outs: refreshed.outs }, { zoneId: z.id, records: changed }));
        expect(repaired.diff.changes).toBe(true);
        expect(recordWrites(rpc)).toEqual(["dns_txt_update"]);
        expect(rrOf(z.id).find((x) => x.type === "TXT")!.data).toBe("v=spf1 mx -all");

        // A record deleted in the panel shows missing and is added again.
        await p.raw.call("dns_a_delete", wwwId, false);
        const gone = await read(prov, z.id, repaired.outs);
        expect(gone.outs.records["www A"]).toBeUndefined();
        const back = await up({ id: z.id, outs: gone.outs }, { zoneId: z.id, records: changed });
        expect(rrOf(z.id).filter((x) => x.name === "www" && x.data === "192.0.2.99")).toHaveLength(1);
        expect(back.outs.recordIds["www A"]).not.toBe(wwwId);
    });

    it("one of several MX records changed, and a record renamed in the panel: each one update, ids kept", async () => {
        const z = await newZone();
        const r = await create(prov, { zoneId: z.id, records: WEB });
        const mx1 = r.outs.recordIds["@ MX 10 mx1.example.net."];
        const next = WEB.map((x) => (x.type === "MX" && x.priority === 10 ? { ...x, target: "mx3.example.net" } : x));
        const { result: u, calls } = await countCalls(p, () => up(r, { zoneId: z.id, records: next }));
        expect(recordWrites(calls)).toEqual(["dns_mx_update"]);
        expect(u.outs.recordIds["@ MX 10 mx3.example.net."]).toBe(mx1);
        expect(u.outs.recordIds["@ MX 20 mx2.example.net."]).toBe(r.outs.recordIds["@ MX 20 mx2.example.net."]);

        const ftp = u.outs.recordIds["ftp CNAME"];
        await p.raw.call("dns_cname_update", 0, ftp, { zone: Number(z.id), type: "CNAME", name: "files" }, false);
        const refreshed = await read(prov, z.id, u.outs);
        expect(refreshed.outs.records["ftp CNAME"].name).toBe("files");
        const { calls: rc } = await countCalls(p, () => up({ id: z.id, outs: refreshed.outs }, { zoneId: z.id, records: next }));
        expect(recordWrites(rc)).toEqual(["dns_cname_update"]);
        expect(rrOf(z.id).find((x) => Number(x.id) === ftp)!.name).toBe("ftp");
    });

    it("what a record leaves undeclared (ttl, active) keeps the panel's value through an update of that record and of others", async () => {
        const z = await newZone();
        const r = await create(prov, { zoneId: z.id, records: WEB });
        const id = r.outs.recordIds["www A"];
        await p.raw.call("dns_a_update", 0, id, { zone: Number(z.id), type: "A", ttl: 120, active: "N", data: "203.0.113.9" }, false);
        const refreshed = await read(prov, z.id, r.outs);
        expect(refreshed.outs.records["www A"]).toEqual({ type: "A", name: "www", address: "203.0.113.9" });
        const next = WEB.map((x) => (x.type === "TXT" ? { ...x, value: "v=spf1 a mx -all" } : x));
        await up({ id: z.id, outs: refreshed.outs }, { zoneId: z.id, records: next });
        const stored = rrOf(z.id).find((x) => Number(x.id) === id)!;
        expect(stored).toMatchObject({ data: "192.0.2.1", active: "N" });
        expect(Number(stored.ttl)).toBe(120);
    });

    it("adds, removes and leaves alone: records it does not hold are never touched (not authoritative)", async () => {
        const z = await newZone();
        const stranger = Number(await p.raw.call("dns_a_add", clientId, { server_id: 1, zone: Number(z.id), name: "hand", type: "A", data: "198.51.100.7", ttl: 3600, active: "Y", stamp: "2026-01-01 00:00:00" }, false));
        const r = await create(prov, { zoneId: z.id, records: WEB });
        const less = WEB.filter((x) => x.type !== "CNAME");
        const { result: u, calls } = await countCalls(p, () => up(r, { zoneId: z.id, records: [...less, { type: "AAAA", name: "www", address: "2001:db8::1" }] }));
        expect(recordWrites(calls).sort()).toEqual(["dns_aaaa_add", "dns_cname_delete"]);
        expect(calls.filter((m) => m === "dns_zone_update")).toHaveLength(1);
        expect(rrOf(z.id).some((x) => Number(x.id) === stranger)).toBe(true);
        expect(Object.keys(u.outs.records)).toContain("www AAAA");
        // The zone's NS records (from DnsZone's nameservers) are left alone too.
        expect(rrOf(z.id).filter((x) => x.type === "NS")).toHaveLength(2);
    });

    it("authoritative: undeclared records show as removals on refresh and are deleted; apex NS stay unless declared", async () => {
        const z = await newZone();
        const r = await create(prov, { zoneId: z.id, records: WEB, authoritative: true });
        const stray = Number(await p.raw.call("dns_txt_add", clientId, { server_id: 1, zone: Number(z.id), name: "stray", type: "TXT", data: "made by hand", ttl: 3600, active: "Y", stamp: "2026-01-01 00:00:00" }, false));
        const refreshed = await read(prov, z.id, r.outs);
        expect(refreshed.outs.records["stray TXT made by hand"]).toEqual({ type: "TXT", name: "stray", value: "made by hand", ttl: 3600, active: true });
        expect(Object.keys(refreshed.outs.records).some((k) => k.includes(" NS "))).toBe(false);
        const { result: u, calls } = await countCalls(p, () => up({ id: z.id, outs: refreshed.outs }, { zoneId: z.id, records: WEB, authoritative: true }));
        expect(u.diff.changes).toBe(true);
        expect(recordWrites(calls)).toEqual(["dns_txt_delete"]);
        expect(rrOf(z.id).some((x) => Number(x.id) === stray)).toBe(false);
        expect(rrOf(z.id).filter((x) => x.type === "NS")).toHaveLength(2);

        // Declaring apex NS makes the set authoritative for them too.
        const withNs = [...WEB, { type: "NS", name: "@", target: "ns1.example.net" }];
        const u2 = await up({ id: z.id, outs: u.outs }, { zoneId: z.id, records: withNs, authoritative: true });
        expect(rrOf(z.id).filter((x) => x.type === "NS").map((x) => x.data)).toEqual(["ns1.example.net."]);
        expect(u2.outs.recordIds["@ NS"]).toBeDefined();
    });

    it("an identical record already in the zone: refused without adopt (nothing written), taken over with it", async () => {
        const z = await newZone();
        await p.raw.call("dns_a_add", clientId, { server_id: 1, zone: Number(z.id), name: "www", type: "A", data: "192.0.2.1", ttl: 3600, active: "Y", stamp: "2026-01-01 00:00:00" }, false);
        const { result: err, calls } = await countCalls(p, () => create(prov, { zoneId: z.id, records: WEB }).catch((e) => e));
        expect(String(err)).toMatch(/"www A" already exists in the zone .*set `adopt: true`.*Nothing was written/);
        expect(recordWrites(calls)).toEqual([]);
        const r = await create(prov, { zoneId: z.id, records: WEB, adopt: true });
        expect(rrOf(z.id).filter((x) => x.name === "www")).toHaveLength(1);
        expect(r.outs.recordIds["www A"]).toBe(Number(rrOf(z.id).find((x) => x.name === "www")!.id));
    });

    it("refuses a CNAME beside other data, and a lost type is repaired in place", async () => {
        const z = await newZone();
        const { result: err, calls } = await countCalls(p, () => create(prov, { zoneId: z.id, records: [...WEB, { type: "CNAME", name: "www", target: "web.example.org" }] }).catch((e) => e));
        expect(String(err)).toMatch(/"www CNAME" is a CNAME beside "www A".*Nothing was written/);
        expect(recordWrites(calls)).toEqual([]);

        const r = await create(prov, { zoneId: z.id, records: WEB });
        const id = r.outs.recordIds["www A"];
        await p.raw.call("dns_a_update", 0, id, { type: "", zone: Number(z.id) }, false);
        const refreshed = await read(prov, z.id, r.outs);
        expect(refreshed.outs.records["www A"].type).toBe("");
        const u = await up({ id: z.id, outs: refreshed.outs }, { zoneId: z.id, records: WEB });
        expect(u.diff.replaces ?? []).toEqual([]);
        expect(rrOf(z.id).find((x) => Number(x.id) === id)!.type).toBe("A");
    });

    it("a failure halfway undoes every write of that `up`: the zone is as it was", async () => {
        const z = await newZone();
        const r = await create(prov, { zoneId: z.id, records: WEB });
        const before = rrOf(z.id).map((x) => ({ id: x.id, name: x.name, type: x.type, data: x.data, aux: x.aux }));
        const next = [
            ...WEB.filter((x) => x.type !== "TXT").map((x) => (x.name === "www" ? { ...x, address: "192.0.2.50" } : x)),
            ...Array.from({ length: 12 }, (_, i) => ({ type: "A", name: `h${i}`, address: `192.0.2.${100 + i}` })),
        ];
        p.emu.injectFault({ kind: "databaseError", method: "dns_a_add", nth: 5 });
        const err = await up(r, { zoneId: z.id, records: next }).catch((e) => e);
        expect(String(err)).toMatch(/adding the record "h\d+ A" failed: .*were undone/);
        // The deleted TXT is back, the www address restored, no added A left behind.
        const after = rrOf(z.id).map((x) => ({ name: x.name, type: x.type, data: x.data, aux: x.aux }));
        expect(after.sort((a, b) => (a.name + a.type + a.data).localeCompare(b.name + b.type + b.data))).toEqual(
            before.map(({ id: _, ...x }) => x).sort((a, b) => (a.name + a.type + a.data).localeCompare(b.name + b.type + b.data)),
        );
        // The next `up` (old state, as the engine keeps it after a failed update) converges without duplicates.
        const ok = await up(r, { zoneId: z.id, records: next });
        expect(ok.diff.changes).toBe(true);
        expect(rrOf(z.id).filter((x) => x.type === "TXT")).toHaveLength(0);
        expect(rrOf(z.id).filter((x) => x.type === "A")).toHaveLength(14);
    });

    it("a refresh between a failed `up` and the next keeps the record its undo added back (under a new id): reverting converges, dropping it deletes it", async () => {
        const next = [...WEB.filter((x) => x.type !== "TXT"), ...Array.from({ length: 8 }, (_, i) => ({ type: "A", name: `h${i}`, address: `192.0.2.${100 + i}` }))];
        const failedThenRefreshed = async () => {
            const z = await newZone();
            const r = await create(prov, { zoneId: z.id, records: WEB });
            p.emu.injectFault({ kind: "databaseError", method: "dns_a_add", nth: 3 });
            expect(String(await up(r, { zoneId: z.id, records: next }).catch((e) => e))).toMatch(/were undone/);
            const txt = rrOf(z.id).filter((x) => x.type === "TXT");
            expect(txt.map((x) => Number(x.id))).not.toEqual([r.outs.recordIds["@ TXT"]]);
            // `pulumi refresh` (or `up --refresh`): the TXT is still the set's, under its new id.
            const refreshed = await read(prov, z.id, r.outs);
            expect(refreshed.outs.recordIds["@ TXT"]).toBe(Number(txt[0].id));
            expect(refreshed.outs.records["@ TXT"]).toEqual(r.outs.records["@ TXT"]);
            return { z, refreshed };
        };
        // The program reverted: nothing to do (it used to be refused as "already exists … set adopt").
        const a = await failedThenRefreshed();
        const back = await up({ id: a.z.id, outs: a.refreshed.outs }, { zoneId: a.z.id, records: WEB });
        expect(back.diff.changes).toBe(false);
        expect(rrOf(a.z.id).filter((x) => x.type === "TXT")).toHaveLength(1);
        // The change tried again: the TXT goes (it used to stay behind, held by nobody).
        const b = await failedThenRefreshed();
        await up({ id: b.z.id, outs: b.refreshed.outs }, { zoneId: b.z.id, records: next });
        expect(rrOf(b.z.id).filter((x) => x.type === "TXT")).toHaveLength(0);
        expect(rrOf(b.z.id).filter((x) => x.type === "A")).toHaveLength(10);
    });

    it("a record a DnsRecord holds is never deleted by the set, and the set's records survive a DnsRecord's delete", async () => {
        const z = await newZone();
        const rec = await create(dnsRecord.provider, { zoneId: z.id, type: "TXT", name: "keep", value: "held by a DnsRecord" });
        const set = await create(prov, { zoneId: z.id, records: WEB, authoritative: true });
        expect(rrOf(z.id).some((x) => String(x.id) === rec.id)).toBe(true);
        expect(Object.keys(set.outs.records).some((k) => k.startsWith("keep"))).toBe(false);

        // Moving a record from a DnsRecord into the set in one `up`: the set adopts it, then the
        // engine deletes the DnsRecord (removed from the program) — the record stays.
        const moved = await create(dnsRecord.provider, { zoneId: z.id, type: "A", name: "moved", address: "192.0.2.77" });
        const u = await up(set, { zoneId: z.id, records: [...WEB, { type: "A", name: "moved", address: "192.0.2.77" }], adopt: true });
        expect(u.outs.recordIds["moved A"]).toBe(Number(moved.id));
        await dnsRecord.provider.delete!(moved.id, moved.outs);
        expect(rrOf(z.id).some((x) => String(x.id) === moved.id)).toBe(true);
    });

    it("destroy deletes only its own records, with one serial move", async () => {
        const z = await newZone();
        const r = await create(prov, { zoneId: z.id, records: WEB });
        const { calls } = await countCalls(p, () => prov.delete!(r.id, r.outs));
        expect(recordWrites(calls)).toHaveLength(WEB.length);
        expect(calls.filter((m) => m === "dns_zone_update")).toHaveLength(1);
        expect(rrOf(z.id).map((x) => x.type)).toEqual(["NS", "NS"]);
    });
});
