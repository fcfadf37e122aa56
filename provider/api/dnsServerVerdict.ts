import { Caller } from "./caller";
import { asRowList } from "./answerShape";
import { num } from "./columns";
import { ISPConfigError } from "../soap/errors";

/*
 * The API answers OK before anything reaches BIND: the panel's server job (cron, once a minute)
 * later re-renders the whole zone and runs named-checkzone; if BIND rejects it, the old zone file
 * stays and every later change to the zone silently never goes live. The only trace is the
 * `error` column of the sys_datalog entries that job processed (status stays 'ok';
 * `dt/bind/wire/01_sys_datalog_get__bind_rejected`), readable with `sys_datalog_get` (function
 * group "Server functions"). The API shows no "processed" mark (that is `server.updated`, which no
 * remote function returns), so an error can be seen but success cannot: the watch lasts the whole
 * wait unless an error appears. Operations run in parallel, so an `up` costs about one wait.
 *
 * Our entry is found by the record id in its serialized row (inserts are logged with dbidx
 * `id:` and no value on 3.2); the zone's dns_soa entries after it (the serial bump) count too.
 */

export interface DatalogEntry {
    datalog_id: number;
    dbtable: string;
    dbidx: string;
    action: string;
    error: string;
}

function entries(answer: unknown, method: string): DatalogEntry[] {
    return asRowList(answer as never, method).map((r) => ({
        datalog_id: num(r.datalog_id),
        dbtable: String(r.dbtable ?? ""),
        dbidx: String(r.dbidx ?? ""),
        action: String(r.action ?? ""),
        error: r.error === null || r.error === undefined ? "" : String(r.error),
    }));
}

/** The newest sys_datalog entry about dns_rr row `recordId` since `sinceUnix`. */
export async function findRecordDatalog(c: Caller, recordId: number, sinceUnix: number): Promise<DatalogEntry | undefined> {
    const answer = await c.call("sys_datalog_get_by_tstamp", Math.max(1, Math.floor(sinceUnix)));
    const idPattern = new RegExp(`s:2:"id";s:\\d+:"${recordId}";`);
    const raw = asRowList(answer as never, "sys_datalog_get_by_tstamp");
    const hit = raw.find((r) => String(r.dbtable) === "dns_rr" && (String(r.dbidx) === `id:${recordId}` || idPattern.test(String(r.data ?? ""))));
    return hit ? entries([hit] as never, "sys_datalog_get_by_tstamp")[0] : undefined;
}

/** An error the server job recorded for our entry, or for a later entry of our zone. */
export async function datalogError(c: Caller, ours: DatalogEntry, zoneId: number): Promise<string | undefined> {
    const newer = entries(await c.call("sys_datalog_get", ours.datalog_id, true), "sys_datalog_get");
    const relevant = newer.filter((e) => e.datalog_id === ours.datalog_id || (e.dbtable === "dns_soa" && e.dbidx === `id:${zoneId}`));
    return relevant.find((e) => e.error.trim() !== "")?.error.trim();
}

export class DnsNotServedError extends ISPConfigError {}

/**
 * Watches for `waitSeconds` (polling every `pollMs`) whether the panel's server job reported an
 * error for the write to record `recordId` of zone `zoneId`. Throws DnsNotServedError with the
 * server's text when it did.
 */
export async function watchDnsApplied(
    c: Caller,
    recordId: number,
    zoneId: number,
    waitSeconds: number,
    opts: { pollMs?: number; startedUnix?: number } = {},
): Promise<void> {
    if (waitSeconds <= 0) return;
    const deadline = Date.now() + waitSeconds * 1000;
    const pollMs = opts.pollMs ?? Number(process.env.ISPCONFIG_DNS_APPLY_POLL_MS ?? 2000);
    // Ten minutes of margin for a panel whose clock is behind ours.
    const ours = await findRecordDatalog(c, recordId, (opts.startedUnix ?? Date.now() / 1000) - 600);
    if (!ours) return; // nothing logged for it (a panel without a server side): nothing to watch
    for (;;) {
        const error = await datalogError(c, ours, zoneId);
        if (error) {
            throw new DnsNotServedError(
                `the panel stored DNS record ${recordId}, but its server job could not put zone ${zoneId} live (sys_datalog ${ours.datalog_id}): ${error}. ` +
                    "BIND keeps serving the zone's last good version, and no later change to it goes live until the row named above is fixed.",
            );
        }
        if (Date.now() + pollMs > deadline) return;
        await new Promise((r) => setTimeout(r, pollMs));
    }
}
