import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dnsZone } from "../provider/resources/dnsZone";
import { Panel, addClient, checked, countCalls, create, read, row, startPanel, update } from "./helpers/panel";

/*
 * DnsZone offers its NS records: a zone without any is never loaded by BIND (the SOA's ns is not
 * one), and the API's dns_zone_add makes none. `nameservers` makes them with the zone, keeps them
 * to the list, and never removes an NS record it did not make.
 */
let p: Panel;
let clientId: number;
beforeAll(async () => {
    p = await startPanel();
    clientId = await addClient(p, "nscust");
});
afterAll(() => p.close());

const zoneArgs = (origin: string, extra: Record<string, unknown> = {}) => ({ origin, ns: "ns1.example.net", mbox: "hostmaster@example.net", ...extra });
const apexNs = (zoneId: string, origin: string) =>
    p.emu.table("dns_rr").filter((r) => String(r.zone) === zoneId && r.type === "NS" && r.name === origin).map((r) => r.data).sort();

describe("DnsZone nameservers", () => {
    it("makes the apex NS records with the zone, reads them back, keeps them to the list, and leaves others' alone", async () => {
        const z = await create(dnsZone.provider, zoneArgs("ns.example.com", { clientId, nameservers: ["NS2.example.net", "ns1.example.net."] }));
        expect(apexNs(z.id, "ns.example.com.")).toEqual(["ns1.example.net.", "ns2.example.net."]);
        const gid = Number(row(p, "dns_soa", (r) => String(r.id) === z.id)!.sys_groupid);
        for (const r of p.emu.table("dns_rr").filter((x) => String(x.zone) === z.id)) expect(Number(r.sys_groupid)).toBe(gid);
        expect(z.outs.nameservers).toEqual(["ns1.example.net.", "ns2.example.net."]);
        expect(Number(z.outs.serial) % 100).toBeGreaterThan(1); // each NS add moved the serial
        const r1 = await read(dnsZone.provider, z.id, z.outs);
        expect(r1.outs.nameservers).toEqual(["ns1.example.net.", "ns2.example.net."]);
        expect((await dnsZone.provider.diff!(z.id, r1.outs, await checked(dnsZone.provider, zoneArgs("ns.example.com", { clientId, nameservers: ["ns1.example.net", "ns2.example.net"] }), z.inputs))).changes).toBe(false);

        // Someone adds an NS in the panel and deletes one of ours: ours is missing (drift), theirs is not ours.
        await p.raw.call("dns_ns_add", 0, { server_id: 1, zone: Number(z.id), name: "ns.example.com.", type: "NS", data: "ns9.example.org.", ttl: 3600, active: "Y" }, true);
        const ns2 = p.emu.table("dns_rr").find((r) => String(r.zone) === z.id && r.data === "ns2.example.net.")!;
        await p.raw.call("dns_ns_delete", Number(ns2.id), true);
        const drift = await read(dnsZone.provider, z.id, z.outs);
        expect(drift.outs.nameservers).toEqual(["ns1.example.net."]);
        const u = await update(dnsZone.provider, z.id, { outs: drift.outs, inputs: z.inputs }, zoneArgs("ns.example.com", { clientId, nameservers: ["ns1.example.net", "ns3.example.net"] }));
        expect(u.diff.replaces).toEqual([]);
        // ns3 added, ns2 (ours, no longer listed) stays gone, ns9 (not ours) untouched.
        expect(apexNs(z.id, "ns.example.com.")).toEqual(["ns1.example.net.", "ns3.example.net.", "ns9.example.org."]);
        const u2 = await update(dnsZone.provider, z.id, u, zoneArgs("ns.example.com", { clientId, nameservers: ["ns3.example.net"] }));
        expect(apexNs(z.id, "ns.example.com.")).toEqual(["ns3.example.net.", "ns9.example.org."]);
        expect(u2.outs.nameservers).toEqual(["ns3.example.net."]);
        for (const r of p.emu.table("dns_rr").filter((x) => String(x.zone) === z.id && x.data !== "ns9.example.org.")) expect(Number(r.sys_groupid)).toBe(gid);
    });

    it("refuses an empty list, a bad name and a duplicate in check; left out, no NS record and no extra call", async () => {
        for (const [ns, msg] of [[[], /at least one/], [["ns1"], /single label/], [["ns1.example.net", "NS1.example.net."], /twice/], ["ns1.example.net", /list/]] as const) {
            const r = await dnsZone.provider.check!({}, zoneArgs("bad.example.com", { nameservers: ns }));
            expect(r.failures?.[0]?.reason).toMatch(msg);
        }
        const c = await countCalls(p, () => create(dnsZone.provider, zoneArgs("plain.example.com")));
        expect(c.calls).toEqual(["dns_zone_get", "dns_zone_add"]);
        expect(p.emu.table("dns_rr").filter((r) => String(r.zone) === c.result.id)).toEqual([]);
        const r = await countCalls(p, () => read(dnsZone.provider, c.result.id, c.result.outs));
        expect(r.calls).toEqual(["dns_zone_get"]);
        expect(r.result.outs).not.toHaveProperty("nameservers");
    });
});
