/*
 * Zone serials (§2, §6.4). `update_serial` is false by default on dns_*_add/update/delete,
 * and dns_zone_update never bumps the serial itself, so secondaries would never see a change.
 * Record calls pass update_serial=true (the panel then writes YYYYMMDDnn); for the zone's own
 * add and update we compute the next serial the same way the panel does.
 */

/** YYYYMMDD of `now` in UTC. */
function datePart(now: Date): number {
    return now.getUTCFullYear() * 10000 + (now.getUTCMonth() + 1) * 100 + now.getUTCDate();
}

/** The next YYYYMMDDnn serial after `current`: today's 01, or current + 1 if that is not larger. */
export function nextSerial(current: number, now: Date = new Date()): number {
    const today = datePart(now) * 100 + 1;
    return current >= today ? current + 1 : today;
}
