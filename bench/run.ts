/*
 * Benchmark: calls per operation and wall time per phase, through the providers' own methods,
 * against the test panel with injected latency — side by side with a baseline client that logs
 * in and out around every call (as several existing ISPConfig scripts do).
 *
 *   npm run bench            (defaults: 20 ms latency, 1000 A records, 200 mixed resources)
 *   BENCH_LATENCY_MS=5 BENCH_RECORDS=200 npm run bench
 *   BENCH_ONLY=owners npm run bench      (one scenario: owners, records, dns or mixed; decode runs with all)
 *
 * Prints a table and writes bench/results.json. No assertions: numbers, not pass/fail.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import * as runtime from "../provider/runtime";
import { dnsZone } from "../provider/resources/dnsZone";
import { aRecord } from "../provider/resources/aRecord";
import { dnsRecord } from "../provider/resources/dnsRecord";
import { webDomain } from "../provider/resources/webDomain";
import { mailDomain } from "../provider/resources/mailDomain";
import { mailbox } from "../provider/resources/mailbox";
import { closeSharedSessions } from "../provider/soap/sharedSession";
import { createSession } from "../provider/soap/session";
import { decodeResponse } from "../provider/soap/decode";
import { startEmulator, Emulator } from "../test/emulator";
import * as api from "../provider/api";
import { responseXml } from "../test/emulator/soapxml";

const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 20);
const ONLY = process.env.BENCH_ONLY;
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 2000);
const RECORDS = Number(process.env.BENCH_RECORDS ?? 1000);
const PASSWORD = "ApiPass123!";

interface Phase {
    scenario: string;
    client: string;
    phase: string;
    ops: number;
    ms: number;
    calls: number;
    logins: number;
    callsPerOp: number;
}
const phases: Phase[] = [];

type Res = { provider: dynamic.ResourceProvider; args: Record<string, unknown>; id?: string; outs?: any; inputs?: any };

async function measure(emu: Emulator, scenario: string, client: string, phase: string, ops: number, fn: () => Promise<unknown>) {
    const before = emu.calls.length;
    const t0 = performance.now();
    await fn();
    const ms = performance.now() - t0;
    const calls = emu.calls.slice(before);
    const p: Phase = {
        scenario, client, phase, ops, ms: Math.round(ms),
        calls: calls.length, logins: calls.filter((c) => c.method === "login").length,
        callsPerOp: Math.round((calls.length / ops) * 100) / 100,
    };
    phases.push(p);
    return p;
}

/** The engine's order: check, then create; all independent resources at once. */
async function createAll(rs: Res[]) {
    await Promise.all(rs.map(async (r) => {
        const c = await r.provider.check!({}, r.args);
        if (c.failures?.length) throw new Error(JSON.stringify(c.failures));
        r.inputs = c.inputs;
        const out = await r.provider.create(c.inputs);
        r.id = out.id;
        r.outs = out.outs;
    }));
}
const readAll = (rs: Res[]) => Promise.all(rs.map(async (r) => { r.outs = (await r.provider.read!(r.id!, r.outs)).props; }));
async function updateAll(rs: Res[], change: (r: Res) => Record<string, unknown>) {
    await Promise.all(rs.map(async (r) => {
        const args = { ...r.args, ...change(r) };
        const c = await r.provider.check!(r.inputs, args);
        const d = await r.provider.diff!(r.id!, r.outs, c.inputs);
        if (!d.changes) return;
        r.outs = (await r.provider.update!(r.id!, r.outs, c.inputs)).outs;
        r.inputs = c.inputs;
        r.args = args;
    }));
}
const deleteAll = (rs: Res[]) => Promise.all(rs.map((r) => r.provider.delete!(r.id!, r.outs)));

/** What a login-per-call tool does for one operation. */
async function baselineCall(url: string, method: string, ...args: any[]) {
    const s = createSession({ endpoint: url, username: "apiuser", password: PASSWORD });
    try {
        return await s.call(method, ...args);
    } finally {
        await s.close();
    }
}

async function aRecords(emu: Emulator) {
    const name = `${RECORDS} A records`;
    const zone = { provider: dnsZone.provider, args: { origin: "bench.example.com", ns: "ns1.example.com", mbox: "hostmaster@example.com" } } as Res;
    await createAll([zone]);
    const recs: Res[] = Array.from({ length: RECORDS }, (_, i) => ({ provider: aRecord.provider, args: { zoneId: zone.id, name: `host${i}`, address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` } }));
    await measure(emu, name, "pulumi-ispconfig", "create", RECORDS, () => createAll(recs));
    await measure(emu, name, "pulumi-ispconfig", "refresh", RECORDS, () => readAll(recs));
    await measure(emu, name, "pulumi-ispconfig", "update", RECORDS, () => updateAll(recs, () => ({ ttl: 600 })));
    await measure(emu, name, "pulumi-ispconfig", "destroy", RECORDS, () => deleteAll(recs));

    // Baseline: the same operations, one login and logout around each call, one after another.
    const zoneId = Number(zone.id);
    const ids: number[] = [];
    await measure(emu, name, "baseline (login per call)", "create", RECORDS, async () => {
        for (let i = 0; i < RECORDS; i++) ids.push(Number(await baselineCall(emu.url, "dns_a_add", 0, { server_id: 1, zone: zoneId, name: `base${i}`, type: "A", data: "10.1.1.1", ttl: 3600, active: "Y" }, true)));
    });
    await measure(emu, name, "baseline (login per call)", "refresh", RECORDS, async () => {
        for (const id of ids) await baselineCall(emu.url, "dns_a_get", id);
    });
    await measure(emu, name, "baseline (login per call)", "update", RECORDS, async () => {
        for (const id of ids) await baselineCall(emu.url, "dns_a_update", 0, id, { zone: zoneId, ttl: 600, type: "A" }, true);
    });
    await measure(emu, name, "baseline (login per call)", "destroy", RECORDS, async () => {
        for (const id of ids) await baselineCall(emu.url, "dns_a_delete", id, true);
    });
    await deleteAll([zone]);
}

/** One record of each of 18 types, round robin, at a unique name (no CNAME clash). */
function typedArgs(zoneId: string, i: number): Record<string, unknown> {
    const h = `h${i}`;
    const hex = (i.toString(16).padStart(4, "0")).repeat(16);
    const all: Record<string, unknown>[] = [
        { type: "A", name: h, address: `10.0.${(i >> 8) & 255}.${i & 255}` },
        { type: "AAAA", name: h, address: `2001:db8::${i.toString(16)}` },
        { type: "ALIAS", name: h, target: "www.example.net" },
        { type: "CAA", name: h, tag: "issue", value: "letsencrypt.org" },
        { type: "CNAME", name: h, target: "www.example.net" },
        { type: "DNAME", name: h, target: "example.net" },
        { type: "DS", name: h, keyTag: i, algorithm: 13, digestType: 2, digest: hex },
        { type: "HINFO", name: h, cpu: "PC", os: "Linux" },
        { type: "LOC", name: h, location: "52 22 23.000 N 4 53 32.000 E -2.00m 1m 10000m 10m" },
        { type: "MX", name: h, target: "mail.example.net", priority: i % 100 },
        { type: "NAPTR", name: h, preference: 10, flags: "S", service: "SIP+D2U", replacement: "_sip._udp.example.net" },
        { type: "NS", name: h, target: "ns1.example.net" },
        { type: "PTR", name: h, target: "www.example.net" },
        { type: "RP", name: h, mailbox: "hostmaster@example.net", txtName: "." },
        { type: "SRV", name: `_sip._tcp.${h}`, weight: 5, port: 5060, target: "sip.example.net" },
        { type: "SSHFP", name: h, algorithm: 4, fingerprintType: 2, fingerprint: hex },
        { type: "TLSA", name: `_443._tcp.${h}`, usage: 3, selector: 1, matchingType: 1, certificate: hex },
        { type: "TXT", name: h, value: `v=spf1 ip4:10.0.0.${i & 255} ~all` },
    ];
    return { zoneId, ...all[i % all.length] };
}

/** DnsRecord: 1000 records of the 18 types over 10 zones; refresh coalesced per zone, beside one get per record (before). */
async function dnsRecords(emu: Emulator) {
    const name = `${RECORDS} DNS records, 18 types, 10 zones`;
    const zones: Res[] = Array.from({ length: 10 }, (_, i) => ({ provider: dnsZone.provider, args: { origin: `types${i}.example.com`, ns: "ns1.example.com", mbox: "hostmaster@example.com" } }));
    await createAll(zones);
    const recs: Res[] = Array.from({ length: RECORDS }, (_, i) => ({ provider: dnsRecord.provider, args: typedArgs(zones[i % 10].id!, i) }));
    await measure(emu, name, "pulumi-ispconfig", "create", RECORDS, () => createAll(recs));
    // Today's read: one dns_<type>_get per record, every read at once through the same session.
    const c = (await import("../provider/runtime")).context.caller();
    await measure(emu, name, "before (one get per record)", "refresh", RECORDS, () => Promise.all(recs.map((r) => api.getRecord(c, r.args.type as api.DnsRecordType, Number(r.id)))));
    await measure(emu, name, "pulumi-ispconfig", "refresh", RECORDS, () => readAll(recs));
    await measure(emu, name, "pulumi-ispconfig", "update", RECORDS, () => updateAll(recs, () => ({ ttl: 600 })));
    await measure(emu, name, "pulumi-ispconfig", "destroy", RECORDS, () => deleteAll(recs));
    await deleteAll(zones);
}

async function mixed(emu: Emulator) {
    const name = "mixed program, 200 resources";
    const zones: Res[] = Array.from({ length: 10 }, (_, i) => ({ provider: dnsZone.provider, args: { origin: `mix${i}.example.com`, ns: "ns1.example.com", mbox: "hostmaster@example.com" } }));
    const mailDomains: Res[] = Array.from({ length: 20 }, (_, i) => ({ provider: mailDomain.provider, args: { domain: `mix${i}.example.org` } }));
    const sites: Res[] = Array.from({ length: 20 }, (_, i) => ({ provider: webDomain.provider, args: { domain: `mix${i}.example.net` } }));
    const first = [...zones, ...mailDomains, ...sites];
    let records: Res[] = [];
    let boxes: Res[] = [];
    const all = () => [...first, ...records, ...boxes];
    await measure(emu, name, "pulumi-ispconfig", "create", 200, async () => {
        await createAll(first);
        records = zones.flatMap((z, zi) => Array.from({ length: 10 }, (_, i) => ({ provider: aRecord.provider, args: { zoneId: z.id, name: `h${i}`, address: `10.0.${zi}.${i}` } })));
        boxes = mailDomains.flatMap((d, di) => [0, 1, 2, 3, 4].slice(0, di < 10 ? 3 : 2).map((i) => ({ provider: mailbox.provider, args: { email: `u${i}@mix${di}.example.org`, password: "Corr3ct-Horse!", quota: 100 } })));
        await createAll([...records, ...boxes]);
    });
    await measure(emu, name, "pulumi-ispconfig", "refresh", all().length, () => readAll(all()));
    await measure(emu, name, "pulumi-ispconfig", "update", all().length, () => updateAll(all(), (r) => (r.provider === mailbox.provider ? { quota: 200 } : r.provider === webDomain.provider ? { hdQuota: 1000 } : r.provider === mailDomain.provider ? { active: false } : { ttl: 600 })));
    await measure(emu, name, "pulumi-ispconfig", "destroy", all().length, async () => {
        await deleteAll([...records, ...boxes]);
        await deleteAll(first);
    });
    return all().length;
}

/**
 * Owner lookups before issue 11, kept here to measure against: confirm the hint and the admin
 * with client_get_groupid, then list every client and ask each for its group, one at a time.
 */
async function ownerOfGroupBefore(c: api.Caller, sysGroupId: number, hint?: number): Promise<number | undefined> {
    const groupOf = new Map<number, number>();
    const groupIdOf = async (id: number) => {
        if (!groupOf.has(id)) groupOf.set(id, api.num(await c.call("client_get_groupid", id)));
        return groupOf.get(id)!;
    };
    const candidates: number[] = [];
    if (hint !== undefined) candidates.push(hint);
    if (hint !== 0) candidates.push(0);
    for (const id of candidates) if ((await groupIdOf(id)) === sysGroupId) return id;
    for (const row of api.asRowList(await c.call("client_get", -1), "client_get")) {
        const id = api.num(row.client_id);
        if (candidates.includes(id)) continue;
        if ((await groupIdOf(id)) === sysGroupId) return id;
    }
    return undefined;
}

/**
 * A refresh of one zone on a hoster's panel: the zone belongs to the last of CLIENTS clients,
 * the stack's configured client is the admin (0). Each run in a fresh session (a new provider
 * process: nothing cached).
 */
async function owners(emu: Emulator) {
    const name = `${CLIENTS} clients: read zone of client N`;
    const panel = emu.panel as any;
    let last = 0;
    for (let i = 0; i < CLIENTS; i++) last = Number(panel.fn_client_add(null, 0, { username: `bench${i}`, contact_name: `bench${i}`, password: "Cl1ent-Pass!2024" }));
    const zoneId = Number(panel.fn_dns_zone_add(null, last, { server_id: 1, origin: "owners.example.com.", ns: "ns1.example.com.", mbox: "hostmaster.example.com.", refresh: 7200, retry: 540, expire: 604800, minimum: 3600, ttl: 3600, active: "Y" }));
    const fresh = async (fn: (c: api.Caller) => Promise<unknown>) => {
        const s = createSession({ endpoint: emu.url, username: "apiuser", password: PASSWORD });
        await s.call("get_function_list"); // log in outside the measured part
        try {
            await measure(emu, name, fn === before ? "before (walk every client)" : "pulumi-ispconfig", "refresh", 1, () => fn(s));
        } finally {
            await s.close();
        }
    };
    const check = (owner: unknown) => {
        if (owner !== last) throw new Error(`owner lookup found ${owner}, expected ${last}`);
    };
    const before = async (c: api.Caller) => {
        const zone = await api.getDnsZone(c, zoneId);
        check(await ownerOfGroupBefore(c, zone!.sys_groupid, 0));
    };
    const after = async (c: api.Caller) => {
        const zone = await api.getDnsZone(c, zoneId);
        check(await api.ownerOfGroup(c, zone!.sys_groupid, 0));
    };
    await fresh(after);
    await fresh(before);
    // Through the provider itself, as `pulumi refresh` runs it: a new process's session, logged in.
    await closeSharedSessions();
    await runtime.context.caller().call("get_function_list");
    await measure(emu, name, "pulumi-ispconfig (DnsZone.read)", "refresh", 1, async () => {
        const r = await dnsZone.provider.read!(String(zoneId), { clientId: 0 });
        check(r.props?.clientId);
    });
}

function decodeBench() {
    const row = (i: number) => ({ id: String(i), sys_userid: "1", sys_groupid: "1", sys_perm_user: "riud", sys_perm_group: "riud", sys_perm_other: "", server_id: "1", zone: "1", name: `host${i}`, type: "A", data: `10.0.${(i >> 8) & 255}.${i & 255}`, aux: "0", ttl: "3600", active: "Y", stamp: "2026-11-25 10:00:00", serial: "0" });
    const xml = responseXml("dns_rr_get_all_by_zone", Array.from({ length: 10_000 }, (_, i) => row(i + 1)));
    for (let i = 0; i < 3; i++) decodeResponse(xml, 200, "dns_rr_get_all_by_zone"); // warm-up
    const times: number[] = [];
    global.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    let peak = heap0;
    for (let i = 0; i < 10; i++) {
        const t0 = performance.now();
        const v = decodeResponse(xml, 200, "dns_rr_get_all_by_zone") as unknown[];
        times.push(performance.now() - t0);
        peak = Math.max(peak, process.memoryUsage().heapUsed);
        if (v.length !== 10_000) throw new Error("decode lost rows");
    }
    times.sort((a, b) => a - b);
    return { bytes: Buffer.byteLength(xml), medianMs: Math.round(times[5] * 10) / 10, minMs: Math.round(times[0] * 10) / 10, heapPeakMB: Math.round(((peak - heap0) / 1048576) * 10) / 10 };
}

async function main() {
    const emu = await startEmulator({ latencyMs: LATENCY });
    runtime.configureWith({ "ispconfig:endpoint": emu.url, "ispconfig:username": "apiuser", "ispconfig:password": PASSWORD });
    if (!ONLY || ONLY === "records") await aRecords(emu);
    if (!ONLY || ONLY === "dns") await dnsRecords(emu);
    if (!ONLY || ONLY === "mixed") await mixed(emu);
    if (!ONLY || ONLY === "owners") await owners(emu);
    await closeSharedSessions();
    await emu.close();
    const decode = decodeBench();

    const pad = (s: string | number, n: number) => String(s).padEnd(n);
    const lines = [`latency ${LATENCY} ms per call; provider concurrency cap 8 (default)`, ""];
    lines.push(`${pad("scenario", 38)}${pad("client", 33)}${pad("phase", 9)}${pad("ops", 6)}${pad("wall ms", 9)}${pad("calls", 7)}${pad("calls/op", 9)}${pad("logins", 7)}speed-up`);
    for (const p of phases) {
        const base = phases.find((b) => b.scenario === p.scenario && b.phase === p.phase && /^(baseline|before)/.test(b.client));
        const ratio = base && p !== base ? `${(base.ms / p.ms).toFixed(1)}×` : "";
        lines.push(`${pad(p.scenario, 38)}${pad(p.client, 33)}${pad(p.phase, 9)}${pad(p.ops, 6)}${pad(p.ms, 9)}${pad(p.calls, 7)}${pad(p.callsPerOp, 9)}${pad(p.logins, 7)}${ratio}`);
    }
    lines.push("", `decode dns_rr_get_all_by_zone, 10,000 records (${(decode.bytes / 1048576).toFixed(1)} MB): median ${decode.medianMs} ms, min ${decode.minMs} ms, heap +${decode.heapPeakMB} MB`);
    process.stdout.write(lines.join("\n") + "\n");
    const out = path.join(__dirname, "..", "..", "bench", "results.json");
    fs.writeFileSync(fs.existsSync(path.dirname(out)) ? out : "bench-results.json", JSON.stringify({ latencyMs: LATENCY, records: RECORDS, phases, decode, node: process.version, at: new Date().toISOString() }, null, 2));
}

main().catch((e) => {
    process.stderr.write(`${e?.stack ?? e}\n`);
    process.exit(1);
});
