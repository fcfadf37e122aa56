import { Caller } from "./caller";
import { asOneRow, asRowList } from "./answerShape";
import { ColumnKinds, Write, fromDb, num, toDb } from "./columns";
import { KEEP_OWNER } from "./ownership";
import { NotFoundError } from "../soap/errors";

/** Column kinds of `web_domain` (web checkboxes are y/n). */
export const WEB_DOMAIN_COLUMNS: ColumnKinds = {
    ints: [
        "domain_id", "sys_userid", "sys_groupid", "server_id", "parent_domain_id", "hd_quota", "traffic_quota",
        "errordocs", "is_subdomainwww", "pm_max_children", "pm_start_servers", "pm_min_spare_servers",
        "pm_max_spare_servers", "pm_process_idle_timeout", "pm_max_requests", "backup_copies",
        "directive_snippets_id", "http_port", "https_port", "log_retention", "server_php_id",
    ],
    flags: [
        "cgi", "ssi", "suexec", "ruby", "python", "perl", "rewrite_to_https", "ssl", "ssl_letsencrypt",
        "ssl_letsencrypt_exclude", "php_fpm_use_socket", "php_fpm_chroot", "backup_encrypt", "active",
        "traffic_quota_lock", "enable_pagespeed", "proxy_protocol", "delete_unused_jailkit", "disable_symlinknotowner",
    ],
    flagCase: "lower",
};

/** A web_domain row with DB strings turned into numbers and booleans. */
export interface WebDomainRow {
    domain_id: number;
    sys_userid: number;
    sys_groupid: number;
    server_id: number;
    parent_domain_id: number;
    domain: string;
    type: string;
    vhost_type: string;
    document_root: string;
    system_user: string;
    system_group: string;
    ip_address: string;
    subdomain: string;
    php: string;
    server_php_id: number;
    pm: string;
    pm_max_children: number;
    pm_start_servers: number;
    pm_min_spare_servers: number;
    pm_max_spare_servers: number;
    pm_process_idle_timeout: number;
    pm_max_requests: number;
    hd_quota: number;
    traffic_quota: number;
    traffic_quota_lock: boolean;
    cgi: boolean;
    ssi: boolean;
    perl: boolean;
    ruby: boolean;
    python: boolean;
    suexec: boolean;
    /** An int column (0/1), unlike the other checkboxes. */
    errordocs: number;
    allow_override: string;
    http_port: number;
    https_port: number;
    ssl: boolean;
    ssl_letsencrypt: boolean;
    rewrite_to_https: boolean;
    stats_type: string;
    log_retention: number;
    active: boolean;
}

/** Fields `sites_web_domain_update` silently resets when they are missing from its params (§6.5). */
export const WEB_UPDATE_RESET_FIELDS = [
    "pm_max_children", "pm_start_servers", "pm_min_spare_servers", "pm_max_spare_servers", "log_retention",
] as const;

/** Columns holding secrets (statistics and backup passwords, the TLS key): dropped on read. */
const WEB_DOMAIN_SECRET_COLUMNS = ["stats_password", "backup_password", "ssl_key"];

function typed(row: Record<string, unknown> | undefined): WebDomainRow | undefined {
    if (!row) return undefined;
    const t = fromDb<WebDomainRow>(row as never, WEB_DOMAIN_COLUMNS);
    for (const k of WEB_DOMAIN_SECRET_COLUMNS) delete (t as unknown as Record<string, unknown>)[k];
    return t;
}

export async function getWebDomain(c: Caller, id: number): Promise<WebDomainRow | undefined> {
    return typed(asOneRow(await c.call("sites_web_domain_get", id), "sites_web_domain_get"));
}

/** By exact domain name (the filter is an `=` match; the name never holds a `%`). */
export async function findWebDomainByName(c: Caller, domain: string): Promise<WebDomainRow | undefined> {
    const rows = asRowList(await c.call("sites_web_domain_get", { domain: domain.toLowerCase() }), "sites_web_domain_get");
    return typed(rows.find((r) => String(r.domain).toLowerCase() === domain.toLowerCase()));
}

/** Adds a site; `values` must hold every field the caller owns (the panel applies no defaults). */
export async function addWebDomain(c: Caller, clientId: number, values: Write<WebDomainRow>): Promise<number> {
    return num(await c.call("sites_web_domain_add", clientId, toDb(values, WEB_DOMAIN_COLUMNS), false));
}

/**
 * Updates a site without side effects: read, merge, write. `sites_web_domain_update` puts
 * pm_* back to 1 and log_retention to 30 unless they are sent, so the current values of
 * those go along with every update. `clientId` re-owns the row when > 0; keep KEEP_OWNER
 * unless moving the site on purpose.
 */
export async function updateWebDomain(
    c: Caller,
    id: number,
    changes: Write<WebDomainRow>,
    clientId: number = KEEP_OWNER,
): Promise<WebDomainRow> {
    const current = await getWebDomain(c, id);
    // Updating a missing id faults with every required key listed; say what really happened.
    if (!current) throw new NotFoundError(`web domain ${id} no longer exists in the panel`, "sites_web_domain_update");
    const params: Record<string, unknown> = {};
    for (const f of WEB_UPDATE_RESET_FIELDS) params[f] = current[f];
    Object.assign(params, changes);
    await c.call("sites_web_domain_update", clientId, id, toDb(params, WEB_DOMAIN_COLUMNS));
    // What the panel now holds: the old row merged with what was sent (the update is a merge).
    return { ...current, ...(fromDb(toDb(params, WEB_DOMAIN_COLUMNS), WEB_DOMAIN_COLUMNS) as Partial<WebDomainRow>) } as WebDomainRow;
}

/** True if a row was deleted, false if it was already gone (the panel answers 0, not a fault). */
export async function deleteWebDomain(c: Caller, id: number): Promise<boolean> {
    return num(await c.call("sites_web_domain_delete", id)) > 0;
}
