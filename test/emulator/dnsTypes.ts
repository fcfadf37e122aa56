/*
 * The 17 record types beside A (`dns_<type>_add/get/update/delete`), as the real 3.2 panel's
 * remote API runs them: it loads `form/dns_<type>.tform.php` as admin and applies that form's
 * filters and validators — nothing of the UI's page (no `@` rewriting, no quote stripping, no
 * composition of SRV/NAPTR/CAA data, no duplicate or CNAME checks). Facts and captures:
 * ispconfig-dns-types.md §9.2/§9.3, ispconfig-wire/dns-types/. Wired into Panel by index.ts.
 */
import { domainToASCII } from "node:url";
import { isIP } from "node:net";
import { Fault, Panel, Row, phpTruthy, registerSignature } from "./remoting";
import type { Val } from "./soapxml";

type Check = { notEmpty: string } | { regex: RegExp; key: string } | { ip: 4 | 6 };
interface TForm {
    name: Check[];
    nameFilters: boolean; // TOLOWER + IDNTOASCII
    nameLowerOnly?: boolean;
    data: Check[];
    dataFilters?: boolean;
}

const NE = (key: string): Check => ({ notEmpty: key });
const RX = (regex: RegExp, key: string): Check => ({ regex, key });
const TARGET = /^[a-zA-Z0-9\.\-]{1,255}$/;
const TARGET_U = /^[a-zA-Z0-9\.\-\_]{1,255}$/;

/** Per type, the tform's name and data validators (dns_<t>.tform.php; admin branch where the form has one). */
export const TFORMS: Record<string, TForm> = {
    AAAA: { name: [RX(/^[a-zA-Z0-9\.\-\*]{0,64}$/, "name_error_regex")], nameFilters: false, data: [NE("data_error_empty"), { ip: 6 }] },
    ALIAS: { name: [NE("name_error_empty"), RX(/^[a-zA-Z0-9\.\-\_]{1,255}$/, "name_error_regex")], nameFilters: true, data: [NE("data_error_empty"), RX(TARGET, "data_error_regex")], dataFilters: true },
    CAA: { name: [RX(/^[a-zA-Z0-9\.\-\_\*]{0,255}$/, "name_error_regex")], nameFilters: true, data: [] },
    CNAME: { name: [RX(/^[a-zA-Z0-9\.\-\*\_]{0,255}$/, "name_error_regex")], nameFilters: true, data: [NE("data_error_empty"), RX(TARGET_U, "data_error_regex")], dataFilters: true },
    DNAME: { name: [RX(/^[a-zA-Z0-9\.\-\*\_]{0,255}$/, "name_error_regex")], nameFilters: true, data: [NE("data_error_empty"), RX(TARGET_U, "data_error_regex")], dataFilters: true },
    DS: { name: [RX(/^[a-zA-Z0-9\.\-\_]{0,255}$/, "name_error_regex")], nameFilters: true, data: [NE("data_error_empty")] },
    HINFO: { name: [NE("name_error_empty"), RX(/^[a-zA-Z0-9\.\-]{1,64}$/, "name_error_regex")], nameFilters: true, data: [NE("data_error_empty")] },
    LOC: { name: [RX(/^[a-zA-Z0-9\.\-\_]{0,255}$/, "name_error_regex")], nameFilters: true, data: [NE("data_error_empty")] },
    MX: { name: [RX(/^[a-zA-Z0-9\.\-\*]{0,255}$/, "name_error_regex")], nameFilters: true, data: [NE("data_error_empty"), RX(TARGET, "data_error_regex")], dataFilters: true },
    NAPTR: {
        name: [RX(/^((\*|[a-zA-Z0-9\-_]{1,255})(\.[a-zA-Z0-9\-_]{1,255})*\.?)?$/, "name_error_regex")],
        nameFilters: true,
        data: [NE("data_error_empty"), RX(/^\s*(\d+)\s+"([a-zA-Z0-9]*)"\s+"([^"]*)"\s+"(.*)"\s+([^\s]*\.)\s*$/, "naptr_error_regex")],
    },
    NS: { name: [RX(/^[_a-zA-Z0-9\.\-]{0,255}$/, "name_error_regex")], nameFilters: true, data: [NE("data_error_empty"), RX(TARGET, "data_error_regex")], dataFilters: true },
    PTR: { name: [RX(/^[a-zA-Z0-9\.\-]{1,256}$/, "name_error_regex")], nameFilters: true, data: [NE("data_error_empty"), RX(/^[a-zA-Z0-9\.\-]{1,256}$/, "data_error_regex")], dataFilters: true },
    RP: { name: [RX(/^[a-zA-Z0-9\.\-]{0,255}$/, "name_error_regex")], nameFilters: true, data: [NE("data_error_empty"), RX(/^[\w\.\-\s]{1,128}$/, "data_error_regex")] },
    SRV: { name: [RX(/^[a-zA-Z0-9\.\-_]{0,255}$/, "name_error_regex")], nameFilters: true, data: [NE("data_error_empty"), RX(/^[\w\.\-]{0,64}\s[\w\.\-]{0,64}\s[\w\.\-]{0,64}$/, "srv_error_regex")] },
    SSHFP: { name: [RX(/^(\*\.|[a-zA-Z0-9\.\-\_]){0,255}$/, "name_error_regex")], nameFilters: true, data: [NE("data_error_empty")] },
    TLSA: { name: [RX(/^\_\d{1,5}\.\_(tcp|udp)\.[a-zA-Z0-9\.\-]{1,255}$/, "name_error_regex")], nameFilters: false, nameLowerOnly: true, data: [NE("data_error_empty"), RX(/^\d \d \d [a-zA-Z0-9]*$/, "data_error_regex")] },
    TXT: { name: [RX(/^(\*\.|[a-zA-Z0-9\.\-\_]){0,255}$/, "name_error_regex")], nameFilters: true, data: [NE("data_error_empty")] },
};

const str = (v: Val | undefined) => (v === null || v === undefined ? "" : String(v));
const isNum = (v: Val | undefined) => v !== null && v !== undefined && /^-?\d+$/.test(String(v).trim());

function filtered(v: string, idn: boolean, lower: boolean): string {
    let s = v;
    if (idn && /[^\x00-\x7f]/.test(s)) s = domainToASCII(s) || s;
    return lower ? s.toLowerCase() : s;
}

function run(checks: Check[], v: string): string[] {
    const keys: string[] = [];
    for (const c of checks) {
        if ("notEmpty" in c && v === "") keys.push(`${c.notEmpty}<br />`);
        if ("regex" in c && !c.regex.test(v)) keys.push(`${c.key}<br />`);
        if ("ip" in c && isIP(v) !== c.ip) keys.push("ip_error_wrong<br />");
    }
    return keys;
}

/** The form's filters and validators over the params (an update checks only the params it carries). */
function encode(type: string, p: Row, forUpdate: boolean): { values: Row; keys: string[] } {
    const f = TFORMS[type];
    const values: Row = { ...p };
    const keys: string[] = [];
    if (!forUpdate || "name" in p) {
        const name = filtered(str(p.name), f.nameFilters, f.nameFilters || !!f.nameLowerOnly);
        if ("name" in p) values.name = name;
        keys.push(...run(f.name, name));
    }
    if (!forUpdate || "data" in p) {
        const data = filtered(str(p.data), !!f.dataFilters, !!f.dataFilters);
        if ("data" in p) values.data = data;
        keys.push(...run(f.data, data));
    }
    if ((!forUpdate || "ttl" in p) && !(isNum(p.ttl) && Number(p.ttl) >= 60)) keys.push("ttl_range_error<br />");
    // aux is an unsigned column without a validator: relaxed MariaDB stores a negative as 0.
    if ("aux" in p) values.aux = isNum(p.aux) && Number(p.aux) > 0 ? Number(p.aux) : 0;
    return { values, keys };
}

for (const type of Object.keys(TFORMS)) {
    const t = type.toLowerCase();
    const proto = Panel.prototype as any;
    registerSignature(`dns_${t}_get`, ["remoting_dns", 2, 2]);
    registerSignature(`dns_${t}_add`, ["remoting_dns", 3, 4]);
    registerSignature(`dns_${t}_update`, ["remoting_dns", 4, 5]);
    registerSignature(`dns_${t}_delete`, ["remoting_dns", 2, 3]);

    // Any dns_<t>_get reads any dns_rr row whatever its type (no type filter in dns_rr_get).
    proto[`fn_dns_${t}_get`] = function (this: any, _sid: Val, arg: Val): Val {
        return this.genericGet("dns_rr", arg);
    };

    proto[`fn_dns_${t}_add`] = function (this: any, _sid: Val, clientId: Val, params: Val, updateSerial?: Val): Val {
        const p = (params ?? {}) as Row;
        const owner = this.owner(clientId);
        const { values, keys } = encode(type, p, false);
        if (keys.length) this.validationFault(keys);
        const v = this.rrValues(values, true);
        if (this.strict) {
            const row: Row = { server_id: 0, zone: 0, name: "", type: "", ttl: 0, active: "N", stamp: "", serial: 0 };
            for (const k of ["server_id", "zone", "name", "type", "data", "ttl", "active", "stamp"]) if (k in v) row[k] = v[k];
            this.strictCheck(row, owner);
        }
        const row = this.insert("dns_rr", clientId, v);
        if (!("stamp" in p)) row.stamp = "0000-00-00 00:00:00";
        // As dns_a_add (one dns_rr_add for every type): stored first, then the zone named by the params.
        if (phpTruthy(updateSerial)) this.increaseSerial(clientId, p.zone);
        return String(row.id);
    };

    // As dns_a_update (one dns_rr_update for every type): the tform re-runs over the params; for a
    // missing id the params alone are validated as the whole row, and if they pass the UPDATE
    // matches nothing (0, no fault). update_serial takes the zone from the params, after the write.
    proto[`fn_dns_${t}_update`] = function (this: any, _sid: Val, clientId: Val, id: Val, params: Val, updateSerial?: Val): Val {
        const p = (params ?? {}) as Row;
        const row = this.find("dns_rr", id);
        const { values, keys } = encode(type, p, !!row);
        if (keys.length) this.validationFault(keys);
        const n = row ? this.merge("dns_rr", row, clientId, this.rrValues(values, false)) : 0;
        if (phpTruthy(updateSerial)) this.increaseSerial(clientId, p.zone);
        return n;
    };

    // Deletes by id whatever the row's type; as dns_a_delete, the serial first, from the record's
    // zone: a missing record (or zone) gives the error page and nothing is deleted.
    proto[`fn_dns_${t}_delete`] = function (this: any, _sid: Val, id: Val, updateSerial?: Val): Val {
        const row = this.find("dns_rr", id);
        if (phpTruthy(updateSerial)) this.increaseSerial(0, row ? row.zone : undefined);
        return this.remove("dns_rr", id);
    };
}

// ---- sys_datalog and the server job (what the panel's cron does with DNS changes) -------------
/*
 * Every DNS write leaves a sys_datalog entry (inserts with dbidx `id:` and the row in `data`, as
 * on 3.2; updates and deletes `id:<id>`; a serial bump a dns_soa entry). `dnsServerJob(verdict)`
 * plays the panel's cron: it processes the new entries zone by zone and, where `verdict` says the
 * zone would be rejected by named-checkzone, writes that text into each processed entry's
 * `error` (status stays 'ok'). `sys_datalog_get` and `sys_datalog_get_by_tstamp` read them as the
 * real remote.d/admin.inc.php does (newest first).
 */
interface DatalogRow { datalog_id: number; server_id: number; dbtable: string; dbidx: string; action: string; tstamp: number; user: string; data: string; status: string; error: string | null; zone: number }

const phpRow = (id: number, zone: number) => `a:2:{s:3:"new";a:2:{s:2:"id";s:${String(id).length}:"${id}";s:4:"zone";s:${String(zone).length}:"${zone}";}s:3:"old";a:0:{}}`;

function datalog(panel: any): { rows: DatalogRow[]; processed: number } {
    return (panel.__datalog ??= { rows: [], processed: 0 });
}

function log(panel: any, dbtable: string, dbidx: string, action: string, id: number, zone: number): void {
    const d = datalog(panel);
    d.rows.push({ datalog_id: d.rows.length + 1, server_id: 1, dbtable, dbidx, action, tstamp: panel.now(), user: "admin", data: phpRow(id, zone), status: "ok", error: null, zone });
}

const proto = Panel.prototype as any;
for (const name of Object.getOwnPropertyNames(proto)) {
    const m = /^fn_dns_([a-z]+)_(add|update|delete)$/.exec(name);
    if (!m) continue;
    const inner = proto[name];
    const table = m[1] === "zone" ? "dns_soa" : "dns_rr";
    proto[name] = function (this: any, ...args: Val[]): Val {
        const idArg = m[2] === "add" ? undefined : m[2] === "update" ? args[2] : args[1];
        const before = idArg !== undefined ? this.find(table, idArg) : undefined;
        const zoneOf = (r: Row | undefined) => Number(table === "dns_soa" ? r?.id : r?.zone) || 0;
        const serialBefore = new Map<number, Val>(this.tables.dns_soa.map((z: Row) => [Number(z.id), z.serial]));
        const result = inner.apply(this, args);
        const id = m[2] === "add" ? Number(result) : Number(idArg);
        const row = this.find(table, id) ?? before;
        const zone = zoneOf(row);
        log(this, table, m[2] === "add" ? "id:" : `id:${id}`, m[2][0], id, zone);
        for (const z of this.tables.dns_soa as Row[]) {
            if (table === "dns_rr" && serialBefore.get(Number(z.id)) !== z.serial) log(this, "dns_soa", `id:${z.id}`, "u", Number(z.id), Number(z.id));
        }
        return result;
    };
}

registerSignature("sys_datalog_get", ["remoting_admin", 2, 3]);
registerSignature("sys_datalog_get_by_tstamp", ["remoting_admin", 2, 2]);
const out = (r: DatalogRow): Row => {
    const { zone: _z, ...rest } = r;
    return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, v === null ? null : String(v)]));
};
proto.fn_sys_datalog_get = function (this: any, _sid: Val, id: Val, newer?: Val): Val {
    const n = Math.trunc(Number(id)) || 0;
    const rows = datalog(this).rows;
    if (n > 0 && newer === true) return rows.filter((r) => r.datalog_id >= n).reverse().map(out);
    if (n > 0) return rows.filter((r) => r.datalog_id === n).map(out);
    throw new Fault("invalid_datalog_id", "The ID passed to the function must be > 0");
};
proto.fn_sys_datalog_get_by_tstamp = function (this: any, _sid: Val, tstamp: Val): Val {
    const t = Math.trunc(Number(tstamp)) || 0;
    if (t <= 0) return null;
    return datalog(this).rows.filter((r) => r.tstamp >= t).reverse().map(out);
};
/** The panel's cron for DNS: process new entries; `verdict(zoneId, rows)` returns named-checkzone's complaint, if any. */
proto.dnsServerJob = function (this: any, verdict: (zoneId: number, rows: Row[]) => string | undefined = () => undefined): number {
    const d = datalog(this);
    const fresh = d.rows.filter((r) => r.datalog_id > d.processed);
    for (const zone of new Set(fresh.map((r) => r.zone))) {
        const error = verdict(zone, (this.tables.dns_rr as Row[]).filter((r) => Number(r.zone) === zone && r.active === "Y"));
        if (error) for (const r of fresh) if (r.zone === zone) r.error = error;
    }
    d.processed = d.rows.length;
    return fresh.length;
};
