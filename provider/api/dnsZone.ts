import { Caller } from "./caller";
import { asOneRow, asRowList } from "./answerShape";
import { ColumnKinds, Write, fromDb, num, toDb } from "./columns";
import { KEEP_OWNER } from "./ownership";
import { dotted, undotted } from "./zoneOrigin";
import { nextSerial } from "./zoneSerial";
import { NotFoundError } from "../soap/errors";

/** Column kinds of `dns_soa` (DNS checkboxes are Y/N). */
export const DNS_ZONE_COLUMNS: ColumnKinds = {
    ints: ["id", "sys_userid", "sys_groupid", "server_id", "serial", "refresh", "retry", "expire", "minimum", "ttl", "dnssec_last_signed"],
    flags: ["active", "dnssec_initialized", "dnssec_wanted"],
    flagCase: "upper",
};

export interface DnsZoneRow {
    id: number;
    sys_userid: number;
    sys_groupid: number;
    server_id: number;
    origin: string;
    ns: string;
    mbox: string;
    serial: number;
    refresh: number;
    retry: number;
    expire: number;
    minimum: number;
    ttl: number;
    active: boolean;
    xfer: string;
    also_notify: string;
}

function typed(row: Record<string, unknown> | undefined): DnsZoneRow | undefined {
    return row ? (fromDb<DnsZoneRow>(row as never, DNS_ZONE_COLUMNS)) : undefined;
}

export async function getDnsZone(c: Caller, id: number): Promise<DnsZoneRow | undefined> {
    return typed(asOneRow(await c.call("dns_zone_get", id), "dns_zone_get"));
}

/**
 * Finds a zone by its exact name, whether it was stored with or without the trailing dot.
 * Never `dns_zone_get_id` alone: that is a prefix LIKE match (`example.co` finds
 * `example.com.`) and it rejects a dotted name outright (§6.2). One LIKE filter on the
 * generic get fetches both spellings (and prefix-similar zones, which are then dropped by
 * the exact comparison) in a single call.
 */
export async function findDnsZoneByOrigin(c: Caller, origin: string): Promise<DnsZoneRow | undefined> {
    const rows = asRowList(await c.call("dns_zone_get", { origin: `${undotted(origin)}%` }), "dns_zone_get");
    const exact = rows.filter((r) => dotted(String(r.origin)) === dotted(origin));
    // Prefer the UI's dotted spelling if, oddly, both exist.
    exact.sort((a, b) => (String(b.origin).endsWith(".") ? 1 : 0) - (String(a.origin).endsWith(".") ? 1 : 0));
    return typed(exact[0]);
}

/**
 * `dns_zone_get_id`, made safe: strips the dot it rejects, then confirms the zone it found has
 * exactly this origin (it is a prefix match). Undefined when there is no such zone.
 */
export async function dnsZoneIdByOrigin(c: Caller, origin: string): Promise<number | undefined> {
    let id: number;
    try {
        id = num(await c.call("dns_zone_get_id", undotted(origin)));
    } catch (e) {
        if (e instanceof NotFoundError) return undefined;
        throw e;
    }
    const zone = await getDnsZone(c, id);
    if (zone && dotted(zone.origin) === dotted(origin)) return id;
    return (await findDnsZoneByOrigin(c, origin))?.id;
}

/** Adds a zone; origin/ns/mbox are stored dotted and the serial starts at today's YYYYMMDD01. */
export async function addDnsZone(c: Caller, clientId: number, values: Write<DnsZoneRow>, now = new Date()): Promise<number> {
    const params = { serial: nextSerial(0, now), ...values };
    return num(await c.call("dns_zone_add", clientId, toDb(params, DNS_ZONE_COLUMNS)));
}

/**
 * Updates a zone and moves its serial on, so secondaries pick the change up. Returns the
 * serial written. Reads first: the next serial depends on the current one.
 */
export async function updateDnsZone(
    c: Caller,
    id: number,
    changes: Write<DnsZoneRow>,
    clientId: number = KEEP_OWNER,
    now = new Date(),
): Promise<number> {
    const current = await getDnsZone(c, id);
    if (!current) throw new NotFoundError(`DNS zone ${id} no longer exists in the panel`, "dns_zone_update");
    const serial = nextSerial(current.serial, now);
    await c.call("dns_zone_update", clientId, id, toDb({ ...changes, serial }, DNS_ZONE_COLUMNS));
    return serial;
}

export async function deleteDnsZone(c: Caller, id: number): Promise<boolean> {
    return num(await c.call("dns_zone_delete", id)) > 0;
}
