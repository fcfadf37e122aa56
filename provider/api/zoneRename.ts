import { Caller } from "./caller";
import { toDb } from "./columns";
import { DNS_RR_COLUMNS, listZoneRecords } from "./dnsRr";
import { KEEP_OWNER } from "./ownership";
import { dotted } from "./zoneOrigin";

/*
 * Zone rename. The UI lets an admin change a zone's origin in place, but leaves its records
 * alone; a record stored with an absolute name in the old origin (the UI stores `@` as the
 * origin itself, `*` as `*.origin.`) would then lie outside the zone and break it. Such names
 * are moved to the new origin, through the update function of each record's own type
 * (`dns_a_update` validates its data as an IPv4 address). Relative names need nothing.
 */
export async function renameZoneRecords(c: Caller, zoneId: number, oldOrigin: string, newOrigin: string): Promise<number> {
    const from = dotted(oldOrigin);
    const to = dotted(newOrigin);
    if (from === to) return 0;
    let moved = 0;
    for (const rr of await listZoneRecords(c, zoneId)) {
        const name = rr.name.toLowerCase();
        let next: string | undefined;
        if (name === from) next = to;
        else if (name.endsWith(`.${from}`)) next = name.slice(0, -from.length) + to;
        if (next === undefined) continue;
        const type = rr.type === "" ? "A" : rr.type;
        await c.call(`dns_${type.toLowerCase()}_update`, KEEP_OWNER, rr.id, toDb({ name: next, type }, DNS_RR_COLUMNS), false);
        moved++;
    }
    return moved;
}
