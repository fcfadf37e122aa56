import { AuthError, FaultError, ISPConfigError, NotFoundError, PermissionError, ValidationError } from "./errors";

/*
 * The panel's faults, turned into the one error hierarchy with messages a person can act on.
 * Fault codes and texts are the ones the real panel sends (fact sheet §4, §5).
 */

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

const NOT_FOUND_CODES = new Set(["no_group_found", "no_domain_found", "no_client_found", "invalid_id"]);

/** Readable names for the panel's `data_processing_error` keys, where the key alone is cryptic. */
const KEY_FIELDS: Record<string, string> = {
    no_server_error: "server_id",
    ip_error_wrong: "data (IP address)",
    data_error_empty: "data",
    mbox_error_regex: "mbox",
    login_error_regex: "login",
    email_error_isemail: "email",
};

/**
 * `database_error` texts echo the whole SQL statement, values included (password hashes in a
 * mail_user insert). Only the database's own message is kept.
 */
export function databaseErrorText(faultstring: string): string {
    const cut = faultstring.search(/\s(INSERT|UPDATE|DELETE|SELECT|REPLACE)\s/i);
    return (cut >= 0 ? faultstring.slice(0, cut) : faultstring).trim().slice(0, 300);
}

/** `data_processing_error` strings are `key<br />` lists (or a sentence, for the password policy). */
export function validationKeys(faultstring: string): string[] {
    return faultstring
        .split(/<br\s*\/?>/i)
        .map((s) => s.trim())
        .filter((s) => /^[a-z0-9_-]+$/i.test(s));
}

export function fieldOfKey(key: string): string {
    if (KEY_FIELDS[key]) return KEY_FIELDS[key];
    const m = /^(.*?)_(error|range_error)(_.*)?$/.exec(key);
    return m ? m[1] : key;
}

function explainKey(key: string): string {
    const field = fieldOfKey(key);
    if (/_unique$/.test(key)) return `${field} already exists`;
    if (/_empty$/.test(key)) return `${field} is empty`;
    if (/_regex$|_wrong$|_isemail$/.test(key)) return `${field} has an invalid format`;
    if (/range_error$/.test(key)) return `${field} is out of range`;
    return `${field} was refused (${key})`;
}

export function faultToError(faultcode: string, faultstring: string, method?: string): ISPConfigError {
    const where = method ? `${method}: ` : "";
    if (AUTH_CODES.has(faultcode)) {
        let hint = "";
        if (faultcode === "login_failed") hint = " Check `ispconfig:username` and `ispconfig:password` (and that the remote user may log in from this IP).";
        if (faultcode === "login_failure_limit" || faultcode === "session_failure_limit") {
            hint = " The panel has locked this IP after 10 failed logins or bad sessions within 5 minutes; wait 5 minutes before trying again.";
        }
        return new AuthError(`${where}${faultstring} (${faultcode}).${hint}`, faultcode, method);
    }
    if (faultcode === "permission_denied") {
        return new PermissionError(
            `${where}the panel's remote user may not call ${method ?? "this function"} (permission_denied). ` +
                `In the panel, open System → Remote Users, edit the user, and enable the function group that contains ${method ?? "it"}.`,
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
        const fields = [...new Set(keys.map(fieldOfKey))];
        return new ValidationError(`${where}the panel refused the values: ${keys.map(explainKey).join("; ")}`, keys, fields, method);
    }
    if (faultcode === "database_error") {
        return new FaultError(`${where}the panel's database refused the change: ${databaseErrorText(faultstring)}`, faultcode, databaseErrorText(faultstring), method);
    }
    if (NOT_FOUND_CODES.has(faultcode)) return new NotFoundError(`${where}${faultstring} (${faultcode})`, method);
    // PHP's ArgumentCountError text leaks the panel's file paths; keep the first sentence only.
    const short = faultstring.replace(/ passed in \/\S+ on line \d+/, " passed").slice(0, 500);
    return new FaultError(`${where}${short} (${faultcode})`, faultcode, short, method);
}
