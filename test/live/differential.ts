/*
 * The differential fidelity test: the same call sequence (test/live/sequence.ts) sent to the
 * test panel (test/emulator) and to a real ISPConfig panel, every answer compared. What may
 * differ and is set aside before comparing: ids (each panel numbers its own rows; an id is
 * replaced by the name of the add that made it), session ids, timestamps, serials, password
 * hashes, the SQL statement a database_error echoes after the database's own message (the
 * provider never shows it), and the order of rows in a list (SELECTs without ORDER BY).
 * Namespace order cannot differ: answers are compared decoded. The server's config and client
 * rows are the panel's own data and are compared on the fields the provider reads.
 *
 * Every divergence must be listed in known-differences.json with its reason, or the run
 * fails; so does a listed difference that no longer occurs (the list stays honest).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator } from "../emulator";
import type { SoapValue } from "../../provider/soap/value";
import { LiveConfig, liveConfig } from "./config";
import { Outcome, Recorded, RecordingPanel } from "./rawPanel";
import { runSequence } from "./sequence";
import { ensureNoLeftovers, sweep } from "./sweep";

interface Known {
    label: string;
    method: string;
    /** relaxed, strict, or both (default). */
    mode?: "relaxed" | "strict";
    reason: string;
}

export interface DifferentialResult {
    mode: string;
    compared: number;
    diverged: number;
    known: number;
    unexplained: string[];
    stale: string[];
    lines: string[];
}

const DATETIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;
const DATE = /^\d{4}-\d\d-\d\d$/;
const SQL_START = /\s(?:INSERT|UPDATE|DELETE|SELECT|REPLACE)\s[\s\S]*$/;

/** The table (named by its add function's prefix) a method works on. */
function tableOf(method: string): string {
    if (method.startsWith("dns_zone_")) return "dns_zone";
    if (method.startsWith("dns_a_") || method.startsWith("dns_rr_")) return "dns_a";
    if (method.startsWith("sites_web_domain_")) return "sites_web_domain";
    if (method.startsWith("mail_domain_")) return "mail_domain";
    if (method.startsWith("mail_user_")) return "mail_user";
    return method;
}

/** Which table an id column points into, for the rows of `table`. */
function idColumn(table: string, key: string): string | undefined {
    if (key === "zone" && table === "dns_a") return "dns_zone";
    if (key === "id" && (table === "dns_zone" || table === "dns_a")) return table;
    if (key === "domain_id" && (table === "sites_web_domain" || table === "mail_domain")) return table;
    if (key === "mailuser_id" && table === "mail_user") return table;
    return undefined;
}

/**
 * What is the panel's own data rather than the API's behaviour, compared on the part the
 * provider uses: the server's mail config (each panel is set up its own way; the provider
 * reads the mailbox layout from it) and client rows (names and addresses, password hashes
 * and SSH private keys: never printed; the provider uses the client id).
 */
const PROJECTIONS: Record<string, string[]> = {
    server_get: ["maildir_path", "homedir_path", "mailuser_uid", "mailuser_gid", "maildir_format", "mailbox_virtual_uidgid_maps"],
    client_get: ["client_id", "sys_userid", "sys_groupid", "parent_client_id"],
};

function project(v: SoapValue, keys: string[]): SoapValue {
    if (Array.isArray(v)) return v.map((x) => project(x, keys));
    if (v && typeof v === "object") return Object.fromEntries(keys.filter((k) => k in v).map((k) => [k, (v as Record<string, SoapValue>)[k]]));
    return v;
}

type Ids = Map<string, string>;
const idKey = (table: string, id: string) => `${table}:${id}`;

/** Each panel's ids → the name of the add that returned them, in order of appearance. */
function idNames(log: Recorded[]): Ids {
    const names: Ids = new Map();
    const seen: Record<string, number> = {};
    for (const r of log) {
        if (!/_add$/.test(r.method) || r.outcome.kind !== "value") continue;
        const v = r.outcome.value;
        if (typeof v !== "string" && typeof v !== "number") continue;
        const table = tableOf(r.method);
        seen[table] = (seen[table] ?? 0) + 1;
        names.set(idKey(table, String(v)), `<${table}#${seen[table]}>`);
    }
    return names;
}

function normalize(v: SoapValue, ids: Ids, table: string, key = ""): unknown {
    if (v === null || typeof v === "boolean") return v;
    if (Array.isArray(v)) return v.map((x) => normalize(x, ids, table));
    if (typeof v === "object") {
        const o: Record<string, unknown> = {};
        for (const k of Object.keys(v).sort()) o[k] = normalize((v as Record<string, SoapValue>)[k], ids, table, k);
        return o;
    }
    const s = String(v);
    const points = idColumn(table, key);
    // An id no add of the sequence returned (a row made by a call that answered with a page).
    if (points) return ids.get(idKey(points, s)) ?? "<id>";
    if (key === "serial" && /^\d{10}$/.test(s)) return "<serial>";
    if (/^\$\d\$/.test(s) || (key === "password" && s.length > 20)) return "<hash>";
    if (DATETIME.test(s)) return "<time>";
    if (DATE.test(s)) return "<date>";
    if (typeof v === "string") {
        // Site ids inside document roots, system users and open_basedir paths.
        return s.replace(/\bweb(\d+)\b/g, (m, id) => (ids.has(idKey("sites_web_domain", id)) ? `web${ids.get(idKey("sites_web_domain", id))}` : m));
    }
    return v;
}

function normalizeOutcome(o: Outcome, method: string, ids: Ids): unknown {
    const table = tableOf(method);
    switch (o.kind) {
        case "value": {
            if (method === "login" && typeof o.value === "string") return { value: "<session>" };
            if (/_add$/.test(method) && (typeof o.value === "string" || typeof o.value === "number") && ids.has(idKey(table, String(o.value)))) {
                return { value: ids.get(idKey(table, String(o.value))), type: typeof o.value };
            }
            if (method === "dns_zone_get_id" && typeof o.value === "number") return { value: ids.get(idKey("dns_zone", String(o.value))) ?? "<id>", type: "number" };
            const keys = PROJECTIONS[method];
            const value = normalize(keys ? project(o.value, keys) : o.value, ids, table);
            // Lists of rows come from SELECTs without ORDER BY: MariaDB returns them in the
            // order of whichever index its plan uses (dns_rr's (zone, type, name) index, or
            // the primary key), so they are compared as sets. The provider never relies on it.
            if (Array.isArray(value) && value.every((x) => x && typeof x === "object")) return { value: [...value].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) };
            return { value };
        }
        case "fault": {
            let s = o.string;
            if (o.code === "database_error") s = s.replace(SQL_START, " <SQL>");
            return { fault: o.code, string: s };
        }
        case "page":
            return { page: o.status, type: o.type, body: o.body };
        case "network":
            return { network: o.error };
    }
}

/** The first path where two values differ, for the report. */
function firstDifference(a: unknown, b: unknown, at = ""): string {
    if (JSON.stringify(a) === JSON.stringify(b)) return "";
    const sameShape = (x: any, y: any) => x && y && typeof x === "object" && typeof y === "object" && Array.isArray(x) === Array.isArray(y) && (Array.isArray(x) || Object.keys(x).join() === Object.keys(y).join() || (x.value !== undefined && y.value !== undefined));
    if (sameShape(a, b)) {
        const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])];
        for (const k of keys) {
            const d = firstDifference((a as any)[k], (b as any)[k], `${at}.${k}`);
            if (d) return d;
        }
    }
    const show = (x: unknown) => (x === undefined ? "(nothing)" : JSON.stringify(x).slice(0, 200));
    return `${at || "answer"}: test panel ${show(a)} / real panel ${show(b)}`;
}

export async function runDifferential(cfg: LiveConfig): Promise<DifferentialResult> {
    const known: Known[] = JSON.parse(fs.readFileSync(path.join(knownDir(), "known-differences.json"), "utf8")).differences;
    const real = new RecordingPanel({ name: "real panel", endpoint: cfg.endpoint, username: cfg.username, password: cfg.password, insecure: cfg.insecure, caFile: cfg.caFile });
    const emu = await startEmulator({ strictSqlMode: cfg.sqlMode === "strict" });
    const test = new RecordingPanel({ name: "test panel", endpoint: emu.url, username: "apiuser", password: "ApiPass123!" });
    try {
        await real.login(false);
        await ensureNoLeftovers(real.unrecorded, cfg.clean, "differential");
        await test.login(false);
        // The test panel starts empty: give it the clients the real one has up to the one we use.
        for (let i = 1; i <= cfg.clientId; i++) {
            await test.quiet("client_add", 0, {
                contact_name: `client ${i}`, username: `client${i}`, password: "Cl1ent-Pass!2024", email: `c${i}@example.net`,
                language: "en", web_php_options: "no,fast-cgi,php-fpm", ssh_chroot: "no,jailkit",
            });
        }
        const opts = { clientId: cfg.clientId, serverId: cfg.serverId };
        try {
            await runSequence(test, opts);
            await runSequence(real, opts);
        } finally {
            // Whatever the sequence left (it deletes what it makes; this is for a failure half-way).
            await real.login(false).catch(() => undefined);
            await sweep(real.unrecorded).catch((e) => process.stderr.write(`differential: cleanup failed: ${e?.message ?? e}\n`));
            await real.logout(false).catch(() => undefined);
        }
        return compare(test.log, real.log, known, cfg.sqlMode);
    } finally {
        await emu.close();
    }
}

function knownDir(): string {
    // Compiled to bin/test/live/; the list stays in the source tree.
    let d = __dirname;
    while (!fs.existsSync(path.join(d, "package.json"))) d = path.dirname(d);
    return path.join(d, "test", "live");
}

export function compare(testLog: Recorded[], realLog: Recorded[], known: Known[], mode: string): DifferentialResult {
    const testIds = idNames(testLog);
    const realIds = idNames(realLog);
    const lines: string[] = [];
    const unexplained: string[] = [];
    const usedKnown = new Set<Known>();
    let diverged = 0;
    let knownCount = 0;
    // Calls are paired within their case label (the i-th call of a case with the i-th of the
    // same case), so a divergence that changes what the API layer does next stays in its case.
    const byLabel = (log: Recorded[]) => {
        const m = new Map<string, Recorded[]>();
        for (const r of log) m.set(r.label, [...(m.get(r.label) ?? []), r]);
        return m;
    };
    const tl = byLabel(testLog);
    const rl = byLabel(realLog);
    const labels = [...new Set([...testLog, ...realLog].map((r) => r.label))];
    let compared = 0;
    for (const label of labels) {
        const ts = tl.get(label) ?? [];
        const rs = rl.get(label) ?? [];
        for (let i = 0; i < Math.max(ts.length, rs.length); i++) {
            const t = ts[i];
            const r = rs[i];
            const method = (t ?? r).method;
            let diff = "";
            if (!t || !r) diff = `only the ${t ? "test" : "real"} panel got this call (the API layer went another way after an earlier answer)`;
            else if (t.method !== r.method) diff = `the API layer called ${t.method} on the test panel, ${r.method} on the real one`;
            else {
                compared++;
                diff = firstDifference(normalizeOutcome(t.outcome, method, testIds), normalizeOutcome(r.outcome, method, realIds));
            }
            if (!diff) continue;
            diverged++;
            const k = known.find((x) => x.label === label && x.method === method && (!x.mode || x.mode === mode));
            if (k) {
                knownCount++;
                usedKnown.add(k);
                lines.push(`  known   ${label} › ${method}: ${diff}\n          (${k.reason})`);
            } else {
                unexplained.push(`${label} › ${method}: ${diff}`);
                lines.push(`  DIVERGE ${label} › ${method}: ${diff}`);
            }
        }
    }
    const stale = known.filter((k) => (!k.mode || k.mode === mode) && !usedKnown.has(k)).map((k) => `${k.label} › ${k.method}`);
    return { mode, compared, diverged, known: knownCount, unexplained, stale, lines };
}

export function report(r: DifferentialResult): string {
    const out = [
        `differential (${r.mode} sql_mode): ${r.compared} calls compared, ${r.diverged} diverge (${r.known} listed in known-differences.json, ${r.unexplained.length} unexplained)` +
            (r.stale.length ? `; ${r.stale.length} listed difference(s) no longer occur: ${r.stale.join("; ")}` : ""),
        ...r.lines,
    ];
    return out.join("\n") + "\n";
}

if (require.main === module) {
    (async () => {
        const r = await runDifferential(liveConfig());
        process.stdout.write(report(r));
        const failed = (r.unexplained.length > 0 ? 1 : 0) + (r.stale.length > 0 ? 1 : 0);
        process.stdout.write(`differential: ${2 - failed} passed, ${failed} failed\n`);
        process.exit(failed ? 1 : 0);
    })().catch((e) => {
        process.stderr.write(`differential: ${e?.stack ?? e}\n`);
        process.stdout.write(`differential: 0 passed, 1 failed\n`);
        process.exit(1);
    });
}
