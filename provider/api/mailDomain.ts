import { Caller } from "./caller";
import { asOneRow, asRowList } from "./answerShape";
import { ColumnKinds, Write, fromDb, num, toDb } from "./columns";
import { KEEP_OWNER } from "./ownership";
import { NotFoundError } from "../soap/errors";

export const MAIL_DOMAIN_COLUMNS: ColumnKinds = {
    ints: ["domain_id", "sys_userid", "sys_groupid", "server_id"],
    flags: ["dkim", "active"],
    flagCase: "lower",
};

export interface MailDomainRow {
    domain_id: number;
    sys_userid: number;
    sys_groupid: number;
    server_id: number;
    domain: string;
    active: boolean;
}

/** Columns that hold secrets and never leave this layer. */
const MAIL_DOMAIN_SECRET_COLUMNS = ["dkim_private", "relay_pass"];

function typed(row: Record<string, unknown> | undefined): MailDomainRow | undefined {
    if (!row) return undefined;
    const t = fromDb<MailDomainRow>(row as never, MAIL_DOMAIN_COLUMNS);
    for (const k of MAIL_DOMAIN_SECRET_COLUMNS) delete (t as unknown as Record<string, unknown>)[k];
    return t;
}

export async function getMailDomain(c: Caller, id: number): Promise<MailDomainRow | undefined> {
    return typed(asOneRow(await c.call("mail_domain_get", id), "mail_domain_get"));
}

/** `mail_domain_get_by_domain` always answers a list (and `false` for ''), never a bare row. */
export async function findMailDomainByName(c: Caller, domain: string): Promise<MailDomainRow | undefined> {
    if (!domain) return undefined;
    const rows = asRowList(await c.call("mail_domain_get_by_domain", domain), "mail_domain_get_by_domain");
    return typed(rows.find((r) => String(r.domain).toLowerCase() === domain.toLowerCase()));
}

export async function addMailDomain(c: Caller, clientId: number, values: Write<MailDomainRow>): Promise<number> {
    return num(await c.call("mail_domain_add", clientId, toDb(values, MAIL_DOMAIN_COLUMNS)));
}

/**
 * Quirk "mail_domain_update renames mailboxes": after an update the panel's mail-domain
 * plugin compares the stored domain with the `domain` in the call's params (not the merged
 * row) and, when they differ, rewrites every mailbox of the domain to `local@<new domain>`
 * with a maildir from the server named in the params. An update that leaves `domain` out
 * (say, only `active`) therefore turned every mailbox into `info@` with an empty maildir
 * (found by the live suite on a real 3.2 panel). The current domain and server always go along.
 */
export async function updateMailDomain(
    c: Caller,
    id: number,
    changes: Write<MailDomainRow>,
    clientId: number = KEEP_OWNER,
): Promise<number> {
    const current = await getMailDomain(c, id);
    if (!current) throw new NotFoundError(`mail domain ${id} no longer exists in the panel`, "mail_domain_update");
    // The panel's mail domain plugin compares the sent domain with the stored one: an update
    // without `domain` renames every mailbox of the domain to `local@` (seen on a real 3.2
    // panel). The stored name and server always go along unless they are being changed.
    const params = { domain: current.domain, server_id: current.server_id, ...changes };
    return num(await c.call("mail_domain_update", clientId, id, toDb(params, MAIL_DOMAIN_COLUMNS)));
}

export async function deleteMailDomain(c: Caller, id: number): Promise<boolean> {
    return num(await c.call("mail_domain_delete", id)) > 0;
}
