import { Caller } from "./caller";
import { num } from "./columns";
import { isSoapMap } from "../soap/value";

/** The panel's version string, e.g. "3.2.11p2". */
export async function appVersion(c: Caller): Promise<string> {
    const v = await c.call("server_get_app_version");
    return isSoapMap(v) ? String(v.ispc_app_version ?? "") : "";
}

/** The parts of a server's mail config the panel's UI uses to lay out a new mailbox (§8). */
export interface MailServerConfig {
    maildirPath: string;
    homedirPath: string;
    uid: number;
    gid: number;
    maildirFormat: string;
}

/** The UI's defaults, used when the server has no mail config section. */
export const DEFAULT_MAIL_CONFIG: MailServerConfig = {
    maildirPath: "/var/vmail/[domain]/[localpart]",
    homedirPath: "/var/vmail",
    uid: 5000,
    gid: 5000,
    maildirFormat: "maildir",
};

/**
 * `server_get(id, 'mail')`. Only the layout fields are kept: the section also carries relay
 * and rspamd passwords, which must not travel any further.
 */
export async function mailServerConfig(c: Caller, serverId: number): Promise<MailServerConfig> {
    const v = await c.call("server_get", serverId, "mail");
    if (!isSoapMap(v)) return DEFAULT_MAIL_CONFIG;
    const virtualMaps = String(v.mailbox_virtual_uidgid_maps ?? "n") === "y";
    return {
        maildirPath: String(v.maildir_path || DEFAULT_MAIL_CONFIG.maildirPath),
        homedirPath: String(v.homedir_path || DEFAULT_MAIL_CONFIG.homedirPath),
        uid: virtualMaps ? -1 : num(v.mailuser_uid, DEFAULT_MAIL_CONFIG.uid),
        gid: virtualMaps ? -1 : num(v.mailuser_gid, DEFAULT_MAIL_CONFIG.gid),
        maildirFormat: String(v.maildir_format || DEFAULT_MAIL_CONFIG.maildirFormat),
    };
}

/** Fills the UI's `[domain]` / `[localpart]` placeholders. */
export function mailboxPath(template: string, domain: string, localPart: string): string {
    return template.replace(/\[domain\]/g, domain).replace(/\[localpart\]/g, localPart);
}
