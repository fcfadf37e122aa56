import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { recordGate, setGate } from "../provider/resources/programClaims";
import { dnsZoneRecords } from "../provider/resources/dnsZoneRecords";
import { dnsRecord } from "../provider/resources/dnsRecord";
import "../provider/runtime";

/*
 * A record is declared in one place: a DnsRecord/ARecord and a DnsZoneRecords naming the same
 * record of one zone, or any DnsRecord in the zone of an authoritative set, fail both resources'
 * check (before any call, so nothing is written) with one message naming both.
 */
pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: () => ({}) }, "project", "stack", false);

/** What the gate resolves to, then what check makes of it (as the engine would call it). */
async function settled(o: pulumi.Output<string>, kind: "set" | "record") {
    const gate = await (o as any).promise();
    if (gate === "ok") return { ok: gate };
    const r = kind === "set"
        ? await dnsZoneRecords.provider.check!({}, { zoneId: 1, records: [A("www")], claimCheck: gate })
        : await dnsRecord.provider.check!({}, { zoneId: 1, type: "A", name: "www", address: "192.0.2.1", claimCheck: gate });
    return { error: r.failures!.map((f) => `${f.property}: ${f.reason}`).join("\n") };
}
const A = (name: string, address = "192.0.2.1") => ({ type: "A", name, address });

describe("a record is declared in one place (program side)", () => {
    it("the same name and type in a set and a DnsRecord of the same zone: both fail, each naming the other", async () => {
        const set = setGate("zone-a", { zoneId: "101", records: [A("www"), A("@")] });
        const rec = recordGate("DnsRecord", "www-rec", { zoneId: "101", type: "a", name: "WWW" });
        const [s, r] = await Promise.all([settled(set, "set"), settled(rec, "record")]);
        expect(s.error).toMatch(/^records: /);
        expect(r.error).toMatch(/^name: /);
        for (const x of [s, r]) {
            expect(x.error).toMatch(/the A record\(s\) at "www" in zone 101 are declared both in DnsZoneRecords "zone-a" and in DnsRecord "www-rec"/);
        }
    });

    it("an ARecord in the zone of an authoritative set is refused: the set would delete it", async () => {
        const set = setGate("zone-b", { zoneId: 102, records: [A("www")], authoritative: true });
        const rec = recordGate("ARecord", "mail-a", { zoneId: 102, name: "mail" }, "A");
        const [s, r] = await Promise.all([settled(set, "set"), settled(rec, "record")]);
        expect(s.error).toMatch(/DnsZoneRecords "zone-b" is authoritative for zone 102: it would delete the A record "mail" declared by ARecord "mail-a"/);
        expect(r.error!.replace(/^name/, "records")).toBe(s.error);
    });

    it("two sets on one zone: refused beside an authoritative one, or when both declare a name and type", async () => {
        const a = setGate("team-a", { zoneId: 105, records: [A("www"), A("api")] });
        const b = setGate("team-b", { zoneId: 105, records: [A("www"), A("shop")] });
        const [sa, sb] = await Promise.all([settled(a, "set"), settled(b, "set")]);
        expect(sa.error).toMatch(/DnsZoneRecords "team-a" and "team-b" both declare "www A" in zone 105/);
        expect(sb.error).toMatch(/DnsZoneRecords "team-b" and "team-a" both declare "www A" in zone 105/);
        const c = setGate("all", { zoneId: 106, records: [A("www")], authoritative: true });
        const d = setGate("extra", { zoneId: 106, records: [A("api")] });
        const [sc, sd] = await Promise.all([settled(c, "set"), settled(d, "set")]);
        expect(sc.error).toMatch(/"all" is authoritative for zone 106: it would delete the records of DnsZoneRecords "extra"/);
        expect(sd.error).toBe(sc.error);
        // Two sets of different names on one zone, neither authoritative, are fine.
        const e = setGate("e1", { zoneId: 107, records: [A("www")] });
        const f = setGate("e2", { zoneId: 107, records: [A("api")] });
        expect(await Promise.all([settled(e, "set"), settled(f, "set")])).toEqual([{ ok: "ok" }, { ok: "ok" }]);
    });

    it("other names, other zones, other panels, and a non-authoritative set beside DnsRecords of other names pass", async () => {
        const outs = [
            setGate("zone-c", { zoneId: 103, records: [A("www")] }),
            recordGate("DnsRecord", "mx", { zoneId: 103, type: "MX", name: "@" }),
            recordGate("DnsRecord", "www-aaaa", { zoneId: 103, type: "AAAA", name: "www" }),
            recordGate("DnsRecord", "www-other-zone", { zoneId: 104, type: "A", name: "www" }),
            recordGate("DnsRecord", "www-other-panel", { zoneId: 103, type: "A", name: "www", panel: "eu" }),
        ];
        for (const o of await Promise.all(outs.map((o, i) => settled(o, i === 0 ? "set" : "record")))) expect(o).toEqual({ ok: "ok" });
    });

    it("the hidden input never reaches state: check drops it", async () => {
        const r = await dnsZoneRecords.provider.check!({}, { zoneId: 1, records: [A("www")], claimCheck: "ok" });
        expect(r.inputs).not.toHaveProperty("claimCheck");
        const d = await dnsRecord.provider.check!({}, { zoneId: 1, type: "A", name: "www", address: "192.0.2.1", claimCheck: "ok" });
        expect(d.inputs).not.toHaveProperty("claimCheck");
    });
});
