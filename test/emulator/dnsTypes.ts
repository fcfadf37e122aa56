/*
 * The 17 record types beside A (`dns_<type>_add/get/update/delete`), as the real 3.2 panel's
 * remote API runs them: it loads `form/dns_<type>.tform.php` as admin and applies that form's
 * filters and validators — nothing of the UI's page (no `@` rewriting, no quote stripping, no
 * composition of SRV/NAPTR/CAA data, no duplicate or CNAME checks). Facts and captures:
 * ispconfig-dns-types.md §9.2/§9.3, ispconfig-wire/dns-types/. Wired into Panel by index.ts.
 */
import { domainToASCII } from "node:url";
import { isIP } from "node:net";
import { Panel, Row, registerSignature } from "./remoting";
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
        if (updateSerial === true) this.increaseSerial(clientId, row.zone);
        return String(row.id);
    };

    // The tform re-runs over the params; a missing row faults with the form's empty-data keys.
    proto[`fn_dns_${t}_update`] = function (this: any, _sid: Val, clientId: Val, id: Val, params: Val, updateSerial?: Val): Val {
        const p = (params ?? {}) as Row;
        const row = this.find("dns_rr", id);
        if (!row) this.validationFault(encode(type, {}, false).keys);
        const { values, keys } = encode(type, p, true);
        if (keys.length) this.validationFault(keys);
        const n = this.merge("dns_rr", row, clientId, this.rrValues(values, false));
        if (updateSerial === true) this.increaseSerial(clientId, row.zone);
        return n;
    };

    // Deletes by id whatever the row's type; the serial bump finds the zone from the row.
    proto[`fn_dns_${t}_delete`] = function (this: any, _sid: Val, id: Val, updateSerial?: Val): Val {
        const row = this.find("dns_rr", id);
        if (row && updateSerial === true) this.increaseSerial(0, row.zone);
        return this.remove("dns_rr", id);
    };
}
