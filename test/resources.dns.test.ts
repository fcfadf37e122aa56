import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dnsZone } from "../provider/resources/dnsZone";
import { aRecord } from "../provider/resources/aRecord";
import { Panel, addClient, checked, countCalls, create, read, row, startPanel, update } from "./helpers/panel";

let p: Panel;
let clientId: number;
beforeAll(async () => {
    p = await startPanel();
    clientId = await addClient(p, "dnscust");
});
afterAll(() => p.close());

const zoneArgs = (origin: string, extra: Record<string, unknown> = {}) => ({
    origin,
    ns: "ns1.example.net",
    mbox: "hostmaster@example.net",
    ...extra,
});
const soa = (id: string) => row(p, "dns_soa", (r) => String(r.id) === id)!;
const rr = (id: string) => row(p, "dns_rr", (r) => String(r.id) === id);
const owner = (r: Record<string, any>) => [Number(r.sys_userid), Number(r.sys_groupid)];

describe("DnsZone", () => {
    it("create → read → update every field → read → replace → delete, with trailing dots and the serial", async () => {
        const z = await create(dnsZone.provider, zoneArgs("Life.Example.COM"));
        const stored = soa(z.id);
        // Stored as the UI stores it: dotted, lower-case, '@' turned into '.', active, serial set.
        expect(stored.origin).toBe("life.example.com.");
        expect(stored.ns).toBe("ns1.example.net.");
        expect(stored.mbox).toBe("hostmaster.example.net.");
        expect(stored.active).toBe("Y");
        expect(Number(stored.serial)).toBeGreaterThan(2000000000);
        expect(owner(stored)).toEqual([1, 1]);
        expect(z.outs).toMatchObject({ origin: "life.example.com.", refresh: 7200, retry: 540, expire: 604800, minimum: 3600, ttl: 3600, clientId: 0 });

        const r1 = await read(dnsZone.provider, z.id, z.outs);
        expect(r1.outs).toMatchObject(z.outs);

        const changes = { ns: "ns2.example.net.", mbox: "admin.example.net.", refresh: 3600, retry: 600, expire: 1209600, minimum: 300, ttl: 600, active: false, xfer: "192.0.2.1", alsoNotify: "192.0.2.2" };
        const serialBefore = Number(stored.serial);
        const u = await update(dnsZone.provider, z.id, z, zoneArgs("life.example.com", changes));
        expect(u.diff.changes).toBe(true);
        const after = soa(z.id);
        expect(after).toMatchObject({ ns: "ns2.example.net.", mbox: "admin.example.net.", active: "N", xfer: "192.0.2.1", also_notify: "192.0.2.2" });
        expect(Number(after.ttl)).toBe(600);
        expect(Number(after.serial)).toBeGreaterThan(serialBefore);
        expect(owner(after)).toEqual([1, 1]); // the update did not re-own the zone

        const r2 = await read(dnsZone.provider, z.id, u.outs);
        expect(r2.outs).toMatchObject({ ...changes, ns: "ns2.example.net.", active: false });

        // Origin change → renamed in place (as the UI allows): the zone keeps its id and its
        // records, and a record stored under the old absolute name (`@`) follows it.
        await p.raw.call("dns_a_add", 0, { server_id: 1, zone: Number(z.id), name: "life.example.com.", type: "A", data: "192.0.2.7", ttl: 3600, active: "Y" }, true);
        const renamed = await update(dnsZone.provider, z.id, { outs: r2.outs, inputs: u.inputs }, zoneArgs("life2.example.com", changes));
        expect(renamed.diff.replaces).toEqual([]);
        expect(soa(z.id).origin).toBe("life2.example.com.");
        expect(p.emu.table("dns_rr").filter((r) => String(r.zone) === z.id).map((r) => r.name)).toEqual(["life2.example.com."]);
        // A server change cannot be made in place: replace, delete first (one origin per panel).
        const next = await checked(dnsZone.provider, zoneArgs("life2.example.com", { ...changes, serverId: 2 }), renamed.inputs);
        const d = await dnsZone.provider.diff!(z.id, renamed.outs, next);
        expect(d.replaces).toEqual(["serverId"]);
        expect(d.deleteBeforeReplace).toBe(true);

        await dnsZone.provider.delete!(z.id, r2.outs);
        expect(p.emu.table("dns_soa").some((r) => String(r.id) === z.id)).toBe(false);
        // Idempotent: a second delete is fine, and read sees it gone.
        await dnsZone.provider.delete!(z.id, r2.outs);
        expect((await read(dnsZone.provider, z.id, r2.outs)).id).toBe("");
    });

    it("finds a zone whatever its trailing dot and never confuses example.co with example.com", async () => {
        const com = await create(dnsZone.provider, zoneArgs("prefix.example.com"));
        // A zone made by an older tool without the dot, then one prefix-similar to it.
        await p.raw.call("dns_zone_add", 0, { server_id: 1, origin: "legacy.example.org", ns: "ns1.example.net.", mbox: "h.example.net.", refresh: 7200, retry: 540, expire: 604800, minimum: 3600, ttl: 3600, active: "Y" });
        await expect(create(dnsZone.provider, zoneArgs("legacy.example.org."))).rejects.toThrow(/already exists.*adopt/);
        // example.co is a prefix of example.com's origin: must be created, not confused.
        const co = await create(dnsZone.provider, zoneArgs("prefix.example.co"));
        expect(co.id).not.toBe(com.id);
        expect(soa(co.id).origin).toBe("prefix.example.co.");
        // Adopting the undotted legacy zone takes it over and fixes its spelling.
        const adopted = await create(dnsZone.provider, zoneArgs("legacy.example.org", { adopt: true }));
        expect(soa(adopted.id).origin).toBe("legacy.example.org.");
        expect(p.emu.table("dns_soa").filter((r) => String(r.origin).startsWith("legacy.example.org")).length).toBe(1);
    });

    it("keeps a client's zone with the client on update, re-owns only on an explicit clientId change", async () => {
        const z = await create(dnsZone.provider, zoneArgs("client.example.com", { clientId }));
        const gid = Number(await p.raw.call("client_get_groupid", clientId));
        expect(Number(soa(z.id).sys_groupid)).toBe(gid);
        expect(z.outs.clientId).toBe(clientId);
        const u = await update(dnsZone.provider, z.id, z, zoneArgs("client.example.com", { clientId, ttl: 7200 }));
        expect(Number(soa(z.id).sys_groupid)).toBe(gid);
        expect(u.outs.clientId).toBe(clientId);
        // Back to the admin: in place, the zone and its records together (as the UI does), never a replace.
        const back = await update(dnsZone.provider, z.id, u, zoneArgs("client.example.com", { clientId: 0, ttl: 7200 }));
        expect(back.diff.replaces).toEqual([]);
        expect(Number(soa(z.id).sys_groupid)).toBe(1);
        expect(back.outs.clientId).toBe(0);
        // Left out, the owner is not managed: no change at all.
        const omitted = await checked(dnsZone.provider, zoneArgs("client.example.com", { ttl: 7200 }), u.inputs);
        expect((await dnsZone.provider.diff!(z.id, u.outs, omitted)).changes).toBe(false);
        // Another admin zone moved to the client in place.
        const a = await create(dnsZone.provider, zoneArgs("move.example.com"));
        await update(dnsZone.provider, a.id, a, zoneArgs("move.example.com", { clientId }));
        expect(Number(soa(a.id).sys_groupid)).toBe(gid);
    });

    it("deleting a zone removes the records left in it (as the UI does), so nothing is orphaned", async () => {
        const z = await create(dnsZone.provider, zoneArgs("cascade.example.com"));
        // A record made in the panel, outside Pulumi.
        await p.raw.call("dns_a_add", 0, { server_id: 1, zone: Number(z.id), name: "manual", type: "A", data: "192.0.2.99", ttl: 3600, active: "Y" }, true);
        expect(p.emu.table("dns_rr").filter((r) => String(r.zone) === z.id).length).toBe(1);
        await dnsZone.provider.delete!(z.id, z.outs);
        expect(p.emu.table("dns_rr").filter((r) => String(r.zone) === z.id).length).toBe(0);
        expect(p.emu.table("dns_soa").some((r) => String(r.id) === z.id)).toBe(false);
    });

    it("sees drift and out-of-band deletion on read", async () => {
        const z = await create(dnsZone.provider, zoneArgs("drift.example.com", { ttl: 3600 }));
        await p.raw.call("dns_zone_update", 0, Number(z.id), { ttl: 86400, retry: 900 });
        const r = await read(dnsZone.provider, z.id, z.outs);
        expect(r.outs.ttl).toBe(86400);
        const d = await dnsZone.provider.diff!(z.id, r.outs, z.inputs);
        expect(d.changes).toBe(true);
        // Refresh hands back the declared fields as stored, so the preview can name the drift;
        // `retry` was not declared: the panel's value is kept, not reported as a change.
        expect((await dnsZone.provider.read!(z.id, z.outs)).inputs).toMatchObject({ ttl: 86400, origin: "drift.example.com." });
        expect((await dnsZone.provider.read!(z.id, z.outs)).inputs).not.toHaveProperty("retry");
        await p.raw.call("dns_zone_delete", Number(z.id));
        expect((await read(dnsZone.provider, z.id, r.outs)).id).toBe("");
    });
});

describe("ARecord", () => {
    it("create → read → update every field → read → replace → delete: typed A, serial moves, owner kept", async () => {
        const z = await create(dnsZone.provider, zoneArgs("rec.example.com", { clientId }));
        const gid = Number(await p.raw.call("client_get_groupid", clientId));
        const zoneOwner = owner(soa(z.id));
        let serial = Number(soa(z.id).serial);

        const a = await create(aRecord.provider, { zoneId: z.id, name: "www", address: "192.0.2.10" });
        let stored = rr(a.id)!;
        expect(stored).toMatchObject({ name: "www", type: "A", data: "192.0.2.10", active: "Y" });
        expect(Number(stored.ttl)).toBe(3600);
        expect(Number(stored.sys_groupid)).toBe(gid); // the record has its zone's owner
        expect(owner(soa(z.id))).toEqual(zoneOwner); // …and adding it did not re-own the zone
        expect(Number(soa(z.id).serial)).toBeGreaterThan(serial);
        serial = Number(soa(z.id).serial);
        expect(a.outs).toMatchObject({ name: "www", fqdn: "www.rec.example.com.", address: "192.0.2.10", ttl: 3600, active: true, type: "A" });

        expect((await read(aRecord.provider, a.id, a.outs)).outs).toMatchObject(a.outs);

        const u = await update(aRecord.provider, a.id, a, { zoneId: z.id, name: "web", address: "192.0.2.11", ttl: 300, active: false });
        stored = rr(a.id)!;
        expect(stored).toMatchObject({ name: "web", data: "192.0.2.11", active: "N", type: "A" });
        expect(Number(stored.ttl)).toBe(300);
        expect(Number(stored.sys_groupid)).toBe(gid);
        expect(owner(soa(z.id))).toEqual(zoneOwner);
        expect(Number(soa(z.id).serial)).toBeGreaterThan(serial);
        expect((await read(aRecord.provider, a.id, u.outs)).outs).toMatchObject({ name: "web", address: "192.0.2.11", ttl: 300, active: false });

        const other = await create(dnsZone.provider, zoneArgs("rec2.example.com"));
        const next = await checked(aRecord.provider, { zoneId: other.id, name: "web", address: "192.0.2.11" });
        const d = await aRecord.provider.diff!(a.id, u.outs, next);
        expect(d.replaces).toEqual(["zoneId"]);

        serial = Number(soa(z.id).serial);
        await aRecord.provider.delete!(a.id, u.outs);
        expect(rr(a.id)).toBeUndefined();
        expect(Number(soa(z.id).serial)).toBeGreaterThan(serial);
        await aRecord.provider.delete!(a.id, u.outs); // idempotent
        expect((await read(aRecord.provider, a.id, u.outs)).id).toBe("");
    });

    it("stores @ and * as the UI does and maps them back", async () => {
        const z = await create(dnsZone.provider, zoneArgs("names.example.com"));
        const apex = await create(aRecord.provider, { zoneId: z.id, name: "@", address: "192.0.2.1" });
        const wild = await create(aRecord.provider, { zoneId: z.id, name: "*", address: "192.0.2.2" });
        expect(rr(apex.id)!.name).toBe("names.example.com.");
        expect(rr(wild.id)!.name).toBe("*.names.example.com.");
        expect((await read(aRecord.provider, apex.id, apex.outs)).outs.name).toBe("@");
        expect((await read(aRecord.provider, wild.id, wild.outs)).outs.name).toBe("*");
    });

    it("repairs a record that reads back with an empty type (the type-column bug)", async () => {
        const z = await create(dnsZone.provider, zoneArgs("typebug.example.com"));
        const a = await create(aRecord.provider, { zoneId: z.id, name: "x", address: "192.0.2.3" });
        // An older tool "updated" it without a type: the panel stores ''.
        await p.raw.call("dns_a_delete", Number(a.id));
        const legacyId = String(await p.raw.call("dns_a_add", 0, { server_id: 1, zone: Number(z.id), name: "x", data: "192.0.2.3", ttl: 3600, active: "Y" }));
        expect(rr(legacyId)!.type).toBe("");
        const r = await read(aRecord.provider, legacyId, { ...a.outs, recordId: Number(legacyId) });
        expect(r.outs.type).toBe("");
        const inputs = await checked(aRecord.provider, { zoneId: z.id, name: "x", address: "192.0.2.3" }, a.inputs);
        const d = await aRecord.provider.diff!(legacyId, r.outs, inputs);
        expect(d.changes).toBe(true);
        expect(d.replaces ?? []).toEqual([]);
        await aRecord.provider.update!(legacyId, r.outs, inputs);
        expect(rr(legacyId)!.type).toBe("A");
    });

    it("adopts an existing record by zone+name+address instead of adding a second", async () => {
        const z = await create(dnsZone.provider, zoneArgs("adopt.example.com"));
        const existing = String(await p.raw.call("dns_a_add", 0, { server_id: 1, zone: Number(z.id), name: "mail", type: "A", data: "192.0.2.25", ttl: 3600, active: "Y" }, true));
        const a = await create(aRecord.provider, { zoneId: z.id, name: "mail", address: "192.0.2.25", ttl: 600, adopt: true });
        expect(a.id).toBe(existing);
        expect(Number(rr(existing)!.ttl)).toBe(600);
        expect(p.emu.table("dns_rr").filter((r) => String(r.zone) === z.id && r.name === "mail").length).toBe(1);
    });

    it("in a client's zone: one call when the zone is the client's own, add + serial bump when an admin made it for them", async () => {
        const own = await create(dnsZone.provider, zoneArgs("own.example.com", { clientId }));
        await create(aRecord.provider, { zoneId: own.id, name: "warm", address: "192.0.2.1" }); // zone facts now known
        const ownerBefore = owner(soa(own.id));
        const c1 = await countCalls(p, () => create(aRecord.provider, { zoneId: own.id, name: "one", address: "192.0.2.2" }));
        expect(c1.calls).toEqual(["dns_a_add"]);
        expect(owner(soa(own.id))).toEqual(ownerBefore);

        const ui = await create(dnsZone.provider, zoneArgs("ui.example.com", { clientId }));
        p.emu.panel.tables.dns_soa.find((r) => String(r.id) === ui.id)!.sys_userid = 1; // made by the admin in the UI
        await create(aRecord.provider, { zoneId: ui.id, name: "warm", address: "192.0.2.1" });
        const uiOwner = owner(soa(ui.id));
        const serial = Number(soa(ui.id).serial);
        const c2 = await countCalls(p, () => create(aRecord.provider, { zoneId: ui.id, name: "two", address: "192.0.2.3" }));
        expect(c2.calls).toEqual(["dns_a_add", "dns_zone_get", "dns_zone_update"]);
        expect(owner(soa(ui.id))).toEqual(uiOwner); // sys_userid stays the admin's
        expect(Number(soa(ui.id).serial)).toBeGreaterThan(serial);
        expect(Number(rr(c2.result.id)!.sys_groupid)).toBe(uiOwner[1]);
    });

    it("costs one SOAP call to create in an admin zone, one to update, one to read and one to delete", async () => {
        const z = await create(dnsZone.provider, zoneArgs("calls.example.com"));
        await create(aRecord.provider, { zoneId: z.id, name: "warm", address: "192.0.2.4" }); // zone facts now known
        const c = await countCalls(p, () => create(aRecord.provider, { zoneId: z.id, name: "one", address: "192.0.2.5" }));
        expect(c.calls).toEqual(["dns_a_add"]);
        const a = c.result;
        const u = await countCalls(p, () => update(aRecord.provider, a.id, a, { zoneId: z.id, name: "one", address: "192.0.2.6" }));
        expect(u.calls).toEqual(["dns_a_update"]);
        const r = await countCalls(p, () => read(aRecord.provider, a.id, u.result.outs));
        expect(r.calls).toEqual(["dns_rr_get_all_by_zone"]); // the zone's listing, shared by every read of the zone in flight
        const d = await countCalls(p, () => aRecord.provider.delete!(a.id, u.result.outs));
        expect(d.calls).toEqual(["dns_a_delete"]);
    });
});
