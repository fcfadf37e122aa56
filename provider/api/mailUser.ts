import { Caller } from "./caller";
import { asOneRow, asRowList } from "./answerShape";
import { ColumnKinds, Write, fromDb, num, toDb } from "./columns";
import { KEEP_OWNER } from "./ownership";
import { ISPConfigError, NotFoundError, TransportError } from "../soap/errors";

export const MAIL_USER_COLUMNS: ColumnKinds = {
    ints: ["mailuser_id", "sys_userid", "sys_groupid", "server_id", "uid", "gid", "quota", "purge_trash_days", "purge_junk_days", "backup_copies"],
    flags: [
        "postfix", "disableimap", "disablepop3", "disabledeliver", "disablesmtp", "disablesieve", "disablesieve-filter",
        "disablelda", "disablelmtp", "disabledoveadm", "disablequota-status", "disableindexer-worker", "forward_in_lda",
        "autoresponder", "greylisting", "access", "move_junk",
    ],
    flagCase: "lower",
};

/**
 * A mail_user row WITHOUT its password: `mail_user_get` returns the sha512-crypt hash with
 * every row (§4), and it must never reach Pulumi outputs, logs or errors. It is dropped
 * here, at the first point it becomes a typed value.
 */
export interface MailUserRow {
    mailuser_id: number;
    sys_userid: number;
    sys_groupid: number;
    server_id: number;
    email: string;
    login: string;
    /** Only ever written: the stored hash is dropped on read. */
    password?: string;
    name: string;
    quota: number;
    maildir: string;
    homedir: string;
    maildir_format: string;
    uid: number;
    gid: number;
    postfix: boolean;
    disableimap: boolean;
    disablepop3: boolean;
    disablesmtp: boolean;
    disabledeliver: boolean;
    move_junk: boolean;
    purge_trash_days: number;
    purge_junk_days: number;
    backup_interval: string;
    backup_copies: number;
    autoresponder_subject: string;
}

function typed(row: Record<string, unknown> | undefined): MailUserRow | undefined {
    if (!row) return undefined;
    const { password: _hash, ...rest } = row;
    return fromDb<MailUserRow>(rest as never, MAIL_USER_COLUMNS);
}

export async function getMailUser(c: Caller, id: number): Promise<MailUserRow | undefined> {
    return typed(asOneRow(await c.call("mail_user_get", id), "mail_user_get"));
}

/** By address. Copes with older panels that answer a one-row filter with a bare Map. */
export async function findMailUserByEmail(c: Caller, email: string): Promise<MailUserRow | undefined> {
    const rows = asRowList(await c.call("mail_user_get", { email: email.toLowerCase() }), "mail_user_get");
    return typed(rows.find((r) => String(r.email).toLowerCase() === email.toLowerCase()));
}

/** Every mailbox of a mail domain (a LIKE filter on the address). */
export async function listMailUsersOfDomain(c: Caller, domain: string): Promise<MailUserRow[]> {
    const rows = asRowList(await c.call("mail_user_get", { email: `%@${domain.toLowerCase()}` }), "mail_user_get");
    return rows
        .filter((r) => String(r.email).toLowerCase().endsWith(`@${domain.toLowerCase()}`))
        .map((r) => typed(r)!);
}

/**
 * Quirk "mailbox columns the UI fills" (issue 11 #9): the API stores '' for every form field
 * it is not sent, and `purge_trash_days` / `purge_junk_days` are text fields in the form but
 * INT columns, so under MariaDB's strict sql_mode every mail_user_add without them fails
 * ("Incorrect integer value: '' for column ... purge_trash_days"). These are the values the
 * panel's own form (`mail/form/mail_user.tform.php`, a new mailbox in the UI) stores for the
 * columns the Mailbox resource does not manage; anything the caller sends wins.
 */
export const MAIL_USER_UI_DEFAULTS: Readonly<Write<MailUserRow>> = {
    purge_trash_days: 0,
    purge_junk_days: 0,
    backup_interval: "none",
    backup_copies: 1,
    autoresponder_subject: "Out of office reply",
};

export async function addMailUser(c: Caller, clientId: number, values: Write<MailUserRow>): Promise<number> {
    return num(await c.call("mail_user_add", clientId, toDb({ ...MAIL_USER_UI_DEFAULTS, ...values }, MAIL_USER_COLUMNS)));
}

/**
 * Partial update (the panel merges with the stored row); leaving `password` out keeps the
 * stored hash, sending it re-hashes. One call: existence is checked only after a failure,
 * to turn the merged-row validation fault of a missing id into a plain "not found".
 */
export async function updateMailUser(
    c: Caller,
    id: number,
    changes: Write<MailUserRow>,
    clientId: number = KEEP_OWNER,
): Promise<number> {
    try {
        return num(await c.call("mail_user_update", clientId, id, toDb(changes, MAIL_USER_COLUMNS)));
    } catch (e) {
        if (e instanceof ISPConfigError && !(e instanceof TransportError) && !(await getMailUser(c, id))) {
            throw new NotFoundError(`mailbox ${id} no longer exists in the panel`, "mail_user_update");
        }
        throw e;
    }
}

export async function deleteMailUser(c: Caller, id: number): Promise<boolean> {
    return num(await c.call("mail_user_delete", id)) > 0;
}
