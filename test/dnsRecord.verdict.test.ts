import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dnsZone } from "../provider/resources/dnsZone";
import { dnsRecord } from "../provider/resources/dnsRecord";
import { dnsZoneRecords } from "../provider/resources/dnsZoneRecords";
import { Panel, countCalls, create, row, startPanel, update } from "./helpers/panel";

/*
 * The server job's verdict (ispconfig:dnsApplyWaitSeconds): after a DNS write the provider
 * watches sys_datalog; an error the panel's server job records for the zone (BIND refused it, so
 * the change never goes live) fails the operation with the server's text, and a create takes its
 * record out again. Off by default: then no sys_datalog call at all.
 */
let p: Panel;
const CNAME_CLASH = "dns_master_load: pri.v.example.com:12: www.v.example.com: CNAME and other data\nzone v.example.com/IN: not loaded due to errors.";
beforeAll(async () => {
    process.env.ISPCONFIG_DNS_APPLY_POLL_MS = "50";
    p = await startPanel({}, { "ispconfig:dnsApplyWaitSeconds": "1" });
});
afterAll(async () => {
    delete process.env.ISPCONFIG_DNS_APPLY_POLL_MS;
    await p.close();
});

const job = (error?: string) => setTimeout(() => (p.emu.panel as any).dnsServerJob(() => error), 200);

describe("the panel's server job reports back", () => {
    it("a zone BIND rejects after our change fails the create, names the server's error, and the record is taken out again", async () => {
        const z = await create(dnsZone.provider, { origin: "v.example.com", ns: "ns1.example.net", mbox: "hostmaster@example.net" });
        // A row made in the panel that BIND cannot load (the API accepts it).
        await p.raw.call("dns_a_add", 0, { server_id: 1, zone: Number(z.id), name: "www", type: "A", data: "192.0.2.1", ttl: 3600, active: "Y" }, true);
        job(CNAME_CLASH);
        const err = await create(dnsRecord.provider, { zoneId: z.id, type: "TXT", name: "info", value: "hello" }).catch((e) => e);
        expect(String(err)).toMatch(/could not put zone \d+ live \(sys_datalog \d+\): dns_master_load: .*CNAME and other data/s);
        expect(String(err)).toMatch(/keeps serving the zone's last good version/);
        expect(p.emu.table("dns_rr").filter((r) => r.name === "info")).toEqual([]);

        // Once the zone loads again, the same create succeeds (after watching the whole wait).
        job(undefined);
        const t0 = Date.now();
        const ok = await create(dnsRecord.provider, { zoneId: z.id, type: "TXT", name: "info", value: "hello" });
        expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
        expect(row(p, "dns_rr", (r) => String(r.id) === ok.id)).toBeDefined();

        // An update the server rejects fails too (the state keeps the old values, so the next up tries again).
        job(CNAME_CLASH);
        await expect(update(dnsRecord.provider, ok.id, ok, { zoneId: z.id, type: "TXT", name: "info", value: "again" })).rejects.toThrow(/CNAME and other data/);
    });

    it("a DnsZoneRecords whose zone BIND rejects after the batch: the error names it and every record of the batch is taken out again", async () => {
        const z = await create(dnsZone.provider, { origin: "vs.example.com", ns: "ns1.example.net", mbox: "hostmaster@example.net" });
        job(CNAME_CLASH);
        const records = [{ type: "A", name: "www", address: "192.0.2.1" }, { type: "TXT", name: "info", value: "hello" }];
        const err = await create(dnsZoneRecords.provider, { zoneId: z.id, records }).catch((e) => e);
        expect(String(err)).toMatch(/putting the zone live failed: .*CNAME and other data.*were undone/s);
        expect(p.emu.table("dns_rr").filter((r) => String(r.zone) === z.id)).toEqual([]);
        job(undefined);
        const ok = await create(dnsZoneRecords.provider, { zoneId: z.id, records });
        expect(Object.keys(ok.outs.recordIds)).toHaveLength(2);
    });

    it("is off by default: a write makes no sys_datalog call", async () => {
        const q = await startPanel();
        try {
            const z = await create(dnsZone.provider, { origin: "off.example.com", ns: "ns1.example.net", mbox: "hostmaster@example.net" });
            await create(dnsRecord.provider, { zoneId: z.id, type: "TXT", name: "a", value: "x" });
            const c = await countCalls(q, () => create(dnsRecord.provider, { zoneId: z.id, type: "TXT", name: "b", value: "y" }));
            expect(c.calls).toEqual(["dns_txt_add"]);
        } finally {
            await q.close();
        }
    });
});
