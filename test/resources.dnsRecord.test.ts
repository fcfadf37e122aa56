import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dnsZone } from "../provider/resources/dnsZone";
import { dnsRecord } from "../provider/resources/dnsRecord";
import { Panel, addClient, checked, countCalls, create, read, row, startPanel, update } from "./helpers/panel";
import { TYPE_CASES, withOrigin } from "./dnsTypes.fixtures";

/*
 * DnsRecord on the test panel: for each of the 18 types, create → no-op preview → update →
 * drift + refresh → repair → lost type repaired in place → replace → delete, with the stored
 * type, data and aux checked against what the panel's UI stores, and the zone serial moving
 * on every write without the zone being re-owned.
 */

let p: Panel;
let clientId: number;
beforeAll(async () => {
    p = await startPanel();
    clientId = await addClient(p, "typescust");
});
afterAll(() => p.close());

const zoneArgs = (origin: string, extra: Record<string, unknown> = {}) => ({ origin, ns: "ns1.example.net", mbox: "hostmaster@example.net", ...extra });
const soa = (id: string) => row(p, "dns_soa", (r) => String(r.id) === id)!;
const rr = (id: string) => row(p, "dns_rr", (r) => String(r.id) === id);
const serialOf = (id: string) => Number(soa(id).serial);
const owner = (r: Record<string, any>) => [Number(r.sys_userid), Number(r.sys_groupid)];

describe("DnsRecord: the lifecycle of every type, stored as the UI stores it", () => {
    for (const tc of TYPE_CASES) {
        it(`${tc.type}: create, no-op preview, update, drift + refresh, lost type, replace, delete`, async () => {
            const origin = `${tc.type.toLowerCase()}.types.example.com.`;
            const z = await create(dnsZone.provider, zoneArgs(origin, { clientId }));
            const zoneOwner = owner(soa(z.id));
            const args = { zoneId: z.id, type: tc.type, ...withOrigin(tc.args, origin) };
            let serial = serialOf(z.id);

            // Create: stored exactly as the UI stores it, typed, active, with the zone's owner.
            const r = await create(dnsRecord.provider, args);
            const want = tc.stored(origin);
            const stored = rr(r.id)!;
            expect(stored).toMatchObject({ type: tc.type, name: want.name, data: want.data, active: "Y" });
            expect(Number(stored.aux)).toBe(want.aux ?? 0);
            expect(Number(stored.ttl)).toBe(want.ttl ?? 3600);
            expect(Number(stored.sys_groupid)).toBe(zoneOwner[1]);
            expect(serialOf(z.id)).toBeGreaterThan(serial);
            expect(owner(soa(z.id))).toEqual(zoneOwner);
            expect(r.outs).toMatchObject({ type: tc.type, data: want.data, recordId: Number(r.id) });

            // Refresh reads back what was declared; the same program previews as no change.
            const r1 = await read(dnsRecord.provider, r.id, r.outs);
            // Nothing undefined goes to the engine (its struct encoding refuses it): other types' fields are absent.
            expect(Object.entries(r1.outs).filter(([, v]) => v === undefined)).toEqual([]);
            const { zoneId: _z, ...declared } = r.inputs;
            expect(r1.outs).toMatchObject(declared);
            const again = await checked(dnsRecord.provider, args, r.inputs);
            expect((await dnsRecord.provider.diff!(r.id, r1.outs, again)).changes).toBe(false);

            // Update in place: only the change, the serial moves, the owner stays.
            serial = serialOf(z.id);
            const changedArgs = { ...args, ...withOrigin(tc.change, origin), ttl: 600 };
            const u = await update(dnsRecord.provider, r.id, { outs: r1.outs, inputs: r.inputs }, changedArgs);
            expect(u.diff.changes).toBe(true);
            const after = rr(r.id)!;
            const wantChanged = tc.changed(origin);
            expect(after).toMatchObject({ type: tc.type, name: want.name, data: wantChanged.data });
            expect(Number(after.aux)).toBe(wantChanged.aux ?? 0);
            expect(Number(after.ttl)).toBe(600);
            expect(serialOf(z.id)).toBeGreaterThan(serial);
            expect(owner(soa(z.id))).toEqual(zoneOwner);
            const r2 = await read(dnsRecord.provider, r.id, u.outs);
            expect((await dnsRecord.provider.diff!(r.id, r2.outs, u.inputs)).changes).toBe(false);

            // Drift made in the panel: refresh sees it by field name, the next up repairs it.
            await p.raw.call(`dns_${tc.type.toLowerCase()}_update`, 0, Number(r.id), { zone: Number(z.id), data: want.data, aux: want.aux ?? 0 }, true);
            const drift = await dnsRecord.provider.read!(r.id, u.outs);
            const d = await dnsRecord.provider.diff!(r.id, drift.props!, u.inputs);
            expect(d.changes).toBe(true);
            expect(d.replaces ?? []).toEqual([]);
            await dnsRecord.provider.update!(r.id, drift.props!, u.inputs);
            expect(rr(r.id)!.data).toBe(wantChanged.data);

            // The type-column bug: a row that lost its type is repaired in place, never replaced.
            p.emu.panel.tables.dns_rr.find((x) => String(x.id) === r.id)!.type = "";
            const lost = await read(dnsRecord.provider, r.id, u.outs);
            expect(lost.outs.type).toBe("");
            const dl = await dnsRecord.provider.diff!(r.id, lost.outs, u.inputs);
            expect(dl.changes).toBe(true);
            expect(dl.replaces ?? []).toEqual([]);
            await dnsRecord.provider.update!(r.id, lost.outs, u.inputs);
            expect(rr(r.id)!.type).toBe(tc.type);

            // Another zone replaces (create first); another type replaces, deleting first.
            const other = await checked(dnsRecord.provider, { ...changedArgs, zoneId: "999" }, u.inputs);
            expect((await dnsRecord.provider.diff!(r.id, u.outs, other)).replaces).toEqual(["zoneId"]);
            const retyped = await checked(dnsRecord.provider, { zoneId: z.id, type: tc.type === "TXT" ? "A" : "TXT", name: "x", ...(tc.type === "TXT" ? { address: "192.0.2.1" } : { value: "x" }) }, u.inputs);
            const dt = await dnsRecord.provider.diff!(r.id, u.outs, retyped);
            expect(dt.replaces).toContain("type");
            expect(dt.deleteBeforeReplace).toBe(true);

            // Delete: gone, serial moved, idempotent, and refresh sees it gone.
            serial = serialOf(z.id);
            await dnsRecord.provider.delete!(r.id, u.outs);
            expect(rr(r.id)).toBeUndefined();
            expect(serialOf(z.id)).toBeGreaterThan(serial);
            await dnsRecord.provider.delete!(r.id, u.outs);
            expect((await read(dnsRecord.provider, r.id, u.outs)).id).toBe("");
        });
    }
});

describe("DnsRecord: what BIND would refuse is refused before anything is written", () => {
    it("refuses a CNAME beside another record of the same name, and any record beside a CNAME", async () => {
        const origin = "clash.example.com.";
        const z = await create(dnsZone.provider, zoneArgs(origin));
        // A record made in the panel, outside Pulumi: never touched.
        await p.raw.call("dns_a_add", 0, { server_id: 1, zone: Number(z.id), name: "www", type: "A", data: "192.0.2.1", ttl: 3600, active: "Y" }, true);
        const before = JSON.stringify(p.emu.table("dns_rr"));
        const c1 = await countCalls(p, () => create(dnsRecord.provider, { zoneId: z.id, type: "CNAME", name: "www", target: "web.example.net" }).catch((e) => e));
        expect(String(c1.result)).toMatch(/cannot add a CNAME record at www\.clash\.example\.com\.: the zone already has a A record there .*nothing was written/);
        expect(c1.calls.filter((m) => /_(add|update|delete)$/.test(m))).toEqual([]);
        // Spelled absolutely, it is the same name.
        await expect(create(dnsRecord.provider, { zoneId: z.id, type: "CNAME", name: "www.clash.example.com.", target: "web.example.net" })).rejects.toThrow(/already has a A record/);
        expect(JSON.stringify(p.emu.table("dns_rr"))).toBe(before);

        const cn = await create(dnsRecord.provider, { zoneId: z.id, type: "CNAME", name: "ftp", target: "www.clash.example.com" });
        await expect(create(dnsRecord.provider, { zoneId: z.id, type: "TXT", name: "ftp", value: "x" })).rejects.toThrow(/already has a CNAME record there/);
        await expect(create(dnsRecord.provider, { zoneId: z.id, type: "ALIAS", name: "ftp", target: "www.clash.example.com" })).rejects.toThrow(/already has a CNAME/);
        // Renaming another record onto the CNAME's name is refused too.
        const t = await create(dnsRecord.provider, { zoneId: z.id, type: "TXT", name: "txt", value: "x" });
        await expect(update(dnsRecord.provider, t.id, t, { zoneId: z.id, type: "TXT", name: "ftp", value: "x" })).rejects.toThrow(/already has a CNAME/);
        expect(rr(t.id)!.name).toBe("txt");
        // Two creates of one name at once: the second sees the first.
        const both = await Promise.allSettled([
            create(dnsRecord.provider, { zoneId: z.id, type: "CNAME", name: "race", target: "www.clash.example.com" }),
            create(dnsRecord.provider, { zoneId: z.id, type: "A", name: "race", address: "192.0.2.9" }),
        ]);
        expect(both.map((b) => b.status).sort()).toEqual(["fulfilled", "rejected"]);
        expect(cn.id).toBeTruthy();
    });

    it("refuses a CNAME or ALIAS at the apex, and a name the type's form would refuse, at check or before the add", async () => {
        const z = await create(dnsZone.provider, zoneArgs("apex.example.com"));
        for (const type of ["CNAME", "ALIAS"]) {
            const r = await dnsRecord.provider.check!({}, { zoneId: z.id, type, name: "@", target: "www.example.net" });
            expect(r.failures?.[0]?.reason).toMatch(/apex/);
        }
        const c = await countCalls(p, () => create(dnsRecord.provider, { zoneId: z.id, type: "CNAME", name: "apex.example.com.", target: "www.example.net" }).catch((e) => e));
        expect(String(c.result)).toMatch(/apex/);
        expect(c.calls.filter((m) => /_(add|update|delete)$/.test(m))).toEqual([]);
    });

    it("an apex TLSA (`_443._tcp`) is stored with the origin, as its form needs a host part", async () => {
        const z = await create(dnsZone.provider, zoneArgs("tlsa.example.com"));
        const r = await create(dnsRecord.provider, { zoneId: z.id, type: "TLSA", name: "_443._tcp", usage: 3, selector: 1, matchingType: 1, certificate: "ab".repeat(32) });
        expect(rr(r.id)!.name).toBe("_443._tcp.tlsa.example.com.");
        expect((await read(dnsRecord.provider, r.id, r.outs)).outs.name).toBe("_443._tcp");
    });

    it("a composite record's undeclared part keeps the panel's value on update (CAA flags, NAPTR order)", async () => {
        const z = await create(dnsZone.provider, zoneArgs("merge.example.com"));
        const caa = await create(dnsRecord.provider, { zoneId: z.id, type: "CAA", name: "@", tag: "issue", value: "letsencrypt.org" });
        await p.raw.call("dns_caa_update", 0, Number(caa.id), { zone: Number(z.id), data: '128 issue "letsencrypt.org"' }, true);
        await update(dnsRecord.provider, caa.id, caa, { zoneId: z.id, type: "CAA", name: "@", tag: "issue", value: "sectigo.com" });
        expect(rr(caa.id)!.data).toBe('128 issue "sectigo.com"');
    });

    it("adopts an existing record by zone, type, name and data", async () => {
        const z = await create(dnsZone.provider, zoneArgs("adopt.example.com"));
        const existing = String(await p.raw.call("dns_mx_add", 0, { server_id: 1, zone: Number(z.id), name: "adopt.example.com.", type: "MX", data: "mail.adopt.example.com.", aux: 10, ttl: 3600, active: "Y" }, true));
        const r = await create(dnsRecord.provider, { zoneId: z.id, type: "MX", name: "@", target: "mail.adopt.example.com", priority: 5, adopt: true });
        expect(r.id).toBe(existing);
        expect(Number(rr(existing)!.aux)).toBe(5);
        expect(p.emu.table("dns_rr").filter((x) => String(x.zone) === z.id).length).toBe(1);
    });

    it("costs one call to create in an admin zone (after the zone's first record), one to update, one to delete", async () => {
        const z = await create(dnsZone.provider, zoneArgs("calls.example.com"));
        await create(dnsRecord.provider, { zoneId: z.id, type: "MX", name: "@", target: "mail.calls.example.com" });
        const c = await countCalls(p, () => create(dnsRecord.provider, { zoneId: z.id, type: "TXT", name: "@", value: "v=spf1 mx ~all" }));
        expect(c.calls).toEqual(["dns_txt_add"]);
        const u = await countCalls(p, () => update(dnsRecord.provider, c.result.id, c.result, { zoneId: z.id, type: "TXT", name: "@", value: "v=spf1 mx -all" }));
        expect(u.calls).toEqual(["dns_txt_update"]);
        const d = await countCalls(p, () => dnsRecord.provider.delete!(c.result.id, u.result.outs));
        expect(d.calls).toEqual(["dns_txt_delete"]);
    });
});
