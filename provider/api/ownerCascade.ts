import { Caller } from "./caller";
import { getDnsZone } from "./dnsZone";
import { DnsRecordRow, listZoneRecords } from "./dnsRr";
import { getMailDomain } from "./mailDomain";
import { listMailUsersOfDomain } from "./mailUser";
import { ADMIN_GROUP, ADMIN_USER, KEEP_OWNER, groupIdOfClient, isAdminGroup } from "./ownership";
import { NotFoundError, PermissionError, ValidationError } from "../soap/errors";

/*
 * Owner changes re-own the parent only (issue 5). In the panel's UI an owner change moves the
 * children with the parent:
 *   - DNS zone (`interface/lib/plugins/dns_dns_soa_plugin.inc.php`, on dns_soa update): the zone's
 *     sys_groupid AND every dns_rr row of the zone (`UPDATE dns_rr SET sys_groupid = ? WHERE
 *     zone = ?`), and when the new group has a user, sys_userid of both too. Seen through the
 *     UI of a 3.2 panel: admin → client 1 made the zone and its A and MX rows 2/2 (serial
 *     unchanged); back to "no client" made them all group 0 and left sys_userid at 2;
 *   - mail domain (`mail_mail_domain_plugin.inc.php` and `mail/mail_domain_edit.php`
 *     onAfterUpdate): the domain, then every mailbox, forward/alias/catch-all (source or
 *     destination in the domain), mailing list and fetchmail entry, plus spam-filter users.
 * Through the API, `*_update` with a client id re-owns just the row it updates, and
 * `dns_zone_update` raises no event, so the zone plugin never runs. `mail_domain_update` does
 * raise the mail domain event with the params as sent, so the plugin runs when the params
 * carry `client_group_id`, exactly as the UI's form posts it: one call moves the domain and
 * all its children, the admin included (group 1). Verified on a 3.2 panel.
 *
 * Back to the admin: a client_id of 0 on update means "leave the owner alone" and there is no
 * other client id for the admin (`loadUserProfile`: 0 is admin, anything else must have a
 * sys_user with that client_id, -1 faults invalid_client_id); sys_userid/sys_groupid in params
 * are ignored (not form fields), as is client_group_id on dns_zone_update. The only API route
 * for DNS rows is `update_record_permissions` (remote.d/admin.inc.php), which needs the remote
 * user's "Record permission changes" function group. Mail domains go back through the plugin.
 * Either way the admin's rows end up 1/1, as the API's own client_id 0 makes them (the UI's
 * group 0 would leave the former client's user as the rows' owner user).
 */

/** Record types with their own `dns_<type>_update` (capture 08_get_function_list). */
const RR_UPDATE_TYPES = new Set(["a", "aaaa", "alias", "caa", "cname", "dname", "ds", "hinfo", "loc", "mx", "naptr", "ns", "ptr", "rp", "srv", "sshfp", "tlsa", "txt"]);

/**
 * Sets a row's owner directly: the one route back to the admin (see above), and the way to
 * move a record type that has no update function of its own. The error names the checkbox.
 */
async function setOwner(c: Caller, table: string, idColumn: string, id: number, userId: number, groupId: number): Promise<void> {
    try {
        await c.call("update_record_permissions", table, idColumn, id, { sys_userid: userId, sys_groupid: groupId });
    } catch (e) {
        if (e instanceof PermissionError) {
            throw new PermissionError(
                `Moving ${table} row ${id} to its new owner needs the remote user's "Record permission changes" function group ` +
                    "(System > Remote Users): the panel's API has no other way to move it (a row goes back to the admin only this way).",
                "update_record_permissions",
            );
        }
        throw e;
    }
}

/**
 * Moves a DNS zone and every record in it to `clientId` (0 = the admin), as the panel's UI does.
 * Rows already in the new owner's group are left alone, so running it again after a failure
 * finishes the job, and on a zone that already has the owner it only reads (2 calls, plus one
 * cached owner lookup per client per session). Otherwise one call for the zone and one per
 * record that moves: `dns_zone_update` / `dns_<type>_update` with the client id (never with
 * update_serial: each would move the serial), or `update_record_permissions` for the admin and
 * for a record no update function can move. The serial does not move: nothing in the zone
 * file changes (the UI does not move it either).
 */
export async function reownZone(c: Caller, zoneId: number, clientId: number): Promise<void> {
    const [zone, records, group] = await Promise.all([getDnsZone(c, zoneId), listZoneRecords(c, zoneId), groupIdOfClient(c, clientId)]);
    if (!zone) throw new NotFoundError(`DNS zone ${zoneId} no longer exists in the panel`, "dns_zone_get");
    const owned = (g: number) => (clientId === 0 ? isAdminGroup(g) : g === group);
    const stale = records.filter((r) => !owned(r.sys_groupid));

    if (clientId === 0) {
        if (!owned(zone.sys_groupid)) await setOwner(c, "dns_soa", "id", zoneId, ADMIN_USER, ADMIN_GROUP);
        await settleAll(stale.map((r) => setOwner(c, "dns_rr", "id", r.id, ADMIN_USER, ADMIN_GROUP)));
        return;
    }
    if (!owned(zone.sys_groupid)) await c.call("dns_zone_update", clientId, zoneId, {});
    // For a record the client id cannot move: the owner it would have given it, which the zone
    // now carries. Read once, and only if such a record turns up.
    let zoneUser: Promise<number> | undefined;
    const userOfZone = () => (zoneUser ??= getDnsZone(c, zoneId).then((z) => z?.sys_userid ?? ADMIN_USER));
    await settleAll(stale.map((r) => reownRecord(c, r, clientId, async () => setOwner(c, "dns_rr", "id", r.id, await userOfZone(), group))));
}

/** Like Promise.all, but returns (or throws the first error) only once every call has ended: none is left running behind the caller. */
async function settleAll(work: Promise<unknown>[]): Promise<void> {
    const failed = (await Promise.allSettled(work)).find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
}

/** Rows of the type-column bug (type '') were made by dns_a_add. */
function updateType(r: DnsRecordRow): string {
    return (r.type || "a").toLowerCase();
}

/**
 * Empty params: the panel merges the stored row, re-validates it with the TYPE's own form
 * (dns_a_update on a TXT row faults ip_error_wrong) and re-owns it. A type without an update
 * function, or a stored row its own form now refuses, is moved by `setDirectly` instead.
 */
async function reownRecord(c: Caller, r: DnsRecordRow, clientId: number, setDirectly: () => Promise<void>): Promise<void> {
    if (!RR_UPDATE_TYPES.has(updateType(r))) return setDirectly();
    try {
        await c.call(`dns_${updateType(r)}_update`, clientId, r.id, {}, false);
    } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        // Deleted while we worked: nothing left to move.
        if (!(await c.call("dns_a_get", r.id))) return;
        await setDirectly();
    }
}

/**
 * Moves a mail domain and what belongs to it to `clientId` (0 = the admin), as the panel's UI
 * does: one `mail_domain_update` carrying `client_group_id` (the UI's own form field), which
 * makes the panel move the domain, its mailboxes, forwards, aliases, catch-alls, mailing lists
 * and fetchmail entries in the same request. 2 calls (domain read + update) plus one cached owner
 * lookup per client per session.
 *
 * The params always carry the stored `domain` and `server_id`: the panel rewrites every
 * mailbox's address and maildir from them, and an update without `domain` renames every
 * mailbox and forward of the domain to `local@` (seen on a 3.2 panel).
 *
 * When the domain already has the owner, the panel would move nothing, so mailboxes left with
 * another owner (by an older version of this provider, which moved the domain alone) are moved
 * one by one: one more call to list them, one per mailbox that moves. Forwards and aliases are
 * not repaired that way.
 */
export async function reownMailDomain(c: Caller, domainId: number, clientId: number): Promise<void> {
    const [domain, group] = await Promise.all([getMailDomain(c, domainId), groupIdOfClient(c, clientId)]);
    if (!domain) throw new NotFoundError(`mail domain ${domainId} no longer exists in the panel`, "mail_domain_get");
    const owned = (g: number) => (clientId === 0 ? isAdminGroup(g) : g === group);

    if (!owned(domain.sys_groupid)) {
        await c.call("mail_domain_update", KEEP_OWNER, domainId, { domain: domain.domain, server_id: domain.server_id, client_group_id: group });
        return;
    }
    const stale = (await listMailUsersOfDomain(c, domain.domain)).filter((m) => !owned(m.sys_groupid));
    await settleAll(
        stale.map((m) =>
            clientId === 0
                ? setOwner(c, "mail_user", "mailuser_id", m.mailuser_id, ADMIN_USER, ADMIN_GROUP)
                : c.call("mail_user_update", clientId, m.mailuser_id, {}),
        ),
    );
}
