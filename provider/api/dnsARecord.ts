import { Caller } from "./caller";
import { KEEP_OWNER } from "./ownership";
import { DnsRecordRow } from "./dnsRr";
import { addRecord, deleteRecord, findRecords, updateRecord } from "./dnsRecord";
import { isOfType } from "./dnsTypeColumn";

/*
 * The A record's functions, kept for ARecord and older callers: since DnsRecord they are the
 * generic record functions (dnsRecord.ts) with the type fixed to 'A' — the type-column and
 * serial rules are the same for all 18 types.
 */
export { DNS_RR_COLUMNS, stampNow, getDnsRecord, listZoneRecords, bumpZoneSerial } from "./dnsRr";
export type { DnsRecordRow } from "./dnsRr";

/** An A row, or one whose type was lost to the type-column bug (repaired by the next update). */
export function isARecordType(type: string): boolean {
    return isOfType("A", type);
}

/**
 * Adds an A record owned by `clientId` and moves the zone serial, without re-owning the zone
 * (see addRecord).
 */
export async function addARecord(
    c: Caller,
    clientId: number,
    values: Record<string, unknown>,
    now = new Date(),
    /** The zone already has exactly the owner client_id would give it (sys_userid and sys_groupid). */
    zoneOwnedAsClient = false,
): Promise<number> {
    return addRecord(c, "A", clientId, values as typeof values & { zone: number }, now, zoneOwnedAsClient);
}

/** Updates an A record: type re-asserted, serial moved, owner kept (see updateRecord). */
export async function updateARecord(c: Caller, id: number, changes: Record<string, unknown>, clientId: number = KEEP_OWNER): Promise<number> {
    return updateRecord(c, "A", id, changes as typeof changes & { zone: number }, clientId);
}

/** A records of a zone with this exact stored name and address (the natural key). */
export async function findARecords(c: Caller, zoneId: number, name: string, address: string): Promise<DnsRecordRow[]> {
    return findRecords(c, "A", zoneId, name, address);
}

export async function deleteARecord(c: Caller, id: number): Promise<boolean> {
    return deleteRecord(c, "A", id);
}

/**
 * Deletes any dns_rr row of a zone that is being deleted (the UI's cascade). No serial bump:
 * the zone goes next. `dns_a_delete` deletes by id whatever the row's type (3.2).
 */
export async function deleteZoneRecord(c: Caller, id: number): Promise<boolean> {
    return deleteRecord(c, "A", id, false);
}
