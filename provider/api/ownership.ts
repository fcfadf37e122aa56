import { Caller } from "./caller";
import { asOneRow } from "./answerShape";
import { num } from "./columns";
import { NotFoundError, PermissionError } from "../soap/errors";

/*
 * Ownership quirk (fact sheet §6.4). `client_id` on add decides the owner (sys_userid /
 * sys_groupid). On every `*_update`, a client_id > 0 RE-OWNS the row — and with
 * update_serial the whole zone — while 0 leaves ownership alone. So updates pass
 * KEEP_OWNER unless the user changed the owner on purpose (see ownerChange.ts for the
 * owner change itself, children included).
 *
 * The owner of a row is its sys_groupid (the UI stores the acting admin in sys_userid and
 * the client's group in sys_groupid). Group → client is `client_get_by_groupid`: one call per
 * group, whatever the number of clients, cached per session (groups and clients do not move
 * under a running `pulumi up`). It answers the whole client row (password hash and SSH private
 * key included): only client_id is kept, nothing else leaves this function.
 *
 * The admin has no client, and the panel gives its rows one of two groups:
 *   - 1, the admin's own group: what every API call with client_id 0 stores
 *     (`remoting_lib::loadUserProfile(0)` hard-codes group 1; `client_get_groupid(0)` answers 1);
 *   - 0, "no group": what the UI stores when the admin leaves the client field empty
 *     (`dns_dns_soa_plugin`, `mail_mail_domain_plugin`: sys_groupid = client_group_id = 0).
 * `client_get_by_groupid` cannot say either (verified on a 3.2 panel: group 1 faults `invalid_id`,
 * because its sys_group row has client_id 0 and the handler then calls client_get(0); group 0
 * faults `no_group_found`, as an unknown group does), so both are answered here without a call.
 */
export const KEEP_OWNER = 0;

/** The admin's group: what `loadUserProfile(0)` gives every row added or re-owned as client 0. */
export const ADMIN_GROUP = 1;
/** The admin's sys_user (also hard-coded by `loadUserProfile(0)`). */
export const ADMIN_USER = 1;

/** Groups that mean "owned by the admin" (client 0); see above. */
export function isAdminGroup(sysGroupId: number): boolean {
    return sysGroupId === ADMIN_GROUP || sysGroupId === 0;
}

interface OwnerCache {
    groupOfClient: Map<number, Promise<number>>;
    clientOfGroup: Map<number, Promise<number | undefined>>;
}
const caches = new WeakMap<Caller, OwnerCache>();

function cacheOf(c: Caller): OwnerCache {
    let cache = caches.get(c);
    if (!cache) caches.set(c, (cache = { groupOfClient: new Map(), clientOfGroup: new Map() }));
    return cache;
}

/**
 * Caches the promise, so resources read in parallel share one call; a failed lookup is
 * forgotten, so a transient failure is not remembered for the rest of the run.
 */
function cached<K, V>(map: Map<K, Promise<V>>, key: K, load: () => Promise<V>): Promise<V> {
    const hit = map.get(key);
    if (hit) return hit;
    const p = load();
    map.set(key, p);
    p.catch(() => map.delete(key));
    return p;
}

/** The sys_groupid rows get when added or re-owned with this client id. One call per client per session, none for the admin. */
export async function groupIdOfClient(c: Caller, clientId: number): Promise<number> {
    if (clientId === 0) return ADMIN_GROUP;
    const cache = cacheOf(c);
    return cached(cache.groupOfClient, clientId, async () => {
        const gid = num(await c.call("client_get_groupid", clientId));
        cache.clientOfGroup.set(gid, Promise.resolve(clientId));
        return gid;
    });
}

/**
 * The client that owns a row, from its sys_groupid: 0 for the admin's groups (1 and 0), the
 * client id for a client's group, undefined when no client has that group (a deleted client, a
 * group the admin made by hand). At most one call per group per session (`client_get_by_groupid`),
 * none when the group is the admin's or already known. `hint` (the client we expect) is kept for
 * callers of the old signature: when its group is already known and matches, no call is made.
 */
export async function ownerOfGroup(c: Caller, sysGroupId: number, hint?: number): Promise<number | undefined> {
    if (isAdminGroup(sysGroupId)) return 0;
    const cache = cacheOf(c);
    if (hint !== undefined && hint > 0) {
        const hinted = cache.groupOfClient.get(hint);
        if (hinted && (await hinted.catch(() => undefined)) === sysGroupId) return hint;
    }
    return cached(cache.clientOfGroup, sysGroupId, async () => {
        let row;
        try {
            row = asOneRow(await c.call("client_get_by_groupid", sysGroupId), "client_get_by_groupid");
        } catch (e) {
            // no_group_found: no such group; invalid_id: a group whose client_id is 0 but that
            // is not the admin's (made by hand in System > Groups). Neither is a client.
            if (e instanceof NotFoundError) return undefined;
            // It is in no function group's list; it checks client_get_id, then client_get.
            if (e instanceof PermissionError) {
                throw new PermissionError(
                    "client_get_by_groupid: the panel's remote user may not look up who owns a record (permission_denied). An admin must " +
                        'open System > Remote Users in the panel, edit this remote user and tick "Client functions".',
                    "client_get_by_groupid",
                );
            }
            throw e;
        }
        // nil: the group points at a client row that no longer exists.
        if (!row) return undefined;
        const clientId = num(row.client_id);
        cache.groupOfClient.set(clientId, Promise.resolve(sysGroupId));
        return clientId;
    });
}
