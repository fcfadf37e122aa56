import { Caller } from "./caller";
import { asOneRow, asRowList } from "./answerShape";
import { num, toDb } from "./columns";
import { KEEP_OWNER } from "./ownership";
import { NotFoundError, ValidationError } from "../soap/errors";
import { DNS_RR_COLUMNS, DnsRecordRow, bumpZoneSerial, stampNow, typedRecord } from "./dnsRr";
import { DnsRecordType, isOfType, rrMethod, withType } from "./dnsTypeColumn";
import { isPrimaryIdMissingPage } from "./primaryIdMissing";
import { zoneListings } from "./dnsZoneRecords";

/*
 * Every record type through its own `dns_<type>_*` functions (each loads its own form, so an MX
 * is validated as an MX), with the rules the A record established shared by all 18:
 * - the type column is always sent (dnsTypeColumn.ts);
 * - the zone serial moves on every add, update and delete (update_serial), without the zone being
 *   re-owned: the panel passes the call's client id on to dns_zone_update, so records of a
 *   client's zone are added without update_serial and the serial is moved with KEEP_OWNER;
 * - `zone` and `server_id` ride along on updates (update_serial needs `zone`, §9.1);
 * - a `stamp` is sent so strict-mode MariaDB accepts the insert (§6.1).
 * Every write tells the zone's listing cache what it touched (dnsZoneRecords.ts).
 */

/** `serial: false`: leave the zone serial alone; the caller moves it once after many writes (zoneBatch.ts). */
export interface SerialOption {
    serial?: false;
}

/** Reads one dns_rr row by id (any `dns_<t>_get` returns a row of any type, §4). */
export async function getRecord(c: Caller, type: DnsRecordType, id: number): Promise<DnsRecordRow | undefined> {
    return typedRecord(asOneRow(await c.call(rrMethod(type, "get"), id), rrMethod(type, "get")));
}

export async function addRecord(
    c: Caller,
    type: DnsRecordType,
    clientId: number,
    values: Record<string, unknown> & { zone: number },
    now = new Date(),
    zoneOwnedAsClient = false,
    opts: SerialOption = {},
): Promise<number> {
    const params = toDb(withType(type, { stamp: stampNow(now), ...values }), DNS_RR_COLUMNS);
    const method = rrMethod(type, "add");
    const zoneId = num(values.zone);
    try {
        if (opts.serial === false) {
            // The caller moves the serial once for many records (zoneBatch.ts); with
            // update_serial off the client id only gives the record its owner.
            const id = num(await c.call(method, clientId, params, false));
            zoneListings.added(c, zoneId, id, params);
            return id;
        }
        if (clientId === KEEP_OWNER || zoneOwnedAsClient) {
            const id = num(await c.call(method, clientId, params, true));
            zoneListings.added(c, zoneId, id, params);
            return id;
        }
        const id = num(await c.call(method, clientId, params, false));
        zoneListings.added(c, zoneId, id, params);
        try {
            await bumpZoneSerial(c, zoneId, now);
        } catch (e) {
            // A record the zone serial does not announce must not stay behind: undo the add.
            await deleteRecord(c, type, id, false, zoneId).catch(() => undefined);
            throw e;
        }
        return id;
    } catch (e) {
        zoneListings.touched(c, zoneId);
        throw e;
    }
}

/**
 * Updates a record with the type re-asserted (repairing an empty type) and the serial moved.
 * `changes` must hold `zone`. KEEP_OWNER: a client id here would re-own the record and, with
 * update_serial, the whole zone.
 */
export async function updateRecord(
    c: Caller,
    type: DnsRecordType,
    id: number,
    changes: Record<string, unknown> & { zone?: number },
    clientId: number = KEEP_OWNER,
    opts: SerialOption = {},
): Promise<number> {
    // The panel takes the zone for the serial from the params, not from the stored row: a
    // caller that did not give it gets it read from the record.
    if (changes.zone === undefined || changes.zone === null || (changes.zone as unknown) === "") {
        const stored = await getRecord(c, type, id);
        if (!stored) throw new NotFoundError(`DNS record ${id} no longer exists in the panel`, rrMethod(type, "update"));
        changes = { ...changes, zone: stored.zone };
    }
    const params = toDb(withType(type, changes), DNS_RR_COLUMNS);
    let n: number;
    try {
        n = num(await c.call(rrMethod(type, "update"), clientId, id, params, opts.serial !== false));
        zoneListings.updated(c, num(changes.zone), id, params);
    } catch (e) {
        zoneListings.touched(c, num(changes.zone));
        // A missing id faults with the whole merged row "invalid"; say what really happened.
        // Checked only after a failure, so a normal update is one call.
        if (e instanceof ValidationError && !(await getRecord(c, type, id))) {
            throw new NotFoundError(`DNS record ${id} no longer exists in the panel`, rrMethod(type, "update"));
        }
        if (isPrimaryIdMissingPage(e)) {
            throw new NotFoundError(`zone ${changes.zone} of DNS record ${id} no longer exists in the panel: the record was updated, but no zone serial could be moved`, rrMethod(type, "update"));
        }
        throw e;
    }
    // 0 rows: nothing changed, or (on the real panel, when every field is valid) no such id —
    // the UPDATE simply matched nothing. Only then is it worth a look.
    if (n === 0 && !(await getRecord(c, type, id))) throw new NotFoundError(`DNS record ${id} no longer exists in the panel`, rrMethod(type, "update"));
    return n;
}

/** Deletes a record (0 = already gone: success). The serial moves unless the zone goes next. */
export async function deleteRecord(c: Caller, type: DnsRecordType, id: number, updateSerial = true, zoneId?: number): Promise<boolean> {
    try {
        return num(await c.call(rrMethod(type, "delete"), id, updateSerial)) > 0;
    } catch (e) {
        // Idempotent on the real panel too: a record already gone makes a delete with
        // update_serial answer the "Primary ID fehlt" page instead of 0. On that page (and only
        // then) the record is looked up: gone means done; still there means its zone is gone
        // (no serial to move), so it is deleted without.
        if (!updateSerial || !isPrimaryIdMissingPage(e)) throw e;
        if (!(await getRecord(c, type, id))) return false;
        return num(await c.call(rrMethod(type, "delete"), id, false)) > 0;
    } finally {
        zoneListings.removed(c, zoneId, id);
    }
}

/** Records of a zone with this type (or the empty type of the bug), stored name and data. */
export async function findRecords(c: Caller, type: DnsRecordType, zoneId: number, name: string, data?: string): Promise<DnsRecordRow[]> {
    const filter: Record<string, unknown> = { zone: zoneId, name };
    if (data !== undefined) filter.data = data;
    const rows = asRowList(await c.call(rrMethod(type, "get"), filter as never), rrMethod(type, "get"));
    return rows
        .map((r) => typedRecord(r)!)
        .filter((r) => r.zone === zoneId && isOfType(type, r.type) && r.name === name && (data === undefined || r.data === data));
}
