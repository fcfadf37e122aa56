import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as runtime from "../provider/runtime";
import { dnsZone } from "../provider/resources/dnsZone";
import { dnsRecord } from "../provider/resources/dnsRecord";
import { aRecord } from "../provider/resources/aRecord";
import { getDnsRecords, getDnsZone } from "../provider/lookups";
import { closeSharedSessions, getSharedSession } from "../provider/soap/sharedSession";
import { checked, create, read, update } from "./helpers/panel";
import { DKIM, TYPE_CASES, withOrigin } from "./dnsTypes.fixtures";

/*
 * DnsRecord against a REAL ISPConfig 3.2 panel (skipped unless ISPCONFIG_LIVE_ENDPOINT is set):
 * for each of the 18 types the lifecycle of resources.dnsRecord.test.ts, with the stored row read
 * through the panel's own API; then, with ISPCONFIG_LIVE_DNS=1, "served, not just stored": the
 * panel's server job (dns/apply.sh) writes the zone, named-checkzone must accept it, and `dig`
 * must answer every record as declared.
 *
 *   ISPCONFIG_LIVE_ENDPOINT=http://127.0.0.1:8080/remote/index.php \
 *   ISPCONFIG_LIVE_DNS=1 PANEL_KIT=/work/shared/ispconfig-panel \
 *   npx vitest run test/live.dnsRecord.test.ts
 *
 * ISPCONFIG_LIVE_USERNAME / ISPCONFIG_LIVE_PASSWORD default to the kit's apiuser; the kit's own
 * variables (PANEL_PORT, PANEL_STATE, DNS_PORT, …) pass through to apply.sh and dig.sh, so the
 * same command serves a second panel on other ports. The zone is deleted at the end (KEEP_ZONE=1 keeps it).
 */

// The panel is changed behind the provider's back and read again at once: only overlapping reads share a listing.
process.env.ISPCONFIG_READ_SHARE_MS ??= "0";
const ENDPOINT = process.env.ISPCONFIG_LIVE_ENDPOINT;
const USER = process.env.ISPCONFIG_LIVE_USERNAME ?? "apiuser";
const PASSWORD = process.env.ISPCONFIG_LIVE_PASSWORD ?? "ApiPass123!";
const SERVED = process.env.ISPCONFIG_LIVE_DNS === "1";
const KIT = process.env.PANEL_KIT ?? "/work/shared/ispconfig-panel";
const ORIGIN = `t${Date.now().toString(36)}.dnstypes.test.`;

const raw = () => getSharedSession({ endpoint: ENDPOINT!, username: USER, password: PASSWORD, timeoutMs: 60_000 });
const stored = async (type: string, id: string) => (await raw().call(`dns_${type.toLowerCase()}_get`, Number(id))) as Record<string, string> | null;
const serial = async (zoneId: string) => Number(((await raw().call("dns_zone_get", Number(zoneId))) as Record<string, string>).serial);

function kit(script: string, ...args: string[]): { code: number; out: string } {
    try {
        return { code: 0, out: execFileSync(path.join(KIT, "dns", script), args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 }) };
    } catch (e: any) {
        return { code: e.status ?? 1, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
    }
}

describe.skipIf(!ENDPOINT)("DnsRecord on a real panel", () => {
    let zoneId = "";
    const final: { type: string; id: string; fqdn: string }[] = [];

    beforeAll(async () => {
        runtime.configureWith({ "ispconfig:endpoint": ENDPOINT, "ispconfig:username": USER, "ispconfig:password": PASSWORD });
        const z = await create(dnsZone.provider, { origin: ORIGIN, ns: "ns1.example.net", mbox: "hostmaster@example.net" });
        zoneId = z.id;
        // A zone without NS rows is never loaded by BIND (the SOA's ns is not one).
        await create(dnsRecord.provider, { zoneId, type: "NS", name: "@", target: "ns1.example.net" });
    }, 60_000);

    afterAll(async () => {
        if (zoneId && process.env.KEEP_ZONE !== "1") await dnsZone.provider.delete!(zoneId, { zoneId: Number(zoneId) }).catch(() => undefined);
        if (SERVED && zoneId && process.env.KEEP_ZONE !== "1") kit("apply.sh");
        await closeSharedSessions();
    }, 120_000);

    for (const tc of TYPE_CASES) {
        it(`${tc.type}: create, no-op preview, update, drift + refresh, lost type, replace, delete — stored as the UI stores it`, async () => {
            const args = { zoneId, type: tc.type, ...withOrigin(tc.args, ORIGIN) };
            let s = await serial(zoneId);
            const r = await create(dnsRecord.provider, args);
            const want = tc.stored(ORIGIN);
            const row = (await stored(tc.type, r.id))!;
            expect(row).toMatchObject({ type: tc.type, name: want.name, data: want.data, active: "Y", aux: String(want.aux ?? 0), ttl: String(want.ttl ?? 3600) });
            expect(await serial(zoneId)).toBeGreaterThan(s);

            const r1 = await read(dnsRecord.provider, r.id, r.outs);
            expect((await dnsRecord.provider.diff!(r.id, r1.outs, await checked(dnsRecord.provider, args, r.inputs))).changes).toBe(false);

            s = await serial(zoneId);
            const changedArgs = { ...args, ...withOrigin(tc.change, ORIGIN), ttl: 600 };
            const u = await update(dnsRecord.provider, r.id, { outs: r1.outs, inputs: r.inputs }, changedArgs);
            const wc = tc.changed(ORIGIN);
            expect(await stored(tc.type, r.id)).toMatchObject({ type: tc.type, data: wc.data, aux: String(wc.aux ?? 0), ttl: "600" });
            expect(await serial(zoneId)).toBeGreaterThan(s);

            // Drift made in the panel, seen by refresh, repaired by the next up.
            await raw().call(`dns_${tc.type.toLowerCase()}_update`, 0, Number(r.id), { zone: Number(zoneId), data: want.data, aux: want.aux ?? 0 }, true);
            const drift = await dnsRecord.provider.read!(r.id, u.outs);
            const d = await dnsRecord.provider.diff!(r.id, drift.props!, u.inputs);
            expect(d.changes).toBe(true);
            expect(d.replaces ?? []).toEqual([]);
            await dnsRecord.provider.update!(r.id, drift.props!, u.inputs);
            expect((await stored(tc.type, r.id))!.data).toBe(wc.data);

            // The type-column bug, made through the API as an older tool would: repaired in place.
            await raw().call(`dns_${tc.type.toLowerCase()}_update`, 0, Number(r.id), { zone: Number(zoneId), type: "" }, false);
            const lost = await read(dnsRecord.provider, r.id, u.outs);
            expect(lost.outs.type).toBe("");
            const dl = await dnsRecord.provider.diff!(r.id, lost.outs, u.inputs);
            expect(dl.changes).toBe(true);
            expect(dl.replaces ?? []).toEqual([]);
            await dnsRecord.provider.update!(r.id, lost.outs, u.inputs);
            expect((await stored(tc.type, r.id))!.type).toBe(tc.type);

            const other = await checked(dnsRecord.provider, { ...changedArgs, zoneId: "999999" }, u.inputs);
            expect((await dnsRecord.provider.diff!(r.id, u.outs, other)).replaces).toEqual(["zoneId"]);

            s = await serial(zoneId);
            await dnsRecord.provider.delete!(r.id, u.outs);
            expect(await stored(tc.type, r.id)).toBeFalsy();
            expect(await serial(zoneId)).toBeGreaterThan(s);
            expect((await read(dnsRecord.provider, r.id, u.outs)).id).toBe("");

            // The record as declared stays for the served check.
            const f = await create(dnsRecord.provider, args);
            final.push({ type: tc.type, id: f.id, fqdn: String(f.outs.fqdn) });
        }, 60_000);
    }

    it("ARecord (the thin declaration) and the lookups on the same panel", async () => {
        const a = await create(aRecord.provider, { zoneId, name: "legacy", address: "192.0.2.44" });
        expect(await stored("A", a.id)).toMatchObject({ type: "A", name: "legacy", data: "192.0.2.44", active: "Y" });
        const r = await read(aRecord.provider, a.id, a.outs);
        expect(r.outs).toEqual(a.outs);
        const u = await update(aRecord.provider, a.id, { outs: r.outs, inputs: a.inputs }, { zoneId, name: "legacy", address: "192.0.2.45" });
        expect((await stored("A", a.id))!.data).toBe("192.0.2.45");
        expect(await getDnsZone({ origin: ORIGIN.slice(0, -1) })).toMatchObject({ zoneId: Number(zoneId), origin: ORIGIN });
        const found = await getDnsRecords({ zoneId, type: "A", name: "legacy" });
        expect(found.map((x) => [x.recordId, x.fields])).toEqual([[Number(a.id), { address: "192.0.2.45" }]]);
        await aRecord.provider.delete!(a.id, u.outs);
        expect(await stored("A", a.id)).toBeFalsy();
    }, 60_000);

    it("DnsZone nameservers: the apex NS rows are made with the zone as the UI's template stores them, and served", async () => {
        const origin = `ns-${ORIGIN}`;
        const z = await create(dnsZone.provider, { origin, ns: "ns1.example.net", mbox: "hostmaster@example.net", nameservers: ["ns1.example.net", "ns2.example.net"] });
        try {
            const rows = ((await raw().call("dns_rr_get_all_by_zone", Number(z.id))) as Record<string, string>[]).map((r) => [r.name, r.type, r.data, r.aux, r.active]).sort();
            expect(rows).toEqual([
                [origin, "NS", "ns1.example.net.", "0", "Y"],
                [origin, "NS", "ns2.example.net.", "0", "Y"],
            ]);
            expect((await read(dnsZone.provider, z.id, z.outs)).outs.nameservers).toEqual(["ns1.example.net.", "ns2.example.net."]);
            if (SERVED) {
                const apply = kit("apply.sh");
                expect(apply.code, apply.out).toBe(0);
                expect(kit("dig.sh", origin, "NS", "+short").out.trim().split("\n").sort()).toEqual(["ns1.example.net.", "ns2.example.net."]);
            }
        } finally {
            await dnsZone.provider.delete!(z.id, z.outs);
        }
    }, 120_000);

    it.skipIf(!SERVED)("the server job's verdict: a zone BIND rejects after our change fails the create with BIND's text (dnsApplyWaitSeconds), and the record is taken out again", async () => {
        // A row the API accepts and BIND cannot load (an empty CAA), made behind our back.
        const bad = String(await raw().call("dns_caa_add", 0, { server_id: 1, zone: Number(zoneId), name: "broken", type: "CAA", data: "", ttl: 3600, active: "Y" }, true));
        runtime.configureWith({ "ispconfig:endpoint": ENDPOINT, "ispconfig:username": USER, "ispconfig:password": PASSWORD, "ispconfig:dnsApplyWaitSeconds": "90" });
        try {
            // The panel's cron, a few seconds after our write.
            const job = new Promise((r) => setTimeout(r, 3000)).then(() => promisify(execFile)(path.join(KIT, "dns", "apply.sh"), [], { timeout: 120_000 }).catch((e) => e));
            const err = await create(dnsRecord.provider, { zoneId, type: "TXT", name: "verdict", value: "waits for the server job" }).catch((e) => e);
            await job;
            expect(String(err)).toMatch(/could not put zone \d+ live \(sys_datalog \d+\):.*(unexpected end of input|not loaded due to errors)/s);
            const left = (await raw().call("dns_txt_get", { zone: Number(zoneId), name: "verdict" })) as unknown[];
            expect(left).toEqual([]);
        } finally {
            runtime.configureWith({ "ispconfig:endpoint": ENDPOINT, "ispconfig:username": USER, "ispconfig:password": PASSWORD });
            await raw().call("dns_caa_delete", Number(bad), true);
        }
    }, 180_000);

    it.skipIf(!SERVED)("served, not just stored: the server job writes the zone, named-checkzone accepts it, dig answers every record as declared", async () => {
        // A DKIM key longer than 255 characters: stored whole, served as 255-byte strings.
        const dkim = await create(dnsRecord.provider, { zoneId, type: "TXT", name: "default._domainkey", value: DKIM });
        const apply = kit("apply.sh");
        expect(apply.out).not.toMatch(/rejected by named-checkzone: [1-9]|sys_datalog errors/);
        expect(apply.code, apply.out).toBe(0);
        const zoneFile = path.join(process.env.PANEL_STATE ?? "/var/lib/ispconfig-panel", "bind", "zones", `pri.${ORIGIN.slice(0, -1)}`);
        if (existsSync(zoneFile)) execFileSync("named-checkzone", [ORIGIN.slice(0, -1), zoneFile], { encoding: "utf8" });
        const problems: string[] = [];
        for (const tc of TYPE_CASES) {
            if (!tc.dig) continue;
            const rec = final.find((f) => f.type === tc.type);
            if (!rec) continue;
            const q = kit("dig.sh", rec.fqdn, tc.digType ?? tc.type, "+short");
            const got = q.out.trim().split("\n").filter(Boolean);
            const wantAnswer = tc.dig(ORIGIN);
            if (JSON.stringify(got.sort()) !== JSON.stringify([...wantAnswer].sort())) problems.push(`${tc.type} ${rec.fqdn}: got ${JSON.stringify(got)}, want ${JSON.stringify(wantAnswer)}`);
        }
        const served = kit("dig.sh", String(dkim.outs.fqdn), "TXT", "+short").out.trim();
        expect(served).toBe(DKIM.match(/.{1,255}/g)!.map((x) => `"${x}"`).join(" "));
        expect(problems).toEqual([]);
    }, 180_000);
});
