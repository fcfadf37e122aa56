import { AuthError, FaultError, ISPConfigError, NotFoundError, PermissionError, ValidationError } from "./errors";

/*
 * The panel's faults, turned into the one error hierarchy with messages a person can act on.
 * Fault codes and texts are the ones the real panel sends (fact sheet §4, §5; captures 02_,
 * 05_-06_, 18_, 70_-81_, strict-sql-mode/). Nothing here ever quotes a value that was sent:
 * the faults that could echo one (database_error, PHP's own errors) are cut down first.
 */

/** Login and session faults: the credentials, the session or the IP is the problem. */
const AUTH_CODES = new Set([
    "login_failed",
    "login_failure_limit",
    "login_password_empty",
    "login_username_empty",
    "session_does_not_exist",
    "session_failure_limit",
    "session_id_empty",
    "session_id_nostring",
    "session_ip_mismatch",
]);

/** "No such record" faults; the API layer treats them as absence (e.g. dns_zone_get_id of an unknown zone). */
const NOT_FOUND_CODES = new Set(["no_group_found", "no_domain_found", "no_client_found", "invalid_id"]);

/**
 * The checkbox in System > Remote Users that grants each function (the labels of the panel's
 * `*\/lib/remote.conf.php`), for the functions this provider calls and their neighbours.
 */
const FUNCTION_GROUPS: Record<string, string[]> = {
    "Server functions": ["server_get", "server_get_all", "server_get_app_version", "server_get_php_versions", "server_get_serverid_by_ip", "get_function_list", "client_templates_get_all"],
    "Client functions": ["client_get", "client_get_all", "client_add", "client_update", "client_delete", "client_get_id", "client_get_groupid", "client_get_by_username", "client_get_emailcontact", "client_change_password", "client_delete_everything", "client_get_sites_by_user"],
    "Sites Domain functions": ["sites_web_domain_get", "sites_web_domain_add", "sites_web_domain_update", "sites_web_domain_delete", "sites_web_domain_set_status"],
    "DNS zone functions": ["dns_zone_get", "dns_zone_get_id", "dns_zone_add", "dns_zone_update", "dns_zone_delete", "dns_zone_set_status", "dns_templatezone_add", "dns_rr_get_all_by_zone"],
    "DNS a functions": ["dns_a_get", "dns_a_add", "dns_a_update", "dns_a_delete"],
    "DNS aaaa functions": ["dns_aaaa_get", "dns_aaaa_add", "dns_aaaa_update", "dns_aaaa_delete"],
    "DNS cname functions": ["dns_cname_get", "dns_cname_add", "dns_cname_update", "dns_cname_delete"],
    "DNS mx functions": ["dns_mx_get", "dns_mx_add", "dns_mx_update", "dns_mx_delete"],
    "DNS txt functions": ["dns_txt_get", "dns_txt_add", "dns_txt_update", "dns_txt_delete"],
    "Mail domain functions": ["mail_domain_get", "mail_domain_add", "mail_domain_update", "mail_domain_delete", "mail_domain_set_status", "mail_domain_get_by_domain"],
    "Mail user functions": ["mail_user_get", "mail_user_add", "mail_user_update", "mail_user_delete", "mail_user_get_all_by_client"],
};
const GROUP_OF = new Map(Object.entries(FUNCTION_GROUPS).flatMap(([group, fns]) => fns.map((f) => [f, group] as const)));

/** The Remote Users checkbox that grants `method`, when we know it. */
export function functionGroupOf(method: string): string | undefined {
    return GROUP_OF.get(method);
}

/** Field names for `data_processing_error` keys whose prefix is not the field's own name. */
const KEY_FIELDS: Record<string, string> = {
    no_server_error: "server_id",
    ip_error_wrong: "data",
    data_error_empty: "data",
    documentroot_error_empty: "document_root",
    sysuser_error_empty: "system_user",
    sysgroup_error_empty: "system_group",
    invalid_system_user_or_group_txt: "system_user/system_group",
};

/** `data_processing_error` strings are `key<br />\r\n` lists (`<br>` for the domain validators) or a sentence. */
export function validationKeys(faultstring: string): string[] {
    const parts = faultstring
        .split(/<br\s*\/?>/i)
        .map((s) => s.trim())
        .filter((s) => s !== "");
    return parts.length > 0 && parts.every((s) => /^[a-z0-9_-]+$/i.test(s)) ? parts : [];
}

export function fieldOfKey(key: string): string {
    if (KEY_FIELDS[key]) return KEY_FIELDS[key];
    const m = /^(.+?)_(?:error|range_error)(?:_[a-z]+)?$/.exec(key);
    return m ? m[1] : key;
}

function explainKey(key: string): string {
    const field = fieldOfKey(key);
    if (key === "no_server_error") return "server_id is missing or not a server of this panel";
    if (key === "ip_error_wrong") return "data is not a valid IPv4 address";
    if (/_unique$/.test(key)) return `${field} is already taken by another record`;
    if (/_empty$/.test(key)) return `${field} is missing or empty`;
    if (/_regex$|_wrong$|_isemail$|_value$/.test(key)) return `${field} has an invalid value`;
    if (/range_error$/.test(key)) return `${field} is out of range`;
    return `${field} was refused (${key})`;
}

const SQL_START = /(?:^|\s)(?:INSERT|UPDATE|DELETE|SELECT|REPLACE)\s/i;

/**
 * `database_error` texts are "<the database's message> <the whole SQL statement>", and the
 * statement carries every value (a mailbox's password hash among them): only the database's
 * own message is kept (strict-sql-mode/35_*).
 */
export function databaseErrorText(faultstring: string): string {
    const cut = faultstring.search(SQL_START);
    const own = (cut >= 0 ? faultstring.slice(0, cut) : faultstring).replace(/\s+/g, " ").trim();
    if (own === "") return "(the panel gave no message of its own)";
    return own.length > 300 ? `${own.slice(0, 300)}…` : own;
}

/** PHP's own errors (SOAP-ENV:Server) name the panel's files; the first sentence is enough. */
function phpErrorText(faultstring: string): string {
    const s = faultstring.replace(/ passed in \/\S+ on line \d+/, " passed").replace(/\s+/g, " ").trim();
    return s.length > 500 ? `${s.slice(0, 500)}…` : s;
}

export function faultToError(faultcode: string, faultstring: string, method?: string): ISPConfigError {
    const where = method ? `${method}: ` : "";
    if (AUTH_CODES.has(faultcode)) {
        let hint = "";
        if (faultcode === "login_failed") {
            hint = " Check `ispconfig:username` and `ispconfig:password`, and that the remote user may log in from this machine's IP (System > Remote Users).";
        } else if (faultcode === "login_failure_limit" || faultcode === "session_failure_limit") {
            hint = " The panel locks an IP out after 10 failed logins or bad session ids within 5 minutes, valid sessions included; wait 5 minutes before trying again.";
        } else if (faultcode === "session_ip_mismatch") {
            hint = " The session was opened from another IP (a NAT or proxy that changes address between requests?).";
        }
        return new AuthError(`${where}${faultstring} (${faultcode}).${hint}`, faultcode, method);
    }
    if (faultcode === "permission_denied") {
        const fn = method ?? "this function";
        const group = method ? functionGroupOf(method) : undefined;
        return new PermissionError(
            `${where}the panel's remote user may not call ${fn} (permission_denied). An admin must open System > Remote Users in the panel, ` +
                `edit this remote user and tick ${group ? `"${group}"` : `the function group that contains ${fn}`}.`,
            method,
        );
    }
    if (faultcode === "data_processing_error") {
        const keys = validationKeys(faultstring);
        if (keys.length === 0) {
            // A sentence rather than keys (the password policy, for one); it never echoes the value.
            const sentence = faultstring.replace(/<br\s*\/?>/gi, " ").replace(/\s+/g, " ").trim();
            return new ValidationError(`${where}the panel refused the values: ${sentence}`, [], [], method);
        }
        const unique = [...new Set(keys)];
        const fields = [...new Set(unique.map(fieldOfKey))];
        return new ValidationError(`${where}the panel refused the values: ${unique.map(explainKey).join("; ")}.`, unique, fields, method);
    }
    if (faultcode === "database_error") {
        const own = databaseErrorText(faultstring);
        return new FaultError(`${where}the panel's database refused the change: ${own} (database_error).`, faultcode, own, method);
    }
    if (NOT_FOUND_CODES.has(faultcode)) return new NotFoundError(`${where}${faultstring} (${faultcode})`, method);
    const text = phpErrorText(faultstring);
    return new FaultError(`${where}${text} (${faultcode})`, faultcode, text, method);
}
