import { Caller } from "./caller";
import { asOneRow, asRowList } from "./answerShape";
import { ColumnKinds, fromDb, num } from "./columns";
import { KEEP_OWNER } from "./ownership";
import { nextSerial } from "./zoneSerial";

/** Column kinds of `dns_rr` (every record type lives in it). */
export const DNS_RR_COLUMNS: ColumnKinds = {
    ints: ["id", "sys_userid", "sys_groupid", "server_id", "zone", "aux", "ttl", "serial"],
    flags: ["active"],
    flagCase: "upper",
};

export interface DnsRecordRow {
    id: number;
    sys_userid: number;
    sys_groupid: number;
    server_id: number;
    zone: number;
    name: string;
    type: string;
    data: string;
    aux: number;
    ttl: number;
    active: boolean;
    /** A TIMESTAMP the API fills with '' when omitted (strict sql_mode refuses that, §6.1). */
    stamp?: string;
    serial?: number;
}

export function typedRecord(row: Record<string, unknown> | undefined): DnsRecordRow | undefined {
    return row ? fromDb<DnsRecordRow>(row as never, DNS_RR_COLUMNS) : undefined;
}

/**
 * `stamp` is a TIMESTAMP column the API fills with '' when omitted; under MariaDB's strict
 * sql_mode that fails every dns_*_add ("Incorrect datetime value", §6.1). Sending a real
 * timestamp costs nothing on a normal panel and keeps strict-mode panels working.
 */
export function stampNow(now: Date = new Date()): string {
    return now.toISOString().slice(0, 19).replace("T", " ");
}

/** Reads one dns_rr row by id. Note `dns_a_get` returns a row of ANY type (42_). */
export async function getDnsRecord(c: Caller, id: number): Promise<DnsRecordRow | undefined> {
    return typedRecord(asOneRow(await c.call("dns_a_get", id), "dns_a_get"));
}

/** Every record of a zone, every type, including type-'' rows left by the type-column bug (uncached). */
export async function listZoneRecords(c: Caller, zoneId: number): Promise<DnsRecordRow[]> {
    return asRowList(await c.call("dns_rr_get_all_by_zone", zoneId), "dns_rr_get_all_by_zone").map((r) => typedRecord(r)!);
}

/** Moves a zone's serial on without touching its owner. */
export async function bumpZoneSerial(c: Caller, zoneId: number, now = new Date()): Promise<void> {
    const zone = asOneRow(await c.call("dns_zone_get", zoneId), "dns_zone_get");
    if (!zone) return;
    await c.call("dns_zone_update", KEEP_OWNER, zoneId, { serial: nextSerial(num(zone.serial), now) });
}
