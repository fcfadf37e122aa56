import { Caller } from "./caller";
import { KEEP_OWNER } from "./ownership";
import { listMailUsersOfDomain, updateMailUser } from "./mailUser";
import { findMailDomainByName } from "./mailDomain";
import { mailServerConfig, mailboxPath } from "./server";

/*
 * Mail domain rename. The UI renames a mail domain in place and, in the same save, moves every
 * mailbox of the old name: address and maildir, laid out by the server's mail config (the
 * login stays: the panel's mail server accepts the login or the address); the server job then
 * moves the maildir on disk. On 3.2 `mail_domain_update` runs that same plugin
 * (mail_mail_domain_plugin), so this finds nothing left; it moves what a panel whose API does
 * not raise the event left behind. Returns how many mailboxes moved.
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
        await updateMailUser(c, m.mailuser_id, { email, maildir: mailboxPath(layout.maildirPath, to, local) }, KEEP_OWNER);
    }
    return mailboxes.length;
}
