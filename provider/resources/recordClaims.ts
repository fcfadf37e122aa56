import { Caller } from "../api/caller";

/*
 * Which resource holds a record, as far as this provider process has seen (one process serves
 * every resource of one `pulumi up`): a record is never managed by both a DnsRecord (or
 * ARecord) and a DnsZoneRecords. This is what makes moving records between them safe within one
 * `up`: the engine deletes a resource removed from the program only after the program has run,
 * so when a DnsZoneRecords took the record over (adopt), the DnsRecord's delete finds it held by
 * the set and leaves it in the panel — and the other way round.
 * The program-side check (programClaims.ts) refuses the same record declared in both.
 */

export type Holder = "DnsRecord" | "DnsZoneRecords";

const byPanel = new WeakMap<Caller, Map<number, Holder>>();

function held(c: Caller): Map<number, Holder> {
    let m = byPanel.get(c);
    if (!m) byPanel.set(c, (m = new Map()));
    return m;
}

/** This resource kind manages record `id` now (created, adopted, read or diffed it in this process). */
export function claimRecord(c: Caller, id: number, holder: Holder): void {
    held(c).set(id, holder);
}

/** Who else holds `id`, if another kind than `self` does. */
export function heldByOther(c: Caller, id: number, self: Holder): Holder | undefined {
    const h = held(c).get(id);
    return h !== undefined && h !== self ? h : undefined;
}

/** The record was deleted (by its holder). */
export function releaseRecord(c: Caller, id: number): void {
    held(c).delete(id);
}
