import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as runtime from "../provider/runtime";
import * as api from "../provider/api";
import { dnsZone } from "../provider/resources/dnsZone";
import { dnsZoneRecords } from "../provider/resources/dnsZoneRecords";
import { closeSharedSessions, getSharedSession } from "../provider/soap/sharedSession";
import { checked, create, read, up as upWith } from "./helpers/panel";
import { CountingProxy, startCountingProxy } from "./live/proxy";
import { TYPE_CASES, withOrigin, recordWrites, WEB_RECORDS as WEB } from "./dnsTypes.fixtures";

/*
 * DnsZoneRecords against a REAL ISPConfig 3.2 panel (skipped unless ISPCONFIG_LIVE_ENDPOINT is
 * set): what test/dnsZoneRecords.test.ts shows on the test panel, on the real one. The provider
 * talks to the panel through a counting proxy (test/live/proxy.ts), so every call it makes is
 * counted by method; changes behind its back go straight to the panel.
 *
 *   ISPCONFIG_LIVE_ENDPOINT=http://127.0.0.1:8080/remote/index.php ISPCONFIG_LIVE_CLIENT_ID=1 \
 *   [ISPCONFIG_LIVE_DNS=1 PANEL_KIT=/work/shared/ispconfig-panel] npx vitest run test/live.dnsZoneRecords.test.ts
 *
 * Run once per sql_mode (the kit's sqlmode.sh; .ci/run does relaxed and strict). With
 * ISPCONFIG_LIVE_DNS=1 (after the kit's dns/setup.sh) the 18-type set is also written by the
 * panel's server job, checked by named-checkzone and asked for with dig, and a zone BIND rejects
 * fails the up with the server job's verdict (dnsApplyWaitSeconds), undone. Every zone made here
 * is deleted at the end (KEEP_ZONE=1 keeps them).
 */

// The panel is changed behind the provider's back and read again at once: only overlapping reads share a listing.
process.env.ISPCONFIG_READ_SHARE_MS ??= "0";
const ENDPOINT = process.env.ISPCONFIG_LIVE_ENDPOINT;
const USER = process.env.ISPCONFIG_LIVE_USERNAME ?? "apiuser";
const PASSWORD = process.env.ISPCONFIG_LIVE_PASSWORD ?? "ApiPass123!";
const CLIENT_ID = Number(process.env.ISPCONFIG_LIVE_CLIENT_ID ?? 0);
const SERVED = process.env.ISPCONFIG_LIVE_DNS === "1";
const KIT = process.env.PANEL_KIT ?? "/work/shared/ispconfig-panel";
const RUN = `zr${Date.now().toString(36)}`;

const prov = dnsZoneRecords.provider;
const raw = () => getSharedSession({ endpoint: ENDPOINT!, username: USER, password: PASSWORD, timeoutMs: 60_000 });
type Row = Record<string, string>;
const rrOf = async (zoneId: string) => (await raw().call("dns_rr_get_all_by_zone", Number(zoneId))) as Row[];
const zoneRow = async (zoneId: string) => (await raw().call("dns_zone_get", Number(zoneId))) as Row;
const serialOf = async (zoneId: string) => Number((await zoneRow(zoneId)).serial);
const serialMoves = (calls: string[]) => calls.filter((m) => m === "dns_zone_update").length;
const shape = (rows: Row[]) => rows.map((r) => `${r.name} ${r.type} ${r.aux} ${r.data}`).sort();

function kit(script: string, ...args: string[]): { code: number; out: string } {
    try {
        return { code: 0, out: execFileSync(path.join(KIT, "dns", script), args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 }) };
    } catch (e: any) {
        return { code: e.status ?? 1, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
    }
}

let proxy: CountingProxy;
/** Set by a test: runs before a call reaches the panel (see the failure test). */
let before: ((method: string, nth: number) => Promise<void>) | undefined;
/** The calls the provider makes while `fn` runs, by method, as the panel receives them. */
async function countCalls<T>(fn: () => Promise<T>): Promise<{ result: T; calls: string[] }> {
    const n = proxy.methods.length;
    const result = await fn();
    return { result, calls: proxy.methods.slice(n) };
}

/** check → diff → update, as `pulumi up` does (see helpers/panel.ts). */
const up = (state: { id: string; outs: Record<string, any> }, args: Record<string, unknown>) => upWith(prov, state, args);

const zones: string[] = [];
let n = 0;
/** A zone as a program declares it, with two apex NS records (a zone without NS is never served). */
async function newZone() {
    const origin = `z${++n}.${RUN}.dnstypes.test.`;
    const z = await create(dnsZone.provider, { origin, ns: "ns1.example.net", mbox: "hostmaster@example.net", nameservers: ["ns1.example.net", "ns2.example.net"], ...(CLIENT_ID ? { clientId: CLIENT_ID } : {}) });
    zones.push(z.id);
    return { id: z.id, origin, outs: z.outs };
}

/** The key of the set's one record of a type (the fixture declares one of each). */
const keyOf = (outs: Record<string, any>, type: string) => Object.keys(outs.recordIds).find((k) => k.split(" ")[1] === type)!;
const allTypes = (origin: string) => TYPE_CASES.map((tc) => ({ type: tc.type, ...withOrigin(tc.args, origin) }));

describe.skipIf(!ENDPOINT)(`DnsZoneRecords on a real panel (${process.env.ISPCONFIG_LIVE_SQL_MODE ?? "relaxed"} sql_mode)`, () => {
    beforeAll(async () => {
        proxy = await startCountingProxy(ENDPOINT!, { before: (m, i) => before?.(m, i) });
        runtime.configureWith({ "ispconfig:endpoint": proxy.url, "ispconfig:username": USER, "ispconfig:password": PASSWORD });
    }, 60_000);

    afterAll(async () => {
        if (process.env.KEEP_ZONE !== "1") {
            for (const id of zones) await dnsZone.provider.delete!(id, { zoneId: Number(id) }).catch(() => undefined);
            if (SERVED) kit("apply.sh");
        }
        await closeSharedSessions();
        await proxy?.close();
    }, 120_000);

    it("the 18 types: stored as the UI stores them, one listing, one serial move; the same program again is no change and no call; a refresh is one call", async () => {
        const z = await newZone();
        const records = allTypes(z.origin);
        const s0 = await serialOf(z.id);
        const { result: r, calls } = await countCalls(() => create(prov, { zoneId: z.id, records }));
        expect(calls.filter((m) => m === "dns_rr_get_all_by_zone")).toHaveLength(1);
        expect(recordWrites(calls)).toHaveLength(18);
        expect(new Set(recordWrites(calls))).toEqual(new Set(TYPE_CASES.map((tc) => `dns_${tc.type.toLowerCase()}_add`)));
        // Written with update_serial off, the serial moved once for all 18.
        expect(serialMoves(calls)).toBe(1);
        expect(await serialOf(z.id)).toBe(api.nextSerial(s0));

        const zone = await zoneRow(z.id);
        const rows = await rrOf(z.id);
        for (const tc of TYPE_CASES) {
            const want = tc.stored(z.origin);
            const id = r.outs.recordIds[keyOf(r.outs, tc.type)];
            const row = rows.find((x) => Number(x.id) === id);
            expect(row, `${tc.type}: record ${id} in the zone`).toBeDefined();
            expect({ type: row!.type, name: row!.name, data: row!.data, aux: row!.aux, ttl: row!.ttl, active: row!.active }, `${tc.type} stored as the UI stores it`).toEqual({
                type: tc.type, name: want.name, data: want.data, aux: String(want.aux ?? 0), ttl: String(want.ttl ?? 3600), active: "Y",
            });
            // The zone's owner, as when the UI adds a record.
            expect(row!.sys_groupid, `${tc.type} owner`).toBe(zone.sys_groupid);
            expect(row!.server_id).toBe(zone.server_id);
        }
        expect(Object.keys(r.outs.recordIds)).toHaveLength(18);
        expect(r.outs.records).toEqual(r.inputs.records);

        // The same program again (in another order): no change, no call.
        const { result: again, calls: none } = await countCalls(async () => prov.diff!(r.id, r.outs, await checked(prov, { zoneId: z.id, records: [...records].reverse() }, r.outs)));
        expect(again.changes).toBe(false);
        expect(none).toEqual([]);

        // Refresh: one listing, and what it reads back is what was declared.
        const { result: refreshed, calls: rc } = await countCalls(() => read(prov, z.id, r.outs));
        expect(rc).toEqual(["dns_rr_get_all_by_zone"]);
        expect(refreshed.outs.records).toEqual(r.outs.records);
        expect(refreshed.outs.recordIds).toEqual(r.outs.recordIds);
        const { result: after, calls: none2 } = await countCalls(async () => prov.diff!(r.id, refreshed.outs, await checked(prov, { zoneId: z.id, records }, refreshed.outs)));
        expect(after.changes).toBe(false);
        expect(none2).toEqual([]);

        // Each type changed, one record at a time: one write of that record, one serial move.
        let state = { id: r.id, outs: refreshed.outs };
        const changed = [...records];
        for (const [i, tc] of TYPE_CASES.entries()) {
            changed[i] = { ...changed[i], ...withOrigin(tc.change, z.origin) };
            const s = await serialOf(z.id);
            const { result: u, calls: uc } = await countCalls(() => up(state, { zoneId: z.id, records: changed }));
            expect(u.diff.changes, tc.type).toBe(true);
            expect(recordWrites(uc), `${tc.type} change`).toEqual([`dns_${tc.type.toLowerCase()}_update`]);
            expect(serialMoves(uc)).toBe(1);
            expect(await serialOf(z.id)).toBe(api.nextSerial(s));
            const id = r.outs.recordIds[keyOf(r.outs, tc.type)];
            // Updated in place: the same record, the same id.
            expect(u.outs.recordIds[keyOf(u.outs, tc.type)]).toBe(id);
            const row = (await rrOf(z.id)).find((x) => Number(x.id) === id)!;
            const wc = tc.changed(z.origin);
            expect({ type: row.type, data: row.data, aux: row.aux }, `${tc.type} changed as the UI stores it`).toEqual({ type: tc.type, data: wc.data, aux: String(wc.aux ?? 0) });
            state = { id: r.id, outs: u.outs };
        }
    }, 180_000);

    it("drift made in the panel shows on refresh (one call) and the next up repairs only it; a record deleted in the panel is added again", async () => {
        const z = await newZone();
        const r = await create(prov, { zoneId: z.id, records: WEB });
        const txtId = r.outs.recordIds["@ TXT"];
        const wwwId = r.outs.recordIds["www A"];

        await raw().call("dns_txt_update", 0, txtId, { zone: Number(z.id), type: "TXT", data: "v=spf1 -all" }, false);
        const { result: refreshed, calls: rc } = await countCalls(() => read(prov, z.id, r.outs));
        expect(rc).toEqual(["dns_rr_get_all_by_zone"]);
        expect(refreshed.outs.records["@ TXT"].value).toBe("v=spf1 -all");
        const s = await serialOf(z.id);
        const { result: repaired, calls } = await countCalls(() => up({ id: z.id, outs: refreshed.outs }, { zoneId: z.id, records: WEB }));
        expect(repaired.diff.changes).toBe(true);
        expect(recordWrites(calls)).toEqual(["dns_txt_update"]);
        expect(serialMoves(calls)).toBe(1);
        expect(await serialOf(z.id)).toBe(api.nextSerial(s));
        expect((await rrOf(z.id)).find((x) => Number(x.id) === txtId)!.data).toBe("v=spf1 mx -all");

        await raw().call("dns_a_delete", wwwId, false);
        const gone = await read(prov, z.id, repaired.outs);
        expect(gone.outs.records["www A"]).toBeUndefined();
        const { result: back, calls: bc } = await countCalls(() => up({ id: z.id, outs: gone.outs }, { zoneId: z.id, records: WEB }));
        expect(recordWrites(bc)).toEqual(["dns_a_add"]);
        expect((await rrOf(z.id)).filter((x) => x.name === "www" && x.data === "192.0.2.1")).toHaveLength(1);
        expect(back.outs.recordIds["www A"]).not.toBe(wwwId);
    }, 120_000);

    it("authoritative: a record made in the panel shows as a removal and is deleted; the apex NS stay; records of others are never touched otherwise", async () => {
        const z = await newZone();
        const r = await create(prov, { zoneId: z.id, records: WEB });
        const stray = Number(await raw().call("dns_txt_add", CLIENT_ID, { server_id: 1, zone: Number(z.id), name: "stray", type: "TXT", data: "made by hand", ttl: 3600, active: "Y", stamp: api.stampNow() }, false));
        // Not authoritative: the stranger is not the set's business.
        const plain = await read(prov, z.id, r.outs);
        expect(Object.keys(plain.outs.records).some((k) => k.startsWith("stray"))).toBe(false);
        const { calls: none } = await countCalls(async () => prov.diff!(r.id, plain.outs, await checked(prov, { zoneId: z.id, records: WEB }, plain.outs)));
        expect(none).toEqual([]);

        // Turned on: the stranger goes in that very up (one delete, one serial move).
        const { result: auth, calls: ac } = await countCalls(() => up({ id: z.id, outs: plain.outs }, { zoneId: z.id, records: WEB, authoritative: true }));
        expect(auth.diff.changes).toBe(true);
        expect(recordWrites(ac)).toEqual(["dns_txt_delete"]);
        expect(serialMoves(ac)).toBe(1);
        expect((await rrOf(z.id)).some((x) => Number(x.id) === stray)).toBe(false);

        // Another one made later: a refresh shows it as a removal, the next up deletes it.
        const stray2 = Number(await raw().call("dns_txt_add", CLIENT_ID, { server_id: 1, zone: Number(z.id), name: "stray", type: "TXT", data: "made by hand", ttl: 3600, active: "Y", stamp: api.stampNow() }, false));
        const { result: refreshed, calls: rc } = await countCalls(() => read(prov, z.id, auth.outs));
        expect(rc).toEqual(["dns_rr_get_all_by_zone"]);
        expect(refreshed.outs.records["stray TXT made by hand"]).toEqual({ type: "TXT", name: "stray", value: "made by hand", ttl: 3600, active: true });
        // The apex NS (DnsZone's nameservers) are not the set's: not shown, not deleted.
        expect(Object.keys(refreshed.outs.records).some((k) => k.includes(" NS"))).toBe(false);
        const { result: u, calls } = await countCalls(() => up({ id: z.id, outs: refreshed.outs }, { zoneId: z.id, records: WEB, authoritative: true }));
        expect(u.diff.changes).toBe(true);
        expect(recordWrites(calls)).toEqual(["dns_txt_delete"]);
        const rows = await rrOf(z.id);
        expect(rows.some((x) => Number(x.id) === stray2)).toBe(false);
        expect(rows.filter((x) => x.type === "NS").map((x) => `${x.name} ${x.data}`).sort()).toEqual([`${z.origin} ns1.example.net.`, `${z.origin} ns2.example.net.`]);
        expect(shape(rows).filter((x) => !x.includes(" NS "))).toHaveLength(WEB.length);
    }, 120_000);

    it("a failure halfway (the real panel refuses an update of a record deleted meanwhile) undoes every write of that up; the next up converges", async () => {
        const z = await newZone();
        const r = await create(prov, { zoneId: z.id, records: WEB });
        const beforeRows = shape(await rrOf(z.id));
        const cnameId = r.outs.recordIds["ftp CNAME"];
        const next = [
            ...WEB.filter((x) => x.type !== "TXT").map((x) => (x.name === "www" ? { ...x, address: "192.0.2.50" } : x.type === "CNAME" ? { ...x, target: "web.example.org" } : x)),
            ...Array.from({ length: 12 }, (_, i) => ({ type: "A", name: `h${i}`, address: `192.0.2.${100 + i}` })),
        ];
        // After the plan, right before the CNAME's update reaches the panel, someone deletes that
        // record in the panel: the real panel then refuses the update (the merged row is invalid).
        let fired = false;
        before = async (m) => {
            if (m !== "dns_cname_update" || fired) return;
            fired = true;
            await raw().call("dns_cname_delete", cnameId, false);
        };
        const s = await serialOf(z.id);
        let res: { result: unknown; calls: string[] };
        try {
            res = await countCalls(() => up(r, { zoneId: z.id, records: next }).catch((e) => e));
        } finally {
            before = undefined;
        }
        expect(fired).toBe(true);
        expect(String(res.result)).toMatch(/updating the record "ftp CNAME" failed: .*no longer exists.*were undone/s);
        // Deleted TXT back (a new id), www's address written back, nothing added left behind; the
        // CNAME is gone (deleted by someone else, not by us).
        expect(recordWrites(res.calls).filter((m) => m === "dns_a_add")).toEqual([]);
        expect(shape(await rrOf(z.id))).toEqual(beforeRows.filter((x) => !x.startsWith("ftp CNAME")));
        // One serial move for the writes and their undo.
        expect(serialMoves(res.calls)).toBe(1);
        expect(await serialOf(z.id)).toBe(api.nextSerial(s));

        // A refresh now: the TXT the undo added back (a new id) is still the set's.
        const txt = (await rrOf(z.id)).filter((x) => x.type === "TXT");
        expect(txt).toHaveLength(1);
        const rf = await read(prov, z.id, r.outs);
        expect(rf.outs.recordIds["@ TXT"]).toBe(Number(txt[0].id));

        // The next `up` (from the old state, as the engine keeps it after a failed update) converges without duplicates.
        const ok = await up(r, { zoneId: z.id, records: next });
        expect(ok.diff.changes).toBe(true);
        const rows = await rrOf(z.id);
        expect(rows.filter((x) => x.type === "TXT")).toHaveLength(0);
        expect(rows.filter((x) => x.type === "A")).toHaveLength(14);
        expect(rows.filter((x) => x.type === "CNAME").map((x) => x.data)).toEqual(["web.example.org."]);
        const again = await read(prov, z.id, ok.outs);
        expect((await prov.diff!(z.id, again.outs, await checked(prov, { zoneId: z.id, records: next }, again.outs))).changes).toBe(false);
    }, 120_000);

    it("an identical record already in the zone: refused without adopt (nothing written), taken over with it; a CNAME beside other data refused before any write", async () => {
        const z = await newZone();
        const hand = Number(await raw().call("dns_a_add", CLIENT_ID, { server_id: 1, zone: Number(z.id), name: "www", type: "A", data: "192.0.2.1", ttl: 3600, active: "Y", stamp: api.stampNow() }, false));
        const { result: err, calls } = await countCalls(() => create(prov, { zoneId: z.id, records: WEB }).catch((e) => e));
        expect(String(err)).toMatch(/"www A" already exists in the zone .*set `adopt: true`.*Nothing was written/);
        expect(recordWrites(calls)).toEqual([]);
        expect(serialMoves(calls)).toBe(0);
        const { result: clash, calls: cc } = await countCalls(() => create(prov, { zoneId: z.id, records: [...WEB, { type: "CNAME", name: "www", target: "web.example.org" }], adopt: true }).catch((e) => e));
        expect(String(clash)).toMatch(/"www CNAME" is a CNAME beside .*Nothing was written/);
        expect(recordWrites(cc)).toEqual([]);
        const r = await create(prov, { zoneId: z.id, records: WEB, adopt: true });
        expect(r.outs.recordIds["www A"]).toBe(hand);
        expect((await rrOf(z.id)).filter((x) => x.name === "www")).toHaveLength(1);
    }, 120_000);

    it("destroy removes only its own records, with one serial move", async () => {
        const z = await newZone();
        const r = await create(prov, { zoneId: z.id, records: WEB });
        const stranger = Number(await raw().call("dns_a_add", CLIENT_ID, { server_id: 1, zone: Number(z.id), name: "hand", type: "A", data: "198.51.100.7", ttl: 3600, active: "Y", stamp: api.stampNow() }, false));
        const s = await serialOf(z.id);
        const { calls } = await countCalls(() => prov.delete!(r.id, r.outs));
        expect(recordWrites(calls).sort()).toEqual(WEB.map((x) => `dns_${x.type.toLowerCase()}_delete`).sort());
        expect(serialMoves(calls)).toBe(1);
        expect(await serialOf(z.id)).toBe(api.nextSerial(s));
        const rows = await rrOf(z.id);
        expect(rows.map((x) => `${x.name} ${x.type} ${x.data}`).sort()).toEqual(["hand A 198.51.100.7", `${z.origin} NS ns1.example.net.`, `${z.origin} NS ns2.example.net.`].sort());
        expect(rows.some((x) => Number(x.id) === stranger)).toBe(true);
    }, 120_000);

    it.skipIf(!SERVED)("the server job's verdict (dnsApplyWaitSeconds): a zone BIND rejects after the set's change fails the up with BIND's text, and the batch is undone", async () => {
        const z = await newZone();
        const r = await create(prov, { zoneId: z.id, records: WEB });
        const first = kit("apply.sh");
        expect(first.code, first.out).toBe(0);
        // A row the API accepts and BIND cannot load (an empty CAA), made behind our back.
        const bad = String(await raw().call("dns_caa_add", 0, { server_id: 1, zone: Number(z.id), name: "broken", type: "CAA", data: "", ttl: 3600, active: "Y", stamp: api.stampNow() }, true));
        const stored = shape(await rrOf(z.id));
        const next = [...WEB.map((x) => (x.name === "www" ? { ...x, address: "192.0.2.60" } : x)), { type: "A", name: "new", address: "192.0.2.61" }];
        runtime.configureWith({ "ispconfig:endpoint": proxy.url, "ispconfig:username": USER, "ispconfig:password": PASSWORD, "ispconfig:dnsApplyWaitSeconds": "90" });
        try {
            // The panel's cron, a few seconds after our writes.
            const job = new Promise((res) => setTimeout(res, 3000)).then(() => promisify(execFile)(path.join(KIT, "dns", "apply.sh"), [], { timeout: 120_000 }).catch((e) => e));
            const err = await up(r, { zoneId: z.id, records: next }).catch((e) => e);
            await job;
            expect(String(err)).toMatch(/putting the zone live failed: .*could not put zone \d+ live \(sys_datalog \d+\):.*(unexpected end of input|not loaded due to errors).*were undone/s);
            // The www address written back, the new record taken out again.
            expect(shape(await rrOf(z.id))).toEqual(stored);
        } finally {
            runtime.configureWith({ "ispconfig:endpoint": proxy.url, "ispconfig:username": USER, "ispconfig:password": PASSWORD });
            await raw().call("dns_caa_delete", Number(bad), true);
        }
        // The bad row gone: the zone goes live again, as the set left it.
        const again = kit("apply.sh");
        expect(again.code, again.out).toBe(0);
        expect(kit("dig.sh", `www.${z.origin}`, "A", "+short").out.trim()).toBe("192.0.2.1");
        expect(kit("dig.sh", `new.${z.origin}`, "A", "+short").out.trim()).toBe("");
    }, 240_000);

    it.skipIf(!SERVED)("served, not just stored: the 18-type set is written by the server job, passes named-checkzone, and dig answers every record as declared", async () => {
        const z = await newZone();
        const r = await create(prov, { zoneId: z.id, records: allTypes(z.origin) });
        expect(Object.keys(r.outs.recordIds)).toHaveLength(18);
        const apply = kit("apply.sh");
        expect(apply.out).not.toMatch(/rejected by named-checkzone: [1-9]|sys_datalog errors/);
        expect(apply.code, apply.out).toBe(0);
        const zoneFile = path.join(process.env.PANEL_STATE ?? "/var/lib/ispconfig-panel", "bind", "zones", `pri.${z.origin.slice(0, -1)}`);
        expect(existsSync(zoneFile), `the server job wrote ${zoneFile}`).toBe(true);
        execFileSync("named-checkzone", [z.origin.slice(0, -1), zoneFile], { encoding: "utf8" });
        // The serial BIND serves is the one the set moved to.
        expect(kit("dig.sh", z.origin, "SOA", "+short").out.trim().split(/\s+/)[2]).toBe(String(await serialOf(z.id)));
        const problems: string[] = [];
        for (const tc of TYPE_CASES) {
            if (!tc.dig) continue;
            const name = tc.stored(z.origin).name;
            const fqdn = name.endsWith(".") ? name : `${name}.${z.origin}`;
            const got = kit("dig.sh", fqdn, tc.digType ?? tc.type, "+short").out.trim().split("\n").filter(Boolean);
            const want = tc.dig(z.origin);
            if (JSON.stringify([...got].sort()) !== JSON.stringify([...want].sort())) problems.push(`${tc.type} ${fqdn}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
        }
        expect(problems).toEqual([]);

        // Destroyed: the server job takes the records out of the zone again.
        await prov.delete!(r.id, r.outs);
        const apply2 = kit("apply.sh");
        expect(apply2.code, apply2.out).toBe(0);
        expect(kit("dig.sh", `www.${z.origin}`, "A", "+short").out.trim()).toBe("");
        expect(kit("dig.sh", z.origin, "NS", "+short").out.trim().split("\n").sort()).toEqual(["ns1.example.net.", "ns2.example.net."]);
    }, 240_000);
});
