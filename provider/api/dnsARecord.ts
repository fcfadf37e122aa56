import { Caller } from "./caller";
import { asOneRow, asRowList } from "./answerShape";
import { ColumnKinds, Typed, fromDb, num, toDb } from "./columns";
import { KEEP_OWNER } from "./ownership";
import { NotFoundError } from "../soap/errors";

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

export async function addARecord(c: Caller, clientId: number, values: Record<string, unknown>, now = new Date()): Promise<number> {
    const params = { stamp: stampNow(now), ...values, type: "A" };
    return num(await c.call("dns_a_add", clientId, toDb(params, DNS_RR_COLUMNS), true));
}

/**
 * Updates an A record; always re-asserts `type: 'A'` (which also repairs an empty type) and
 * bumps the zone serial. KEEP_OWNER matters doubly here: with update_serial the panel also
 * calls dns_zone_update with the same client_id, which would re-own the whole zone.
 */
export async function updateARecord(
    c: Caller,
    id: number,
    changes: Record<string, unknown>,
    clientId: number = KEEP_OWNER,
): Promise<number> {
    const current = await getDnsRecord(c, id);
    if (!current) throw new NotFoundError(`DNS record ${id} no longer exists in the panel`, "dns_a_update");
    return num(await c.call("dns_a_update", clientId, id, toDb({ ...changes, type: "A" }, DNS_RR_COLUMNS), true));
}

export async function deleteARecord(c: Caller, id: number): Promise<boolean> {
    return num(await c.call("dns_a_delete", id, true)) > 0;
}

/** Deletes any dns_rr row (used to empty a zone before deleting it, as the panel's UI does). */
export const deleteDnsRecord = deleteARecord;
