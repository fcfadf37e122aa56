import { Caller } from "./caller";
import { asOneRow } from "./answerShape";
import { num } from "./columns";
import { ADMIN_USER } from "./ownership";
import { NotFoundError } from "../soap/errors";

/** Client ids exist? `client_get` of a missing id answers nil. Admin (0) always exists. */
export async function clientExists(c: Caller, clientId: number): Promise<boolean> {
    if (clientId === 0) return true;
    return asOneRow(await c.call("client_get", clientId), "client_get") !== undefined;
}

/** sys_user → client does not change under a running `pulumi up`: one call per user per session. */
const clientOfUser = new WeakMap<Caller, Map<number, Promise<number | undefined>>>();

/** sys_user id → client id (`client_get_id`; 0 for the admin user, without a call). */
export async function clientIdOfSysUser(c: Caller, sysUserId: number): Promise<number | undefined> {
    if (sysUserId === ADMIN_USER) return 0;
    let cache = clientOfUser.get(c);
    if (!cache) clientOfUser.set(c, (cache = new Map()));
    const hit = cache.get(sysUserId);
    if (hit) return hit;
    const p = (async () => {
        try {
            return num(await c.call("client_get_id", sysUserId));
        } catch (e) {
            if (e instanceof NotFoundError) return undefined;
            throw e;
        }
    })();
    cache.set(sysUserId, p);
    p.catch(() => cache!.delete(sysUserId));
    return p;
}
