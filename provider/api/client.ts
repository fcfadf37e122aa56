import { Caller } from "./caller";
import { asOneRow } from "./answerShape";
import { num } from "./columns";
import { NotFoundError } from "../soap/errors";

/** Client ids exist? `client_get` of a missing id answers nil. Admin (0) always exists. */
export async function clientExists(c: Caller, clientId: number): Promise<boolean> {
    if (clientId === 0) return true;
    return asOneRow(await c.call("client_get", clientId), "client_get") !== undefined;
}

/** sys_user id → client id (`client_get_id`; 0 for the admin user). */
export async function clientIdOfSysUser(c: Caller, sysUserId: number): Promise<number | undefined> {
    try {
        return num(await c.call("client_get_id", sysUserId));
    } catch (e) {
        if (e instanceof NotFoundError) return undefined;
        throw e;
    }
}
