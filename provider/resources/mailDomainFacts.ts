import * as api from "../api";
import { ISPConfigError } from "../soap/errors";

/*
 * What a mailbox needs from its mail domain and server (the UI's mail_user_edit.php): the
 * domain's server and owner, and the server's mail layout (maildir/homedir templates,
 * uid/gid). Mailboxes are created by the dozen per domain; asking once per process saves
 * two round trips each. MailDomain's update and delete forget the entry.
 */
export interface MailDomainFacts {
    domain: string;
    serverId: number;
    /** The client owning the domain (0 = admin); its mailboxes get the same owner. */
    clientId: number;
    layout: api.MailServerConfig;
}

const domains = new WeakMap<api.Caller, Map<string, Promise<MailDomainFacts>>>();
const layouts = new WeakMap<api.Caller, Map<number, Promise<api.MailServerConfig>>>();

function memo<K, V>(store: WeakMap<api.Caller, Map<K, Promise<V>>>, c: api.Caller, key: K, load: () => Promise<V>): Promise<V> {
    let m = store.get(c);
    if (!m) store.set(c, (m = new Map()));
    let p = m.get(key);
    if (!p) {
        p = load();
        m.set(key, p);
        // A failed lookup must not be remembered.
        p.catch(() => m!.delete(key));
    }
    return p;
}

export function mailDomainFacts(c: api.Caller, domain: string, ownerHint: number): Promise<MailDomainFacts> {
    return memo(domains, c, domain, async () => {
        const row = await api.findMailDomainByName(c, domain);
        if (!row) {
            throw new ISPConfigError(
                `Mail domain ${domain} does not exist in the panel; create it first (a MailDomain resource, and pass it in \`dependsOn\` or use its \`domain\` output in \`email\`)`,
            );
        }
        const owner = await api.ownerOfGroup(c, row.sys_groupid, ownerHint);
        const layout = await memo(layouts, c, row.server_id, () => api.mailServerConfig(c, row.server_id));
        return { domain, serverId: row.server_id, clientId: owner ?? 0, layout };
    });
}

export function forgetMailDomain(c: api.Caller, domain: string): void {
    domains.get(c)?.delete(domain);
}
