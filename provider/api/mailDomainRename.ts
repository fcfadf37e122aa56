import { Caller } from "./caller";
import { KEEP_OWNER } from "./ownership";
import { listMailUsersOfDomain, updateMailUser } from "./mailUser";
import { findMailDomainByName } from "./mailDomain";
import { mailServerConfig, mailboxPath } from "./server";

/*
 * Mail domain rename. The UI renames a mail domain in place and, in the same save, moves every
 * mailbox of the old name: address, login (when it was the address) and maildir, laid out by
 * the server's mail config (mail_domain_edit.php onAfterUpdate); the server job then moves the
 * maildir on disk. The API's mail_domain_update does none of that, so it is done here, after
 * the domain itself has its new name. Returns how many mailboxes moved.
 */
export async function renameMailDomainMailboxes(c: Caller, oldDomain: string, newDomain: string): Promise<number> {
    const from = oldDomain.toLowerCase();
    const to = newDomain.toLowerCase();
    if (from === to) return 0;
    const mailboxes = await listMailUsersOfDomain(c, from);
    if (mailboxes.length === 0) return 0;
    const domain = await findMailDomainByName(c, to);
    const layout = await mailServerConfig(c, domain?.server_id ?? mailboxes[0].server_id);
    for (const m of mailboxes) {
        const local = m.email.slice(0, m.email.lastIndexOf("@"));
        const email = `${local}@${to}`;
        const changes: Record<string, unknown> = { email, maildir: mailboxPath(layout.maildirPath, to, local) };
        if (m.login.toLowerCase() === m.email.toLowerCase()) changes.login = email;
        await updateMailUser(c, m.mailuser_id, changes, KEEP_OWNER);
    }
    return mailboxes.length;
}
