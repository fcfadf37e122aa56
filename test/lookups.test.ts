import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dnsZone } from "../provider/resources/dnsZone";
import { dnsRecord } from "../provider/resources/dnsRecord";
import { getDnsRecords, getDnsZone } from "../provider/lookups";
import { Panel, countCalls, create, startPanel } from "./helpers/panel";

let p: Panel;
beforeAll(async () => {
    p = await startPanel();
});
afterAll(() => p.close());

describe("lookups", () => {
    it("getDnsZone finds a zone by its exact origin in either spelling, never by prefix", async () => {
        const z = await create(dnsZone.provider, { origin: "look.example.com", ns: "ns1.example.net", mbox: "hostmaster@example.net" });
        await create(dnsZone.provider, { origin: "look.example.co", ns: "ns1.example.net", mbox: "hostmaster@example.net" });
        const { result, calls } = await countCalls(p, () => getDnsZone({ origin: "look.example.com." }));
        expect(result).toMatchObject({ zoneId: Number(z.id), origin: "look.example.com.", ns: "ns1.example.net.", active: true, serverId: 1 });
        expect(calls).toEqual(["dns_zone_get"]);
        expect((await getDnsZone({ origin: "look.example.co" })).zoneId).not.toBe(Number(z.id));
        await expect(getDnsZone({ origin: "look.example.c" })).rejects.toThrow(/no DNS zone "look.example.c"/);
    });

    it("getDnsRecords lists a zone's records (made anywhere), by type and name, with the type's fields", async () => {
        const z = await create(dnsZone.provider, { origin: "recs.example.com", ns: "ns1.example.net", mbox: "hostmaster@example.net" });
        await create(dnsRecord.provider, { zoneId: z.id, type: "MX", name: "@", target: "mail.recs.example.com", priority: 5 });
        await create(dnsRecord.provider, { zoneId: z.id, type: "TXT", name: "@", value: "v=spf1 mx -all" });
        await p.raw.call("dns_a_add", 0, { server_id: 1, zone: Number(z.id), name: "www", type: "A", data: "192.0.2.1", ttl: 3600, active: "Y" }, true);
        const all = await getDnsRecords({ zoneId: z.id });
        expect(all.map((r) => r.type).sort()).toEqual(["A", "MX", "TXT"]);
        const mx = await getDnsRecords({ zoneId: z.id, type: "mx" });
        expect(mx).toHaveLength(1);
        expect(mx[0]).toMatchObject({ name: "recs.example.com.", fqdn: "recs.example.com.", data: "mail.recs.example.com.", aux: 5, fields: { priority: 5, target: "mail.recs.example.com." } });
        expect((await getDnsRecords({ zoneId: z.id, name: "@" })).map((r) => r.type).sort()).toEqual(["MX", "TXT"]);
        expect((await getDnsRecords({ zoneId: z.id, name: "www.recs.example.com." }))[0].fields).toEqual({ address: "192.0.2.1" });
        await expect(getDnsRecords({ zoneId: 99999 })).rejects.toThrow(/no DNS zone with id 99999/);
    });
});
