/*
 * The remote API's behaviour, as the fact sheet and captures say the real ISPConfig 3.2 panel
 * behaves — quirks included, on purpose: no defaults on insert, the type-column bug,
 * re-owning updates, update_serial, the pm_* reset, prefix-matching dns_zone_get_id, deletes
 * that do not cascade, password hashes in mail_user_get, session expiry and IP lockout.
 * Since the differential test (test/live/differential.ts) compares it with a real panel call
 * by call, also: the HTML error page where update_serial finds no zone, updates of a missing
 * id validated from their params alone, strict sql_mode's refusals, and the mail-domain
 * plugin that renames mailboxes.
 */
import { createHash, randomBytes } from "node:crypto";
import { BLANK_ROWS, CLIENT_ADD_SENT, CLIENT_ROW, FUNCTION_LIST, SERVER_CONFIG } from "./fixtureData";
import type { Val } from "./soapxml";

export type Row = Record<string, Val>;

export class Fault extends Error {
    constructor(readonly code: string, readonly text: string) {
        super(`${code}: ${text}`);
    }
}

/**
 * What the real panel sends when ISPConfig's form layer finds no primary id: `app->error()`
 * prints the UI's alert box and exits, so the SOAP client gets HTTP 200, text/html, and this
 * body (captured from the panel, byte for byte). It happens wherever `increase_serial` looks
 * up a zone it cannot find: `dns_a_delete(missing id, true)` (it reads the zone of the record
 * before deleting), `dns_a_update`/`dns_a_add` with update_serial and no (or a missing) `zone`.
 */
export const PRIMARY_ID_MISSING_PAGE =
    `<div class='alert alert-danger clear'>\n  <div class='alert-label'><strong><tmpl_var name="error_txt"></strong></div>\n` +
    `  <div class='alert-content'>\n    <ul style="list-style-type:none">\n      <li>Primary ID fehlt!</li>\n    </ul>\n  </div>\n</div>\n`;

/** An answer that is a web page, not SOAP (the server sends it with HTTP 200 as text/html). */
export class HtmlPage extends Error {
    constructor(readonly body: string) {
        super("html page");
    }
}

/** PHP's `if ($x)`: the handlers test update_serial this way, so 1, "1" and even "false" count as true. */
export function phpTruthy(v: Val | undefined): boolean {
    if (v === undefined || v === null || v === false || v === 0) return false;
    if (typeof v === "string") return v !== "" && v !== "0";
    if (Array.isArray(v)) return v.length > 0;
    if (typeof v === "object") return Object.keys(v).length > 0;
    return true;
}

export interface RemoteUser {
    username: string;
    password: string;
    /** Method names this user may call, or "all". */
    functions: string[] | "all";
}

export interface PanelOptions {
    legacy?: boolean;
    strictSqlMode?: boolean;
    users?: RemoteUser[];
}

const TABLE_ID: Record<string, string> = {
    web_domain: "domain_id",
    dns_soa: "id",
    dns_rr: "id",
    mail_domain: "domain_id",
    mail_user: "mailuser_id",
    client: "client_id",
};

/** Permission names checkPerm() looks up (fact sheet §4), where not the method's own name. */
const PERMISSION: Record<string, string> = {
    dns_rr_get_all_by_zone: "dns_zone_get",
    client_get_by_groupid: "client_get_id",
    update_record_permissions: "admin_record_permissions",
};

/** [PHP class, required args incl. session, max args] — for PHP's ArgumentCountError text. */
const SIGNATURES: Record<string, [string, number, number]> = {
    login: ["remoting", 2, 3],
    logout: ["remoting", 1, 1],
    server_get_app_version: ["remoting_server", 1, 2],
    server_get: ["remoting_server", 1, 3],
    get_function_list: ["remoting", 1, 1],
    client_get: ["remoting_client", 2, 2],
    client_get_id: ["remoting_client", 2, 2],
    client_get_groupid: ["remoting_client", 2, 2],
    client_get_by_groupid: ["remoting_client", 2, 2],
    update_record_permissions: ["remoting_admin", 5, 5],
    client_add: ["remoting_client", 3, 3],
    sites_web_domain_get: ["remoting_sites", 2, 2],
    sites_web_domain_add: ["remoting_sites", 3, 4],
    sites_web_domain_update: ["remoting_sites", 4, 4],
    sites_web_domain_delete: ["remoting_sites", 2, 2],
    dns_zone_get: ["remoting_dns", 2, 2],
    dns_zone_get_id: ["remoting_dns", 2, 2],
    dns_zone_add: ["remoting_dns", 3, 3],
    dns_zone_update: ["remoting_dns", 4, 4],
    dns_zone_delete: ["remoting_dns", 2, 2],
    dns_a_get: ["remoting_dns", 2, 2],
    dns_a_add: ["remoting_dns", 3, 4],
    dns_a_update: ["remoting_dns", 4, 5],
    dns_a_delete: ["remoting_dns", 2, 3],
    dns_rr_get_all_by_zone: ["remoting_dns", 2, 2],
    mail_domain_get: ["remoting_mail", 2, 2],
    mail_domain_get_by_domain: ["remoting_mail", 2, 2],
    mail_domain_add: ["remoting_mail", 3, 3],
    mail_domain_update: ["remoting_mail", 4, 4],
    mail_domain_delete: ["remoting_mail", 2, 2],
    mail_user_get: ["remoting_mail", 2, 2],
    mail_user_add: ["remoting_mail", 3, 3],
    mail_user_get_all_by_client: ["remoting_mail", 2, 2],
    mail_user_update: ["remoting_mail", 4, 4],
    mail_user_delete: ["remoting_mail", 2, 2],
};

const MUTATING = /_(add|update|delete)$/;
export const isMutating = (method: string) => MUTATING.test(method);

const RR_TYPES = ["A", "AAAA", "ALIAS", "CAA", "CNAME", "DNAME", "DS", "HINFO", "LOC", "MX", "NAPTR", "NS", "PTR", "RP", "SRV", "SSHFP", "TXT", "TLSA", "DNSKEY"];
const DOMAIN_RE = /^([a-z0-9\-*_]+\.)+[a-z0-9\-]{2,63}$/i;
const ZONE_RE = /^[\w.\-/]{1,255}\.?$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** ISPConfig's password strength (1–5), as its validate_password does it. */
function strength(pw: string): number {
    const len = Buffer.byteLength(pw);
    if (len < 5) return 1;
    let points = 0;
    let different = 0;
    if (/[a-z]/.test(pw)) different++;
    if (/[A-Z]/.test(pw)) (points++, different++);
    if (/[0-9]/.test(pw)) (points++, different++);
    if (/[`~!@#$%^&*()_+|\\=\-[\]}{';:/?.>,<" ]/.test(pw)) (points++, different++);
    if (points === 0 || different < 3) return len <= 6 ? 1 : len <= 8 ? 2 : 3;
    if (points === 1) return len <= 6 ? 2 : len <= 10 ? 3 : 4;
    if (points === 2) return len <= 8 ? 3 : len <= 10 ? 4 : 5;
    if (points === 3) return len <= 6 ? 3 : len <= 8 ? 4 : 5;
    return len <= 6 ? 4 : 5;
}

/** A sha512-crypt–shaped hash (not real crypt(3); the tests only need its shape and secrecy). */
function hashPassword(pw: string): string {
    const salt = randomBytes(8).toString("hex");
    return `$6$rounds=5000$${salt}$${createHash("sha512").update(salt + pw).digest("base64").replace(/=+$/, "")}`;
}

const str = (v: Val | undefined) => (v === null || v === undefined ? "" : String(v));
const isNum = (v: Val | undefined) => v !== null && v !== undefined && /^-?\d+$/.test(String(v).trim());

export class Panel {
    readonly tables: Record<string, Row[]> = { web_domain: [], dns_soa: [], dns_rr: [], mail_domain: [], mail_user: [], client: [] };
    private nextId: Record<string, number> = { web_domain: 1, dns_soa: 1, dns_rr: 1, mail_domain: 1, mail_user: 1, client: 1 };
    readonly sessions = new Map<string, { user: RemoteUser; tstamp: number }>();
    private failures: number[] = [];
    clockOffset = 0;
    legacy: boolean;
    strict: boolean;
    users: RemoteUser[];

    constructor(opts: PanelOptions = {}) {
        this.legacy = !!opts.legacy;
        this.strict = !!opts.strictSqlMode;
        this.users = opts.users ?? [{ username: "apiuser", password: "ApiPass123!", functions: "all" }];
    }

    now(): number {
        return Math.floor(Date.now() / 1000) + this.clockOffset;
    }

    /** Aligns auto-increment ids with a recorded panel (conformance replay). */
    setNextId(table: string, id: number): void {
        this.nextId[table] = id;
    }

    loginFailures(): number {
        const t = this.now();
        this.failures = this.failures.filter((f) => f > t - 300);
        return this.failures.length;
    }

    private fail(): void {
        this.failures.push(this.now());
    }

    /** As the capture did with `UPDATE remote_session SET tstamp = UNIX_TIMESTAMP()-1`. */
    expireSession(sid: string): void {
        const s = this.sessions.get(sid);
        if (s) s.tstamp = this.now() - 1;
    }

    expireAllSessions(): void {
        for (const s of this.sessions.values()) s.tstamp = this.now() - 1;
    }

    // ---- dispatch -------------------------------------------------------------------------

    call(method: string, args: Val[]): Val {
        const sig = SIGNATURES[method];
        const handler = (this as any)[`fn_${method}`] as ((...a: Val[]) => Val) | undefined;
        if (!sig || !handler) throw new Fault("invalid_method", `Method ${method} does not exist`);
        if (args.length < sig[1]) {
            throw new Fault(
                "SOAP-ENV:Server",
                `Too few arguments to function ${sig[0]}::${method}(), ${args.length} passed in /usr/local/ispconfig/interface/lib/classes/soap_handler.inc.php on line 49 and ${sig[1] === sig[2] ? "exactly" : "at least"} ${sig[1]} expected`,
            );
        }
        if (method !== "login" && method !== "logout") this.session(args[0], PERMISSION[method] ?? method);
        return handler.apply(this, args);
    }

    private session(sid: Val, permission: string): RemoteUser {
        if (typeof sid === "number") throw new Fault("session_id_nostring", "Wrong SessionID datatype.");
        if (sid === "" || sid === null) throw new Fault("session_id_empty", "The SessionID is empty.");
        if (this.loginFailures() >= 10) throw new Fault("session_failure_limit", "The Session failure limit has been reached.");
        const s = this.sessions.get(String(sid));
        if (!s || s.tstamp < this.now()) {
            this.fail();
            throw new Fault("session_does_not_exist", "The Session is expired or does not exist.");
        }
        if (permission !== "server_get_app_version" && permission !== "get_function_list" && s.user.functions !== "all" && !s.user.functions.includes(permission)) {
            throw new Fault("permission_denied", "You do not have the permissions to access this function.");
        }
        return s.user;
    }

    fn_login(username: Val, password: Val): Val {
        if (str(username) === "") throw new Fault("login_username_empty", "The login username is empty.");
        if (str(password) === "") throw new Fault("login_password_empty", "The login password is empty.");
        if (this.loginFailures() >= 10) throw new Fault("login_failure_limit", "The login failure limit has been reached.");
        const user = this.users.find((u) => u.username === username && u.password === password);
        if (!user) {
            this.fail();
            throw new Fault("login_failed", "The login failed. Username or password wrong.");
        }
        this.failures = [];
        for (const [k, s] of this.sessions) if (s.tstamp < this.now()) this.sessions.delete(k);
        const sid = "p" + randomBytes(20).toString("hex");
        this.sessions.set(sid, { user, tstamp: this.now() + 1800 });
        return sid;
    }

    fn_logout(sid: Val): Val {
        if (str(sid) === "") throw new Fault("session_id_empty", "The SessionID is empty.");
        this.sessions.delete(String(sid));
        return true;
    }

    fn_server_get_app_version(_sid: Val, serverId?: Val): Val {
        return { ispc_app_version: serverId === undefined ? "3.2.11p2" : null };
    }

    fn_server_get(_sid: Val, serverId?: Val, section?: Val): Val {
        if (Number(serverId) !== 1) return false;
        if (section && SERVER_CONFIG[String(section)]) return SERVER_CONFIG[String(section)];
        return SERVER_CONFIG;
    }

    fn_get_function_list(): Val {
        return FUNCTION_LIST;
    }

    // ---- generic get ----------------------------------------------------------------------

    private out(row: Row): Row {
        const o: Row = {};
        for (const [k, v] of Object.entries(row)) o[k] = v === null ? null : typeof v === "object" ? v : String(v);
        return o;
    }

    private genericGet(table: string, arg: Val, legacyBareMap = false): Val {
        const idCol = TABLE_ID[table];
        const rows = this.tables[table];
        if (arg === null || arg === undefined) return [];
        if (Array.isArray(arg)) arg = {}; // PHP: an empty array is a filter without terms
        if (typeof arg === "object" && !Array.isArray(arg)) {
            let hits = rows.filter((r) =>
                Object.entries(arg).every(([k, v]) => {
                    if (k === "#OFFSET#" || k === "#LIMIT#") return true;
                    const want = str(v);
                    const have = str(r[k]);
                    if (want.includes("%")) {
                        const re = new RegExp(`^${want.split("%").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/_/g, ".")).join(".*")}$`, "is");
                        return re.test(have);
                    }
                    return have.toLowerCase() === want.toLowerCase();
                }),
            );
            const off = Number((arg as any)["#OFFSET#"] ?? 0);
            const lim = (arg as any)["#LIMIT#"];
            hits = hits.slice(off, lim !== undefined ? off + Number(lim) : undefined);
            if (legacyBareMap && this.legacy && hits.length === 1) return this.out(hits[0]);
            return hits.map((r) => this.out(r));
        }
        if (!isNum(arg)) return [];
        const id = Number(arg);
        if (id === -1) return rows.map((r) => this.out(r));
        if (id <= 0) throw new Fault("invalid_id", "The ID has to be > 0 or -1.");
        const row = rows.find((r) => Number(r[idCol]) === id);
        return row ? this.out(row) : null;
    }

    private find(table: string, id: Val): Row | undefined {
        return this.tables[table].find((r) => Number(r[TABLE_ID[table]]) === Number(id));
    }

    // ---- ownership ------------------------------------------------------------------------

    private owner(clientId: Val): { userid: number; groupid: number } {
        const id = Number(clientId ?? 0);
        if (!id) return { userid: 1, groupid: 1 };
        const c = this.find("client", id);
        if (!c) throw new Fault("invalid_client_id", `Invalid client_id ${id}`);
        return { userid: Number(c.__userid), groupid: Number(c.__groupid) };
    }

    private insert(table: string, clientId: Val, values: Row): Row {
        const { userid, groupid } = this.owner(clientId);
        const idCol = TABLE_ID[table];
        const blank = BLANK_ROWS[table];
        const row: Row = {};
        for (const k of Object.keys(blank)) row[k] = blank[k];
        row[idCol] = this.nextId[table]++;
        row.sys_userid = userid;
        row.sys_groupid = groupid;
        for (const [k, v] of Object.entries(values)) if (k in blank && k !== idCol) row[k] = this.coerce(blank[k], v, k);
        this.tables[table].push(row);
        return row;
    }

    private coerce(sample: Val, v: Val, column = ""): Val {
        // MySQL stores '' in a nullable DATETIME as NULL.
        if (v === "" && sample === null && /_date$/.test(column)) return null;
        if (typeof sample === "number") return isNum(v) ? Number(v) : typeof v === "boolean" ? Number(v) : 0;
        if (v === null) return null;
        return typeof v === "boolean" ? (v ? "1" : "") : String(v);
    }

    /** `_getSQL()` on update: merge, and a client_id > 0 re-owns the row. Returns affected rows. */
    private merge(table: string, row: Row, clientId: Val, params: Row): number {
        const before = JSON.stringify(row);
        const blank = BLANK_ROWS[table];
        for (const [k, v] of Object.entries(params)) if (k in blank && k !== TABLE_ID[table]) row[k] = this.coerce(blank[k], v, k);
        if (Number(clientId) > 0) {
            const o = this.owner(clientId);
            row.sys_userid = o.userid;
            row.sys_groupid = o.groupid;
        }
        return JSON.stringify(row) === before ? 0 : 1;
    }

    private validationFault(keys: string[]): never {
        // PHP joins the messages with CRLF.
        throw new Fault("data_processing_error", keys.join("\r\n") + "\r\n");
    }

    // ---- clients --------------------------------------------------------------------------

    fn_client_add(_sid: Val, _reseller: Val, params: Val): Val {
        const p = (params ?? {}) as Row;
        if (this.tables.client.some((c) => c.username === p.username)) throw new Fault("data_processing_error", "Duplicate username<br />");
        const id = this.nextId.client++;
        const row: Row = {};
        // Columns client_add was not given keep the panel's defaults (what the captured client
        // shows for columns its request left out); those it was given fall back to ''/0.
        for (const [k, v] of Object.entries(CLIENT_ROW)) row[k] = k in p ? str(p[k]) : CLIENT_ADD_SENT.has(k) ? (/^limit_/.test(k) ? "0" : "") : v;
        row.client_id = id;
        // Not a form field: klientadd sets it to the reseller the call names (0: none).
        if ("parent_client_id" in row) row.parent_client_id = String(Number(_reseller) || 0);
        row.sys_userid = 1;
        row.sys_groupid = 1;
        if ("password" in row) row.password = hashPassword(str(p.password));
        // The client's own sys_user and sys_group (admin is 1/1, so client N is N+1/N+1 here).
        row.__userid = id + 1;
        row.__groupid = id + 1;
        this.tables.client.push(row);
        return String(id);
    }

    fn_client_get(_sid: Val, arg: Val): Val {
        const r = this.genericGet("client", arg);
        const strip = (x: any) => {
            if (!x || typeof x !== "object") return x;
            const { __userid, __groupid, ...rest } = x;
            return rest;
        };
        return Array.isArray(r) ? r.map(strip) : strip(r);
    }

    fn_client_get_id(_sid: Val, sysUserId: Val): Val {
        if (Number(sysUserId) === 1) return 0;
        const c = this.tables.client.find((x) => Number(x.__userid) === Number(sysUserId));
        if (!c) throw new Fault("no_client_found", "There is no sys_user account with this userid.");
        return Number(c.client_id);
    }

    fn_client_get_groupid(_sid: Val, clientId: Val): Val {
        if (Number(clientId) === 0) return 1;
        const c = this.find("client", clientId);
        if (!c) throw new Fault("no_group_found", "There is no group for this client ID.");
        return Number(c.__groupid);
    }

    // ---- websites -------------------------------------------------------------------------

    fn_sites_web_domain_get(_sid: Val, arg: Val): Val {
        return this.genericGet("web_domain", arg);
    }

    private webErrors(p: Row, forUpdate: boolean): string[] {
        const keys: string[] = [];
        const has = (k: string) => p[k] !== undefined && p[k] !== null && str(p[k]) !== "";
        if (!forUpdate || "server_id" in p) if (!has("server_id")) keys.push("no_server_error<br />");
        if (!forUpdate || "domain" in p) {
            if (!has("domain")) keys.push("domain_error_empty<br>");
            else if (!DOMAIN_RE.test(str(p.domain))) keys.push("domain_error_regex<br>");
        }
        for (const q of ["hd_quota", "traffic_quota"]) {
            if (forUpdate && !(q in p)) continue;
            if (!has(q)) keys.push(`${q}_error_empty<br />`, `${q}_error_regex<br />`);
            else if (!/^-?\d+$/.test(str(p[q]))) keys.push(`${q}_error_regex<br />`);
        }
        if ((!forUpdate || "allow_override" in p) && !has("allow_override")) keys.push("allow_override_error_empty<br />");
        for (const q of ["pm_process_idle_timeout", "pm_max_requests", "http_port", "https_port"]) {
            if (forUpdate && !(q in p)) continue;
            if (!/^\d+$/.test(str(p[q]))) keys.push(`${q}_error_regex<br />`);
        }
        return keys;
    }

    private webComputed(row: Row): void {
        const client = this.tables.client.find((c) => Number(c.__groupid) === Number(row.sys_groupid));
        const n = client ? Number(client.client_id) : 0;
        const id = row.domain_id;
        row.document_root = `/var/www/clients/client${n}/web${id}`;
        row.system_user = `web${id}`;
        row.system_group = `client${n}`;
        row.sys_perm_group = "ru";
        row.php_open_basedir = `/var/www/clients/client${n}/web${id}/web:/var/www/clients/client${n}/web${id}/private:/var/www/clients/client${n}/web${id}/tmp:/var/www/${row.domain}/web:/srv/www/${row.domain}/web:/usr/share/php5:/usr/share/php:/tmp:/usr/share/phpmyadmin:/etc/phpmyadmin:/var/lib/phpmyadmin:/dev/random:/dev/urandom`;
    }

    fn_sites_web_domain_add(_sid: Val, clientId: Val, params: Val, _readonly?: Val): Val {
        const p = (Array.isArray(params) ? {} : params ?? {}) as Row;
        this.owner(clientId);
        const keys = this.webErrors(p, false);
        if (keys.length === 0 && this.tables.web_domain.some((r) => str(r.domain).toLowerCase() === str(p.domain).toLowerCase())) keys.push("domain_error_unique<br>");
        if (keys.length) this.validationFault(keys);
        const row = this.insert("web_domain", clientId, p);
        this.webComputed(row);
        return String(row.domain_id);
    }

    fn_sites_web_domain_update(_sid: Val, clientId: Val, id: Val, params: Val): Val {
        const p = { ...((params ?? {}) as Row) };
        // The handler fills these in BEFORE merging with the stored row (§6.5).
        for (const k of ["pm_max_children", "pm_start_servers", "pm_min_spare_servers", "pm_max_spare_servers"]) if (!(k in p)) p[k] = 1;
        if (!("log_retention" in p)) p.log_retention = 30;
        const row = this.find("web_domain", id);
        if (!row) {
            throw new Fault(
                "data_processing_error",
                "no_server_error<br />\r\ndomain_error_empty<br>\r\ntraffic_quota_error_empty<br />\r\ntraffic_quota_error_regex<br />\r\ndocumentroot_error_empty<br />\r\nsysuser_error_empty<br />\r\ninvalid_system_user_or_group_txt<br>\r\nsysgroup_error_empty<br />\r\ninvalid_system_user_or_group_txt<br>\r\nallow_override_error_empty<br />\r\npm_process_idle_timeout_error_regex<br />\r\npm_max_requests_error_regex<br />\r\nhttp_port_error_regex<br />\r\nhttps_port_error_regex<br />\r\n",
            );
        }
        const keys = this.webErrors(p, true);
        if (keys.length) this.validationFault(keys);
        if ("domain" in p && this.tables.web_domain.some((r) => r !== row && str(r.domain).toLowerCase() === str(p.domain).toLowerCase())) this.validationFault(["domain_error_unique<br>"]);
        return this.merge("web_domain", row, clientId, p);
    }

    fn_sites_web_domain_delete(_sid: Val, id: Val): Val {
        return this.remove("web_domain", id);
    }

    private remove(table: string, id: Val): number {
        const i = this.tables[table].findIndex((r) => Number(r[TABLE_ID[table]]) === Number(id));
        if (i < 0) return 0;
        this.tables[table].splice(i, 1);
        return 1;
    }

    // ---- DNS ------------------------------------------------------------------------------

    fn_dns_zone_get(_sid: Val, arg: Val): Val {
        return this.genericGet("dns_soa", arg);
    }

    fn_dns_zone_get_id(_sid: Val, origin: Val): Val {
        const o = str(origin);
        if (!/^[\w-]+(\.[\w-]+)*$/.test(o)) throw new Fault("no_domain_found", "Invalid domain name.");
        const hit = this.tables.dns_soa.find((r) => str(r.origin).toLowerCase().startsWith(o.toLowerCase()));
        if (!hit) throw new Fault("no_domain_found", "There is no domain ID with informed domain name.");
        return Number(hit.id);
    }

    private zoneErrors(p: Row, forUpdate: boolean): string[] {
        const keys: string[] = [];
        const has = (k: string) => p[k] !== undefined && p[k] !== null && str(p[k]) !== "";
        const check = (k: string) => !forUpdate || k in p;
        if (check("server_id") && !has("server_id")) keys.push("server_id_error_empty<br />");
        if (check("origin")) {
            if (!has("origin")) keys.push("origin_error_empty<br />", "origin_error_regex<br />");
            else if (!ZONE_RE.test(str(p.origin))) keys.push("origin_error_regex<br />");
        }
        if (check("ns") && !/^[\w.\-]{1,255}$/.test(str(p.ns))) keys.push("ns_error_regex<br />");
        if (check("mbox")) {
            if (!has("mbox")) keys.push("mbox_error_empty<br />", "mbox_error_regex<br />");
            else if (!/^[\w.\-]{1,255}\.$/.test(str(p.mbox))) keys.push("mbox_error_regex<br />");
        }
        for (const k of ["refresh", "retry", "expire", "minimum", "ttl"]) {
            if (check(k) && !(isNum(p[k]) && Number(p[k]) >= 60 && Number(p[k]) <= 2147483647)) keys.push(`${k}_range_error<br />`);
        }
        return keys;
    }

    fn_dns_zone_add(_sid: Val, clientId: Val, params: Val): Val {
        const p = (params ?? {}) as Row;
        this.owner(clientId);
        const keys = this.zoneErrors(p, false);
        if (keys.length === 0 && this.tables.dns_soa.some((r) => str(r.origin) === str(p.origin))) keys.push("origin_error_unique<br />");
        if (keys.length) this.validationFault(keys);
        const row = this.insert("dns_soa", clientId, this.upperFlags(p, ["active", "dnssec_wanted"]));
        return String(row.id);
    }

    private upperFlags(p: Row, flags: string[]): Row {
        const o = { ...p };
        for (const f of flags) if (typeof o[f] === "string") o[f] = str(o[f]).toUpperCase();
        return o;
    }

    fn_dns_zone_update(_sid: Val, clientId: Val, id: Val, params: Val): Val {
        const p = (params ?? {}) as Row;
        const row = this.find("dns_soa", id);
        // A missing id: the params alone are validated as the whole row (0 rows if they pass).
        const keys = this.zoneErrors(p, !!row);
        if (keys.length) this.validationFault(keys);
        return row ? this.merge("dns_soa", row, clientId, this.upperFlags(p, ["active", "dnssec_wanted"])) : 0;
    }

    fn_dns_zone_delete(_sid: Val, id: Val): Val {
        return this.remove("dns_soa", id); // the zone's records stay (no cascade)
    }

    fn_dns_a_get(_sid: Val, arg: Val): Val {
        return this.genericGet("dns_rr", arg);
    }

    fn_dns_rr_get_all_by_zone(_sid: Val, zone: Val): Val {
        return this.tables.dns_rr.filter((r) => Number(r.zone) === Number(zone)).map((r) => this.out(r));
    }

    private aErrors(p: Row, forUpdate: boolean): string[] {
        const keys: string[] = [];
        if (!forUpdate || "data" in p) {
            if (str(p.data) === "") keys.push("data_error_empty<br />", "ip_error_wrong<br />");
            else if (!IPV4.test(str(p.data))) keys.push("ip_error_wrong<br />");
        }
        if ((!forUpdate || "ttl" in p) && !(isNum(p.ttl) && Number(p.ttl) >= 60)) keys.push("ttl_range_error<br />");
        return keys;
    }

    /** The ENUM column: a valid type in any case is stored upper-case, anything else as '' (strict mode: an error). */
    private rrValues(p: Row, insertStatement: boolean): Row {
        const o = this.upperFlags(p, ["active"]);
        if ("type" in o || insertStatement) {
            const t = str(o.type).toUpperCase();
            o.type = RR_TYPES.includes(t) ? t : "";
        }
        return o;
    }

    /**
     * MariaDB in strict sql_mode (§6.1): an empty ENUM type or an empty DATETIME stamp fails
     * the INSERT, and the panel echoes the whole statement, values included.
     */
    private strictCheck(row: Row, owner: { userid: number; groupid: number }): void {
        if (!this.strict) return;
        const cols = ["server_id", "zone", "name", "type", "data", "ttl", "active", "stamp", "serial", "sys_userid", "sys_groupid", "sys_perm_user", "sys_perm_group", "sys_perm_other"];
        const vals: Row = { ...row, stamp: row.stamp ?? "", serial: row.serial ?? 0, sys_userid: owner.userid, sys_groupid: owner.groupid, sys_perm_user: "riud", sys_perm_group: "riud", sys_perm_other: "" };
        const sql = `INSERT INTO \`dns_rr\` (${cols.map((c) => `\`${c}\``).join(", ")}) VALUES (${cols.map((c) => `'${str(vals[c])}'`).join(", ")})`;
        if (str(row.type) === "") throw new Fault("database_error", `Data truncated for column 'type' at row 1 ${sql}`);
        if (str(row.stamp) === "") throw new Fault("database_error", `Incorrect datetime value: '' for column \`dbispconfig\`.\`dns_rr\`.\`stamp\` at row 1 ${sql}`);
    }

    /**
     * update_serial: `increase_serial` reads the zone named by the call's own params (not the
     * stored row) through dns_zone_get, and writes the next YYYYMMDDnn serial through
     * dns_zone_update with the SAME client_id (§6.4). A zone it cannot find leaves it with no
     * primary id, and the panel answers with the UI's error page instead of SOAP.
     */
    private increaseSerial(clientId: Val, zoneId: Val | undefined): void {
        if (isNum(zoneId) && Number(zoneId) <= 0 && Number(zoneId) !== -1) throw new Fault("invalid_id", "The ID has to be > 0 or -1.");
        const zone = isNum(zoneId) && Number(zoneId) > 0 ? this.find("dns_soa", zoneId!) : undefined;
        if (!zone) throw new HtmlPage(PRIMARY_ID_MISSING_PAGE);
        const d = new Date(this.now() * 1000);
        const today = Number(`${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, "0")}${String(d.getUTCDate()).padStart(2, "0")}`) * 100;
        const old = Number(zone.serial);
        this.merge("dns_soa", zone, clientId, { serial: old >= today + 1 ? old + 1 : today + 1 });
    }

    fn_dns_a_add(_sid: Val, clientId: Val, params: Val, updateSerial?: Val): Val {
        const p = (params ?? {}) as Row;
        this.owner(clientId);
        const keys = this.aErrors(p, false);
        if (keys.length) this.validationFault(keys);
        const values = this.rrValues(p, true);
        if (this.strict) {
            const order = ["server_id", "zone", "name", "type", "data", "ttl", "active"];
            const row: Row = { server_id: 0, zone: 0, name: "", type: "", ttl: 0, active: "N", stamp: "", serial: 0 };
            for (const k of order) if (k in values) row[k] = values[k];
            if ("stamp" in values) row.stamp = values.stamp;
            this.strictCheck(row, this.owner(clientId));
        }
        const row = this.insert("dns_rr", clientId, values);
        if (!("stamp" in p)) row.stamp = "0000-00-00 00:00:00";
        // The record is stored before the zone is looked up: a missing zone still keeps it.
        if (phpTruthy(updateSerial)) this.increaseSerial(clientId, p.zone);
        return String(row.id);
    }

    fn_dns_a_update(_sid: Val, clientId: Val, id: Val, params: Val, updateSerial?: Val): Val {
        const p = (params ?? {}) as Row;
        const row = this.find("dns_rr", id);
        // A missing id: the params alone are validated as the whole row; if they pass, the
        // UPDATE matches nothing and answers 0 (no fault).
        const keys = this.aErrors(p, !!row);
        if (keys.length) this.validationFault(keys);
        const n = row ? this.merge("dns_rr", row, clientId, this.rrValues(p, false)) : 0;
        // Applied before the serial: without `zone` in the params the update is stored and
        // the answer is the error page.
        if (phpTruthy(updateSerial)) this.increaseSerial(clientId, p.zone);
        return n;
    }

    fn_dns_a_delete(_sid: Val, id: Val, updateSerial?: Val): Val {
        const row = this.find("dns_rr", id);
        // The serial first, from the record's zone: a missing record (or zone) gives the error
        // page and nothing is deleted.
        if (phpTruthy(updateSerial)) this.increaseSerial(0, row ? row.zone : undefined);
        return this.remove("dns_rr", id);
    }

    // ---- mail -----------------------------------------------------------------------------

    fn_mail_domain_get(_sid: Val, arg: Val): Val {
        return this.genericGet("mail_domain", arg);
    }

    fn_mail_domain_get_by_domain(_sid: Val, domain: Val): Val {
        if (str(domain) === "") return false;
        return this.tables.mail_domain.filter((r) => str(r.domain).toLowerCase() === str(domain).toLowerCase()).map((r) => this.out(r));
    }

    private mailDomainErrors(p: Row, forUpdate: boolean): string[] {
        const keys: string[] = [];
        if (!forUpdate || "domain" in p) {
            if (str(p.domain) === "") keys.push("domain_error_empty<br />", "domain_error_regex<br />");
            else if (!DOMAIN_RE.test(str(p.domain))) keys.push("domain_error_regex<br />");
        }
        // mail_domain_add fills in 'default' first; an update of a missing id validates ''.
        if ((!forUpdate || "dkim_selector" in p) && !/^[a-z0-9]{1,63}(?:\.[a-z0-9]{1,63})?$/.test(str(p.dkim_selector))) keys.push("dkim_selector_error<br />");
        return keys;
    }

    fn_mail_domain_add(_sid: Val, clientId: Val, params: Val): Val {
        const p = (params ?? {}) as Row;
        this.owner(clientId);
        const keys = this.mailDomainErrors({ dkim_selector: "default", ...p }, false);
        if (keys.length === 0 && this.tables.mail_domain.some((r) => str(r.domain).toLowerCase() === str(p.domain).toLowerCase())) keys.push("domain_error_unique<br />");
        if (keys.length) this.validationFault(keys);
        return String(this.insert("mail_domain", clientId, p).domain_id);
    }

    fn_mail_domain_update(_sid: Val, clientId: Val, id: Val, params: Val): Val {
        const p = (params ?? {}) as Row;
        const row = this.find("mail_domain", id);
        // A missing id: the params alone are validated as the whole row (0 rows if they pass).
        const keys = this.mailDomainErrors(p, !!row);
        if (keys.length) this.validationFault(keys);
        if (!row) return 0;
        const old = { ...row };
        const n = this.merge("mail_domain", row, clientId, p);
        this.mailDomainPlugin(old, row, p);
        return n;
    }

    fn_mail_domain_delete(_sid: Val, id: Val): Val {
        return this.remove("mail_domain", id); // its mailboxes stay (no cascade)
    }

    fn_mail_user_get(_sid: Val, arg: Val): Val {
        return this.genericGet("mail_user", arg, true);
    }

    /**
     * `full`: validate every field, as for an add, or an update of a missing id (the panel
     * merges the params into an empty row and validates that). The mail-domain check comes
     * first and only looks at a given `email` on update (§4: under PHP 8.2 null == null passes).
     */
    private mailUserChecks(p: Row, forUpdate: boolean, self?: Row, full = !forUpdate): void {
        if (!forUpdate || "email" in p) {
            const domain = str(p.email).split("@")[1] ?? "";
            if (!this.tables.mail_domain.some((d) => str(d.domain).toLowerCase() === domain.toLowerCase())) {
                throw new Fault("mail_domain_does_not_exist", `Mail domain - ${domain} - does not exist as primary.`);
            }
        }
        if ("password" in p && str(p.password) !== "") {
            const pw = str(p.password);
            if (Buffer.byteLength(pw) < 8 || strength(pw) < 3) {
                throw new Fault("data_processing_error", 'The chosen password does not match the security guidelines. It has to be at least 8 chars in length and have a strength of "Good".');
            }
        }
        // Field by field in the form's order, each field's validators in theirs (mail_user.tform.php).
        const keys: string[] = [];
        const taken = (col: string) => str(p[col]) !== "" && this.tables.mail_user.some((u) => u !== self && str(u[col]).toLowerCase() === str(p[col]).toLowerCase());
        if (full || "email" in p) {
            if (!/^[\w.+\-]+@[\w.\-]+\.[a-z]{2,}$/i.test(str(p.email))) keys.push("email_error_isemail<br />");
            if (taken("email")) keys.push("email_error_unique<br />");
        }
        if (full || "login" in p) {
            if (taken("login")) keys.push("login_error_unique<br />");
            if (!/^[_a-z0-9][\w.\-_+@]{1,63}$/.test(str(p.login))) keys.push("login_error_regex<br />");
        }
        if ((full || "quota" in p) && !/^([0-9]{1,})$/.test(str(p.quota))) keys.push("quota_error_value<br />");
        if (keys.length) this.validationFault(keys);
    }

    /**
     * Strict sql_mode (§6.1): `purge_trash_days` and `purge_junk_days` are VARCHAR fields in
     * the form but INT columns, so an add that leaves them out inserts '' and MariaDB refuses
     * it. The faultstring echoes the statement; only its start is reproduced here (the
     * provider and the differential test keep the database's own message, never the SQL).
     */
    private mailUserStrictCheck(p: Row, owner: { userid: number; groupid: number }): void {
        if (!this.strict) return;
        for (const col of ["purge_trash_days", "purge_junk_days"]) {
            if (isNum(p[col])) continue;
            const sql = `INSERT INTO \`mail_user\` (\`server_id\`, \`email\`, \`login\`, \`password\`, \`name\`, \`quota\`, …, \`sys_userid\`, \`sys_groupid\`) VALUES ('${str(p.server_id)}', '${str(p.email).toLowerCase()}', '${str(p.login)}', '…', '${str(p.name)}', '${str(p.quota)}', …, '${owner.userid}', '${owner.groupid}')`;
            throw new Fault("database_error", `Incorrect integer value: '${str(p[col])}' for column \`dbispconfig\`.\`mail_user\`.\`${col}\` at row 1 ${sql}`);
        }
    }

    private mailUserValues(p: Row): Row {
        const o = { ...p };
        if ("email" in o) o.email = str(o.email).toLowerCase();
        if ("password" in o) o.password = str(o.password) === "" ? "" : hashPassword(str(o.password));
        return o;
    }

    fn_mail_user_get_all_by_client(_sid: Val, clientId: Val): Val {
        const gid = Number(clientId) === 0 ? 1 : Number(this.find("client", clientId)?.__groupid);
        return this.tables.mail_user.filter((u) => Number(u.sys_groupid) === gid).map((r) => this.out(r));
    }

    fn_mail_user_add(_sid: Val, clientId: Val, params: Val): Val {
        const p = (params ?? {}) as Row;
        const owner = this.owner(clientId);
        this.mailUserChecks(p, false);
        this.mailUserStrictCheck(p, owner);
        return String(this.insert("mail_user", clientId, this.mailUserValues(p)).mailuser_id);
    }

    fn_mail_user_update(_sid: Val, clientId: Val, id: Val, params: Val): Val {
        const p = (params ?? {}) as Row;
        const row = this.find("mail_user", id);
        // A missing id: the params are validated as a whole row; if they pass, 0 rows change.
        this.mailUserChecks(p, true, row, !row);
        return row ? this.merge("mail_user", row, clientId, this.mailUserValues(p)) : 0;
    }

    fn_mail_user_delete(_sid: Val, id: Val): Val {
        return this.remove("mail_user", id);
    }

    // ---- owner changes (test/ownership.test.ts) -------------------------------------------

    /** sys_user of a group (`SELECT userid FROM sys_user WHERE default_group = ?`). */
    private userOfGroup(groupId: number): number | undefined {
        if (groupId === 1) return 1;
        const c = this.tables.client.find((x) => Number(x.__groupid) === groupId);
        return c ? Number(c.__userid) : undefined;
    }

    /**
     * `client_get_by_groupid`: the sys_group's client_id, then client_get of it. The admin's
     * group 1 has client_id 0, so client_get(0) faults invalid_id; no group (0 included) faults
     * no_group_found (both seen on a real 3.2 panel).
     */
    fn_client_get_by_groupid(sid: Val, groupId: Val): Val {
        const g = Math.trunc(Number(groupId)) || 0;
        if (g === 1) {
            this.session(sid, "client_get");
            throw new Fault("invalid_id", "The ID has to be > 0 or -1.");
        }
        const c = this.tables.client.find((x) => Number(x.__groupid) === g);
        if (!c) throw new Fault("no_group_found", "There is no client for this group ID.");
        this.session(sid, "client_get"); // the handler calls client_get, which checks its own permission
        return this.fn_client_get(sid, Number(c.client_id));
    }

    /** `remote.d/admin.inc.php`: sets sys_* columns of any row; unknown user or group (0 too) is a fault, a missing row is not. */
    fn_update_record_permissions(_sid: Val, table: Val, indexField: Val, indexValue: Val, permissions: Val): Val {
        const perms = (permissions ?? {}) as Row;
        const out: Row = {};
        for (const [k, v] of Object.entries(perms)) {
            if (k === "sys_userid") {
                const u = Math.trunc(Number(v)) || 0;
                if (!(u === 1 || this.tables.client.some((c) => Number(c.__userid) === u))) throw new Fault("invalid parameters", `${str(v)} is no valid sys_userid.`);
                out[k] = u;
            } else if (k === "sys_groupid") {
                const g = Math.trunc(Number(v)) || 0;
                if (!(g === 1 || this.tables.client.some((c) => Number(c.__groupid) === g))) throw new Fault("invalid parameters", `${str(v)} is no valid sys_groupid.`);
                out[k] = g;
            } else if (k === "sys_perm_user" || k === "sys_perm_group") {
                out[k] = ["r", "i", "u", "d"].filter((x) => str(v).toLowerCase().includes(x)).join("");
            } else {
                throw new Fault("invalid parameters", "Only sys_userid, sys_groupid, sys_perm_user and sys_perm_group parameters can be changed with this function.");
            }
        }
        const row = this.tables[str(table)]?.find((r) => str(r[str(indexField)]) === str(indexValue));
        if (row) Object.assign(row, out);
        return true;
    }

    /**
     * `dns_<type>_update` for the other record types (the A one is above): same merge and
     * re-owning. The real panel also re-validates the merged row with the type's own form,
     * which this does not.
     */
    private rrUpdate(clientId: Val, id: Val, params: Val, updateSerial?: Val): Val {
        const row = this.find("dns_rr", id);
        if (!row) this.validationFault(["data_error_empty<br />"]);
        const n = this.merge("dns_rr", row!, clientId, this.rrValues((params ?? {}) as Row, false));
        if (updateSerial === true) this.increaseSerial(clientId, row!.zone);
        return n;
    }

    /**
     * `mail_mail_domain_plugin` on `mail:mail_domain:on_after_update`, which mail_domain_update
     * raises with the params as sent. `client_group_id` moves the domain to that group (and the
     * group's user, else the admin); a changed domain or group then moves every mailbox whose
     * address ends in @<old domain> to it, rewriting email and maildir from the params' `domain`:
     * an update that leaves `domain` out renames them to `local@` (as the real panel does).
     */
    private mailDomainPlugin(old: Row, row: Row, p: Row): void {
        const domain = str(p.domain);
        const hasGroup = "client_group_id" in p;
        const group = Math.trunc(Number(p.client_group_id)) || 0;
        if (hasGroup) {
            row.sys_groupid = group;
            row.sys_userid = this.userOfGroup(group) ?? 1;
            row.sys_perm_group = "ru";
        }
        if (!str(old.domain) || (str(old.domain) === domain && !(hasGroup && Number(old.sys_groupid) !== group))) return;
        const g = hasGroup ? group : Number(old.sys_groupid);
        const u = this.userOfGroup(g) ?? 1;
        const serverId = "server_id" in p ? Number(p.server_id) : undefined;
        const maildirPath = serverId === 1 ? str(SERVER_CONFIG.mail.maildir_path) : "";
        for (const m of this.tables.mail_user) {
            if (!str(m.email).toLowerCase().endsWith(`@${str(old.domain).toLowerCase()}`)) continue;
            const local = str(m.email).split("@")[0];
            m.maildir = maildirPath.replace("[domain]", domain).replace("[localpart]", local);
            m.email = `${local}@${domain}`;
            m.sys_userid = u;
            m.sys_groupid = g;
        }
    }
}

// The other record types' update functions, as the panel has them (remote.d/dns.inc.php).
for (const t of RR_TYPES) {
    if (t === "A") continue;
    const method = `dns_${t.toLowerCase()}_update`;
    SIGNATURES[method] = ["remoting_dns", 4, 5];
    (Panel.prototype as any)[`fn_${method}`] = function (this: any, _sid: Val, clientId: Val, id: Val, params: Val, updateSerial?: Val) {
        return this.rrUpdate(clientId, id, params, updateSerial);
    };
}

/** For the record-type families defined beside this file (dnsTypes.ts): their argument counts. */
export function registerSignature(method: string, sig: [string, number, number]): void {
    SIGNATURES[method] = sig;
}
