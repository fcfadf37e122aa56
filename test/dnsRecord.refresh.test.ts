import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dnsZone } from "../provider/resources/dnsZone";
import { dnsRecord } from "../provider/resources/dnsRecord";
import { aRecord } from "../provider/resources/aRecord";
import { Panel, countCalls, create, startPanel, update } from "./helpers/panel";

/*
 * A refresh costs one call per zone, not per record: the reads of a zone that are in flight
 * together share one dns_rr_get_all_by_zone; a write through this process makes the next read
 * list the zone again, so nothing stale is ever read back.
 */
let p: Panel;
beforeAll(async () => {
    p = await startPanel();
});
afterAll(() => p.close());

const zoneArgs = (origin: string) => ({ origin, ns: "ns1.example.net", mbox: "hostmaster@example.net" });

describe("refresh: one listing per zone", () => {
    it("reads 120 records of three kinds and types in 2 zones with 2 calls, sees later changes, and never reads stale after a write", async () => {
        const zones = [await create(dnsZone.provider, zoneArgs("r1.example.com")), await create(dnsZone.provider, zoneArgs("r2.example.com"))];
        const recs: { provider: typeof dnsRecord.provider; id: string; outs: any; inputs: any }[] = [];
        for (const [zi, z] of zones.entries()) {
            for (let i = 0; i < 50; i++) {
                const args = i % 3 === 0
                    ? { zoneId: z.id, type: "MX", name: `m${i}`, target: `mail${i}.example.net`, priority: i }
                    : i % 3 === 1 ? { zoneId: z.id, type: "TXT", name: `t${i}`, value: `v=${zi}-${i}` }
                    : { zoneId: z.id, type: "AAAA", name: `h${i}`, address: `2001:db8::${i}` };
                recs.push({ provider: dnsRecord.provider, ...(await create(dnsRecord.provider, args)) });
            }
            for (let i = 0; i < 10; i++) recs.push({ provider: aRecord.provider, ...(await create(aRecord.provider, { zoneId: z.id, name: `a${i}`, address: `192.0.2.${i + 1}` })) });
        }
        const readAll = () => Promise.all(recs.map((r) => r.provider.read!(r.id, r.outs)));
        const first = await countCalls(p, readAll);
        expect(first.calls).toEqual(["dns_rr_get_all_by_zone", "dns_rr_get_all_by_zone"]);
        expect(first.result.every((r, i) => r.id === recs[i].id)).toBe(true);

        // A change made in the panel is seen by the next refresh (no listing outlives its reads).
        const mx = recs[0];
        await p.raw.call("dns_mx_update", 0, Number(mx.id), { zone: Number(zones[0].id), aux: 99 }, true);
        const second = await countCalls(p, readAll);
        expect(second.calls.length).toBe(2);
        expect(second.result[0].props!.priority).toBe(99);

        // A write through this process: the next read lists the zone again and sees the new row.
        const t = recs[1];
        const u = await update(dnsRecord.provider, t.id, t, { zoneId: zones[0].id, type: "TXT", name: "t1", value: "changed" });
        const after = await countCalls(p, () => dnsRecord.provider.read!(t.id, u.outs));
        expect(after.calls).toEqual(["dns_rr_get_all_by_zone"]);
        expect(after.result.props!.value).toBe("changed");

        // A record deleted in the panel reads as gone (one get by id to be sure it did not just move zones).
        await p.raw.call("dns_aaaa_delete", Number(recs[2].id), true);
        const gone = await countCalls(p, () => dnsRecord.provider.read!(recs[2].id, recs[2].outs));
        expect(gone.result.id).toBe("");
        expect(gone.calls).toEqual(["dns_rr_get_all_by_zone", "dns_aaaa_get"]);
    });

    it("with the production window (ISPCONFIG_READ_SHARE_MS=1000), reads one after another share the listing too, until a write", async () => {
        const z = await create(dnsZone.provider, zoneArgs("r3.example.com"));
        const recs = [];
        for (let i = 0; i < 10; i++) recs.push(await create(dnsRecord.provider, { zoneId: z.id, type: "TXT", name: `t${i}`, value: `v${i}` }));
        process.env.ISPCONFIG_READ_SHARE_MS = "1000";
        try {
            const seq = await countCalls(p, async () => {
                for (const r of recs) await dnsRecord.provider.read!(r.id, r.outs);
            });
            expect(seq.calls).toEqual(["dns_rr_get_all_by_zone"]);
            const u = await update(dnsRecord.provider, recs[0].id, recs[0], { zoneId: z.id, type: "TXT", name: "t0", value: "new" });
            const after = await countCalls(p, () => dnsRecord.provider.read!(recs[0].id, u.outs));
            expect(after.calls).toEqual(["dns_rr_get_all_by_zone"]);
            expect(after.result.props!.value).toBe("new");
        } finally {
            process.env.ISPCONFIG_READ_SHARE_MS = "0";
        }
    });
});
