import { Caller } from "./caller";
import { asRowList } from "./answerShape";
import { num } from "./columns";

/*
 * Ownership quirk (fact sheet §6.4). `client_id` on add decides the owner (sys_userid /
 * sys_groupid). On every `*_update`, a client_id > 0 RE-OWNS the row — and with
 * update_serial the whole zone — while 0 leaves ownership alone. So updates pass
 * KEEP_OWNER unless the user changed the owner on purpose.
 *
 * The owner of a row is its sys_groupid (the UI stores the acting admin in sys_userid and
 * the client's group in sys_groupid), and the API has no group → client lookup, only
 * client → group (`client_get_groupid`). We invert it with a per-session cache.
 */
export const KEEP_OWNER = 0;

const groupOfClient = new WeakMap<Caller, Map<number, number>>();

export async function groupIdOfClient(c: Caller, clientId: number): Promise<number> {
    let cache = groupOfClient.get(c);
    if (!cache) groupOfClient.set(c, (cache = new Map()));
    const hit = cache.get(clientId);
    if (hit !== undefined) return hit;
    const gid = num(await c.call("client_get_groupid", clientId));
    cache.set(clientId, gid);
    return gid;
}

/**
 * The client that owns a row, from its sys_groupid. `hint` is the client we expect (the
 * configured one): one cached call confirms it. Only when the row belongs to someone else do
 * we walk the client list. Returns undefined when no client has that group.
 */
export async function ownerOfGroup(c: Caller, sysGroupId: number, hint?: number): Promise<number | undefined> {
    const candidates: number[] = [];
    if (hint !== undefined) candidates.push(hint);
    if (hint !== 0) candidates.push(0);
    for (const id of candidates) {
        if ((await groupIdOfClient(c, id)) === sysGroupId) return id;
    }
    const clients = asRowList(await c.call("client_get", -1), "client_get");
    for (const row of clients) {
        const id = num(row.client_id);
        if (candidates.includes(id)) continue;
        if ((await groupIdOfClient(c, id)) === sysGroupId) return id;
    }
    return undefined;
}
