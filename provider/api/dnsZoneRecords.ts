import { Caller } from "./caller";
import { fromDb } from "./columns";
import { DNS_RR_COLUMNS, DnsRecordRow, listZoneRecords } from "./dnsRr";
import { SoapMap } from "../soap/value";

/*
 * One `dns_rr_get_all_by_zone` per zone per refresh, instead of one get per record.
 *
 * A refresh reads every record (the engine runs its read steps in parallel, but they reach the
 * provider in bursts); the reads of one zone share one listing: a read joins the listing in
 * flight for its zone, or uses one that finished less than ISPCONFIG_READ_SHARE_MS ago (default
 * 1000 ms; 0 = only reads that overlap share). The provider process lives for one command, in
 * which each resource is read at most once, so the window only merges the bursts of one refresh
 * (the example's 9 records: 2 listings with 0, 1 with the default, through the real CLI). A write made
 * through this process to a zone makes its listing unusable for reads (the next read lists the
 * zone again), so a read after an update never sees the old row. The listing also stays known,
 * patched with our own writes, for the CNAME clash check of creates in the same process
 * (`knownRows`), which would otherwise list the zone again for every record added.
 */

interface Entry {
    rows: Promise<DnsRecordRow[]>;
    /** When the listing arrived (undefined while in flight). */
    at?: number;
    /** No write through this process since the listing was taken. */
    fresh: boolean;
    /** The listing with our own writes since applied (for the clash check), once it arrived. */
    known?: Map<number, DnsRecordRow>;
    /** Writes made while the listing was in flight, applied when it arrives. */
    pending: ((m: Map<number, DnsRecordRow>) => void)[];
}

function shareMs(): number {
    const v = Number(process.env.ISPCONFIG_READ_SHARE_MS);
    return process.env.ISPCONFIG_READ_SHARE_MS !== undefined && Number.isFinite(v) && v >= 0 ? v : 1000;
}

class ZoneListings {
    private byCaller = new WeakMap<Caller, Map<number, Entry>>();

    private zones(c: Caller): Map<number, Entry> {
        let m = this.byCaller.get(c);
        if (!m) this.byCaller.set(c, (m = new Map()));
        return m;
    }

    private fetch(c: Caller, zoneId: number): Entry {
        const entry: Entry = { rows: listZoneRecords(c, zoneId), fresh: true, pending: [] };
        entry.rows.then(
            (rows) => {
                entry.at = Date.now();
                entry.known = new Map(rows.map((r) => [r.id, r]));
                for (const p of entry.pending) p(entry.known);
                entry.pending = [];
            },
            () => this.zones(c).get(zoneId) === entry && this.zones(c).delete(zoneId),
        );
        this.zones(c).set(zoneId, entry);
        return entry;
    }

    /** The zone's rows for a read: shared with reads in flight (or just done, see shareMs), never older than our last write. */
    async forRead(c: Caller, zoneId: number): Promise<DnsRecordRow[]> {
        let e = this.zones(c).get(zoneId);
        const usable = e && e.fresh && (e.at === undefined || (shareMs() > 0 && Date.now() - e.at <= shareMs()));
        if (!usable) e = this.fetch(c, zoneId);
        return e!.rows;
    }

    /** The zone's rows as far as this process knows them (one listing per process, kept up to date with our writes). */
    async knownRows(c: Caller, zoneId: number): Promise<DnsRecordRow[]> {
        const e = this.zones(c).get(zoneId) ?? this.fetch(c, zoneId);
        await e.rows;
        return [...e.known!.values()];
    }

    private patch(c: Caller, zoneId: number, p: (m: Map<number, DnsRecordRow>) => void): void {
        const e = this.zones(c).get(zoneId);
        if (!e) return;
        e.fresh = false;
        if (e.known) p(e.known);
        else e.pending.push(p);
    }

    added(c: Caller, zoneId: number, id: number, params: SoapMap): void {
        const row = fromDb({ ...params, id, zone: zoneId } as SoapMap, DNS_RR_COLUMNS) as DnsRecordRow;
        this.patch(c, zoneId, (m) => m.set(id, row));
    }

    updated(c: Caller, zoneId: number, id: number, params: SoapMap): void {
        const changes = fromDb(params, DNS_RR_COLUMNS);
        this.patch(c, zoneId, (m) => {
            const r = m.get(id);
            if (r) m.set(id, { ...r, ...changes } as DnsRecordRow);
        });
    }

    removed(c: Caller, zoneId: number | undefined, id: number): void {
        const zones = zoneId !== undefined ? [zoneId] : [...this.zones(c).keys()];
        for (const z of zones) this.patch(c, z, (m) => m.delete(id));
    }

    /** A write whose outcome is unknown: forget the zone entirely. */
    touched(c: Caller, zoneId: number): void {
        this.zones(c).delete(zoneId);
    }

    /** Forget everything known about a zone (it was renamed, re-owned or deleted). */
    forget(c: Caller, zoneId?: number): void {
        if (zoneId === undefined) this.byCaller.delete(c);
        else this.zones(c).delete(zoneId);
    }
}

export const zoneListings = new ZoneListings();

/** One record by id through its zone's shared listing; undefined when it is not in that zone. */
export async function readRecordViaZone(c: Caller, zoneId: number, id: number): Promise<DnsRecordRow | undefined> {
    return (await zoneListings.forRead(c, zoneId)).find((r) => r.id === id);
}
