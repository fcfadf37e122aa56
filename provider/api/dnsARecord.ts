import { Caller } from "./caller";
import { asOneRow, asRowList } from "./answerShape";
import { ColumnKinds, Typed, fromDb, num, toDb } from "./columns";
import { KEEP_OWNER } from "./ownership";
import { NotFoundError, TransportError, ValidationError } from "../soap/errors";
import { nextSerial } from "./zoneSerial";

/** Column kinds of `dns_rr`. */
export const DNS_RR_COLUMNS: ColumnKinds = {
    ints: ["id", "sys_userid", "sys_groupid", "server_id", "zone", "aux", "ttl", "serial"],
    flags: ["active"],
    flagCase: "upper",
};

export interface DnsRecordRow extends Typed {
    id: number;
    sys_userid: number;
    sys_groupid: number;
    server_id: number;
    zone: number;
    name: string;
    type: string;
    data: string;
    ttl: number;
    active: boolean;
}

function typed(row: Record<string, unknown> | undefined): DnsRecordRow | undefined {
    return row ? (fromDb(row as never, DNS_RR_COLUMNS) as DnsRecordRow) : undefined;
}

/**
 * `stamp` is a TIMESTAMP column the API fills with '' when omitted; under MariaDB's strict
 * sql_mode that fails every dns_a_add ("Incorrect datetime value", §6.1). Sending a real
 * timestamp costs nothing on a normal panel and keeps strict-mode panels working.
 */
export function stampNow(now: Date = new Date()): string {
    return now.toISOString().slice(0, 19).replace("T", " ");
}

/** Reads one dns_rr row by id. Note `dns_a_get` returns a row of ANY type (42_). */
export async function getDnsRecord(c: Caller, id: number): Promise<DnsRecordRow | undefined> {
    return typed(asOneRow(await c.call("dns_a_get", id), "dns_a_get"));
}

/** Every record of a zone, every type, including type-'' rows left by the type-column bug. */
export async function listZoneRecords(c: Caller, zoneId: number): Promise<DnsRecordRow[]> {
    return asRowList(await c.call("dns_rr_get_all_by_zone", zoneId), "dns_rr_get_all_by_zone").map((r) => typed(r)!);
}

/**
 * The type-column bug (§6.1): `dns_a_add` stores type '' unless `type: 'A'` is sent, and a
 * record with an empty type is never written to the zone file. We always send it; a row read
 * back empty (made by an older tool) counts as an A record that needs repair.
 */
export function isARecordType(type: string): boolean {
    return type === "A" || type === "";
}

/**
 * Adds an A record owned by `clientId` and moves the zone serial. With update_serial the panel
 * also calls dns_zone_update with the SAME client_id, which re-owns the zone whenever it is
 * > 0 (§6.4) — so for a client-owned record we add without it and bump the serial ourselves
 * with client_id 0, which leaves the zone's owner alone.
 */
export async function addARecord(
    c: Caller,
    clientId: number,
    values: Record<string, unknown>,
    now = new Date(),
    /** The zone already has exactly the owner client_id would give it (sys_userid and sys_groupid). */
    zoneOwnedAsClient = false,
): Promise<number> {
    const params = toDb({ stamp: stampNow(now), ...values, type: "A" }, DNS_RR_COLUMNS);
    // One call when "re-owning" the zone changes nothing: admin records, or a zone whose
    // sys_userid and sys_groupid already are this client's.
    if (clientId === KEEP_OWNER || zoneOwnedAsClient) return num(await c.call("dns_a_add", clientId, params, true));
    const id = num(await c.call("dns_a_add", clientId, params, false));
    try {
        await bumpZoneSerial(c, num(values.zone), now);
    } catch (e) {
        // A record the zone serial does not announce must not stay behind: undo the add.
        await deleteZoneRecord(c, id).catch(() => undefined);
        throw e;
    }
    return id;
}

/** Moves a zone's serial on without touching its owner. */
export async function bumpZoneSerial(c: Caller, zoneId: number, now = new Date()): Promise<void> {
    const zone = asOneRow(await c.call("dns_zone_get", zoneId), "dns_zone_get");
    if (!zone) return;
    await c.call("dns_zone_update", KEEP_OWNER, zoneId, { serial: nextSerial(num(zone.serial), now) });
}

/**
 * Quirk "Primary ID fehlt" (issue 11 #8): with update_serial the panel's `increase_serial`
 * looks the zone up — from the call's own `zone` param, or for a delete from the stored
 * record — and when it finds none, ISPConfig's form layer prints its UI error box and exits.
 * The answer is HTTP 200 text/html "Primary ID fehlt!", not SOAP (our transport reports it as
 * a TransportError). Seen for dns_a_delete of a record that is already gone (nothing is
 * deleted), and for dns_a_update/dns_a_add whose `zone` is missing or names no zone (the
 * row is written first, only the serial is lost).
 */
export function isPrimaryIdMissingPage(e: unknown): boolean {
    return e instanceof TransportError && e.status === 200 && /Primary ID fehlt/.test(e.bodyStart ?? "");
}

/**
 * Updates an A record; always re-asserts `type: 'A'` (which also repairs an empty type) and
 * bumps the zone serial. KEEP_OWNER matters doubly here: with update_serial the panel also
 * calls dns_zone_update with the same client_id, which would re-own the whole zone.
 *
 * The panel takes the zone for the serial from the params, not from the stored row, so
 * `zone` always goes along (read from the record when the caller did not give it).
 */
export async function updateARecord(
    c: Caller,
    id: number,
    changes: Record<string, unknown>,
    clientId: number = KEEP_OWNER,
): Promise<number> {
    let zone = changes.zone;
    if (zone === undefined || zone === null || zone === "") {
        const row = await getDnsRecord(c, id);
        if (!row) throw new NotFoundError(`DNS record ${id} no longer exists in the panel`, "dns_a_update");
        zone = row.zone;
    }
    let n: number;
    try {
        n = num(await c.call("dns_a_update", clientId, id, toDb({ ...changes, zone, type: "A" }, DNS_RR_COLUMNS), true));
    } catch (e) {
        // A missing id faults with the whole merged row "invalid"; say what really happened.
        // Checked only after a failure, so a normal update is one call.
        if (e instanceof ValidationError && !(await getDnsRecord(c, id))) {
            throw new NotFoundError(`DNS record ${id} no longer exists in the panel`, "dns_a_update");
        }
        if (isPrimaryIdMissingPage(e)) {
            throw new NotFoundError(`zone ${zone} of DNS record ${id} no longer exists in the panel: the record was updated, but no zone serial could be moved`, "dns_a_update");
        }
        throw e;
    }
    // 0 rows: nothing changed, or (on the real panel, when every field is valid) no such id —
    // the UPDATE simply matched nothing. Only then is it worth a look.
    if (n === 0 && !(await getDnsRecord(c, id))) throw new NotFoundError(`DNS record ${id} no longer exists in the panel`, "dns_a_update");
    return n;
}

/**
 * A records of a zone with this exact stored name and address (the natural key), through the
 * generic get's exact-match filter. Rows with the empty type of the type-column bug count.
 */
export async function findARecords(c: Caller, zoneId: number, name: string, address: string): Promise<DnsRecordRow[]> {
    const rows = asRowList(await c.call("dns_a_get", { zone: zoneId, name, data: address }), "dns_a_get");
    return rows.map((r) => typed(r)!).filter((r) => r.zone === zoneId && isARecordType(r.type) && r.name === name && r.data === address);
}

/**
 * Deletes an A record and moves its zone's serial. Idempotent on the real panel too: there,
 * a record that is already gone makes dns_a_delete with update_serial answer the "Primary ID
 * fehlt" page instead of 0. On that page (and only then) the record is looked up: gone means
 * done; still there means its zone is gone (no serial to move), so it is deleted without.
 */
export async function deleteARecord(c: Caller, id: number): Promise<boolean> {
    try {
        return num(await c.call("dns_a_delete", id, true)) > 0;
    } catch (e) {
        if (!isPrimaryIdMissingPage(e)) throw e;
        if (!(await getDnsRecord(c, id))) return false;
        return deleteZoneRecord(c, id);
    }
}

/**
 * Deletes any dns_rr row of a zone that is being deleted (the UI's cascade). No serial bump:
 * the zone goes next. The fact sheet is silent on whether `dns_a_delete` checks the row's
 * type; on 3.2 it deletes by id, which is what this relies on.
 */
export async function deleteZoneRecord(c: Caller, id: number): Promise<boolean> {
    return num(await c.call("dns_a_delete", id, false)) > 0;
}
