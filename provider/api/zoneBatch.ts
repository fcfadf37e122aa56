import { Caller } from "./caller";
import { DnsRecordRow, bumpZoneSerial } from "./dnsRr";
import { DnsRecordType, isDnsRecordType } from "./dnsTypeColumn";
import { addRecord, deleteRecord, findRecords, updateRecord } from "./dnsRecord";
import { KEEP_OWNER } from "./ownership";
import { DnsNotServedError } from "./dnsServerVerdict";
import { ISPConfigError, TransportError } from "../soap/errors";

/*
 * Many records of one zone in one go (DnsZoneRecords).
 *
 * Each `dns_<t>_add/update/delete` with update_serial re-reads and re-writes the zone's SOA inside
 * the panel and queues a datalog entry for it, so the server job rewrites the zone file once per
 * record: 1000 records would move the serial 1000 times and cost the panel 2000 extra queries. A
 * batch writes every record with update_serial off and moves the serial once, after the last
 * write — after a failure too, so whatever is left written is announced to the secondaries.
 *
 * Order: deletes, then updates, then adds, so a record that changes type or moves to a name that
 * another one leaves never shares its name with it (a CNAME beside other data breaks the zone).
 *
 * A failure stops the batch (writes not yet sent are not sent), and every write already made is
 * undone — adds deleted, updates written back, deletes added again as they were — so a failed
 * `up` leaves the zone as it found it, and Pulumi's state (which keeps the old outputs after a
 * failed update, and nothing after a failed create) still describes it. Only a failure of the
 * undo itself is reported with the records left to look at.
 */

/** The columns a record is written with (name as stored, data/aux as the UI stores them). */
export interface RecordColumns {
    name: string;
    data: string;
    aux?: number;
    ttl?: number;
    active?: boolean;
}

export type BatchOp =
    | { op: "add"; key: string; type: DnsRecordType; columns: RecordColumns }
    | { op: "update"; key: string; type: DnsRecordType; before: DnsRecordRow; changes: Partial<RecordColumns> }
    | { op: "delete"; key: string; type: DnsRecordType; before: DnsRecordRow };

export interface BatchZone {
    id: number;
    serverId: number;
    /** The zone's owner: added records get it, as when the UI adds them. */
    clientId: number;
}

export interface BatchResult {
    /** Ids of the added records, by key. */
    added: Map<string, number>;
    /** The rows as now stored, by id (added and updated ones; deleted ones are absent). */
    written: Map<number, DnsRecordRow>;
    /** Calls made to the panel for the records (the serial bump not counted). */
    writes: number;
}

/** The record a failed batch could not put back: its key and what to do about it. */
export class BatchError extends ISPConfigError {}

const typeOfRow = (r: DnsRecordRow, fallback: DnsRecordType): DnsRecordType => (isDnsRecordType(r.type) ? r.type : fallback);

/** Runs `fn` over `items`, at most `limit` at once; stops starting new ones once `stopped()`. */
async function pool<T>(items: T[], limit: number, stopped: () => boolean, fn: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
        while (next < items.length && !stopped()) await fn(items[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function rowOf(zone: BatchZone, id: number, type: DnsRecordType, cols: RecordColumns, base?: DnsRecordRow): DnsRecordRow {
    return {
        ...(base ?? { sys_userid: 0, sys_groupid: 0, aux: 0, ttl: 3600, active: true }),
        id,
        zone: zone.id,
        server_id: zone.serverId,
        type,
        ...cols,
    } as DnsRecordRow;
}

/**
 * Applies `ops` to the zone (see above). `concurrency`: how many writes may be in flight (the
 * session caps them too). Throws after undoing what it did, with the first failure's message.
 */
export async function writeZoneBatch(
    c: Caller,
    zone: BatchZone,
    ops: BatchOp[],
    opts: { concurrency?: number; verify?: (recordId: number, startedUnix: number) => Promise<void> } = {},
): Promise<BatchResult> {
    const concurrency = opts.concurrency ?? 8;
    const result: BatchResult = { added: new Map(), written: new Map(), writes: 0 };
    if (ops.length === 0) return result;
    const undo: (() => Promise<unknown>)[] = [];
    let failure: { op: BatchOp; error: unknown } | undefined;
    const stopped = () => failure !== undefined;
    const now = new Date();
    let firstId: number | undefined;

    const run = async (o: BatchOp) => {
        try {
            if (o.op === "delete") {
                const type = typeOfRow(o.before, o.type);
                result.writes++;
                const gone = await deleteRecord(c, type, o.before.id, false, zone.id);
                firstId ??= o.before.id;
                result.written.delete(o.before.id);
                const b = o.before;
                if (gone) undo.push(() => addRecord(c, type, zone.clientId, { server_id: zone.serverId, zone: zone.id, name: b.name, data: b.data, aux: b.aux, ttl: b.ttl, active: b.active }, now, false, { serial: false }));
            } else if (o.op === "update") {
                result.writes++;
                await updateRecord(c, o.type, o.before.id, { server_id: zone.serverId, zone: zone.id, ...o.changes }, KEEP_OWNER, { serial: false });
                firstId ??= o.before.id;
                const b = o.before;
                result.written.set(b.id, rowOf(zone, b.id, o.type, { name: b.name, data: b.data, ...o.changes } as RecordColumns, b));
                undo.push(() =>
                    updateRecord(c, typeOfRow(b, o.type), b.id, { server_id: zone.serverId, zone: zone.id, name: b.name, data: b.data, aux: b.aux, ttl: b.ttl, active: b.active }, KEEP_OWNER, { serial: false }),
                );
            } else {
                const values = { server_id: zone.serverId, zone: zone.id, ...o.columns };
                result.writes++;
                let id: number;
                try {
                    id = await addRecord(c, o.type, zone.clientId, values, now, false, { serial: false });
                } catch (e) {
                    // A lost answer may have stored it: take it by its natural key, or it would stay behind unknown.
                    if (!(e instanceof TransportError && e.maybeApplied)) throw e;
                    const found = (await findRecords(c, o.type, zone.id, o.columns.name, o.columns.data))[0];
                    if (!found) throw e;
                    id = found.id;
                }
                result.added.set(o.key, id);
                firstId ??= id;
                result.written.set(id, rowOf(zone, id, o.type, o.columns));
                undo.push(() => deleteRecord(c, o.type, id, false, zone.id));
            }
        } catch (error) {
            failure ??= { op: o, error };
        }
    };

    for (const phase of ["delete", "update", "add"] as const) {
        await pool(
            ops.filter((o) => o.op === phase),
            concurrency,
            stopped,
            run,
        );
        if (failure) break;
    }

    if (!failure) {
        // One serial move for everything written: announced once.
        if (result.writes > 0) await bumpZoneSerial(c, zone.id, now);
        // The server job's verdict on the zone (ispconfig:dnsApplyWaitSeconds): a zone BIND
        // rejects is a failure like any other, and what this batch wrote is taken out again.
        if (opts.verify && firstId !== undefined) {
            try {
                await opts.verify(firstId, now.getTime() / 1000);
            } catch (error) {
                failure = { op: ops[0], error };
            }
        }
        if (!failure) return result;
    }

    // All at once: each undoes a different record.
    const results = await Promise.allSettled(undo.map((u) => u()));
    const undoProblems = results.flatMap((r) => (r.status === "rejected" ? [String((r.reason as Error)?.message ?? r.reason)] : []));
    // The undo is announced too (or, after a failed write, what is left of the batch).
    if (result.writes > 0) await bumpZoneSerial(c, zone.id, new Date()).catch(() => undefined);
    {
        const f = failure!;
        const what = f.error instanceof DnsNotServedError ? "putting the zone live" : `${f.op.op === "add" ? "adding" : f.op.op === "update" ? "updating" : "deleting"} the record ${JSON.stringify(f.op.key)}`;
        const msg = (f.error as Error)?.message ?? String(f.error);
        if (undoProblems.length === 0) {
            throw new BatchError(`${what} failed: ${msg}. The ${undo.length} change(s) already made in this zone were undone: the zone is as it was before.`);
        }
        throw new BatchError(
            `${what} failed: ${msg}. Undoing the ${undo.length} change(s) already made failed for ${undoProblems.length}: ${undoProblems.slice(0, 3).join("; ")}. ` +
                "Run `pulumi refresh` and compare the zone in the panel before the next `up`.",
        );
    }
}
