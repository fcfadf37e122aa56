import * as api from "../api";
import { ISPConfigError } from "../soap/errors";
import { Declaration } from "./kit";
import { OpsContext } from "./ops";
import { addOrRecover } from "./recover";
import { absoluteName, nameAsDeclared, storedName } from "./recordName";
import { storedNameProblem } from "./dnsRecordRules";
import { ZoneFacts, zoneFacts } from "./zoneFacts";
import { claimRecord, heldByOther, releaseRecord } from "./recordClaims";

/*
 * What every DNS record resource does with the panel, whatever its type: DnsRecord (any of the
 * 18 types) and ARecord (type fixed to A) are two declarations over these hooks, so the type
 * column, serial, owner and read rules are one code path.
 */

/** The zone's origin for names; a zone deleted behind our back still leaves its records readable. */
export async function originOf(c: api.Caller, zoneId: number): Promise<string> {
    return (await zoneFacts(c, zoneId, 0).catch(() => undefined))?.origin ?? "";
}

/** How a declaration maps its inputs to the record. */
export interface RecordShape {
    /** The record type of these inputs (ARecord: always A). */
    typeOf(inputs: Record<string, any>): api.DnsRecordType;
    /** The type-specific fields of these inputs (address, target, priority, …). */
    typeFields(inputs: Record<string, any>): api.RecordFields;
    /** Refuse name clashes the UI refuses (one listing per zone per process). ARecord keeps its one-call create. */
    clashCheck: boolean;
    /** The resource has a `data` output (DnsRecord; ARecord's outputs stay as they were). */
    dataOutput: boolean;
}

/** The stored name of a record, as the UI stores it (TLSA `_443._tcp` at the apex gets the origin: its form needs a host part). */
export function storedRecordName(type: api.DnsRecordType, name: string, origin: string): string {
    if (type === "TLSA" && /^_\d+\._(tcp|udp)$/.test(name)) return `${name}.${origin}`;
    return storedName(name, origin);
}

/** The columns of the given (declared or resolved) inputs; type-specific data only when `withData`. */
function columnsOf(shape: RecordShape, i: Record<string, any>, zone: ZoneFacts, withData: boolean): Record<string, any> & { zone: number } {
    const type = shape.typeOf(i);
    const v: Record<string, any> = { server_id: zone.serverId, zone: zone.id };
    if (i.name !== undefined) v.name = storedRecordName(type, i.name, zone.origin);
    if (i.ttl !== undefined) v.ttl = i.ttl;
    if (i.active !== undefined) v.active = i.active;
    if (withData) {
        const enc = api.encodeRecord(type, shape.typeFields(i), zone.origin);
        v.data = enc.data;
        if (enc.aux !== undefined) v.aux = enc.aux;
    }
    return v as Record<string, any> & { zone: number };
}

async function refuseClash(c: api.Caller, type: api.DnsRecordType, storedNm: string, zone: ZoneFacts, selfId?: number): Promise<void> {
    const abs = api.absoluteStoredName(storedNm, zone.origin);
    const rows = await api.zoneListings.knownRows(c, zone.id);
    const other = api.findNameClash(type, abs, rows, zone.origin, selfId);
    if (other) throw new ISPConfigError(api.clashMessage(type, abs, other));
}

export function recordHooks(shape: RecordShape): Pick<Declaration<api.DnsRecordRow>, "get" | "create" | "update" | "delete" | "seen"> {
    return {
        /** Through the zone's shared listing (one call per zone per refresh), by id if it left the zone. */
        async get(c, id, props) {
            const zoneId = Number(props.zoneId);
            let row: api.DnsRecordRow | undefined;
            if (Number.isInteger(zoneId) && zoneId > 0) row = await api.readRecordViaZone(c, zoneId, id);
            row ??= await api.getRecord(c, typeOr(props.type, shape.typeOf(props)), id);
            if (row) claimRecord(c, row.id, "DnsRecord");
            return row;
        },

        seen(ctx, id) {
            claimRecord(ctx.caller(), id, "DnsRecord");
        },

        async create(ctx: OpsContext, inputs, declared) {
            const c = ctx.caller();
            const type = shape.typeOf(inputs);
            const zone = await zoneFacts(c, Number(inputs.zoneId), ctx.defaults().clientId);
            const values = columnsOf(shape, inputs, zone, true);
            const problem = storedNameProblem(type, values.name, zone.origin);
            if (problem) throw new ISPConfigError(`cannot add the ${type} record ${JSON.stringify(inputs.name)}: ${problem}. Nothing was written.`);
            const find = async () => (await api.findRecords(c, type, zone.id, values.name, values.data))[0];
            const started = Date.now() / 1000;
            const outs = () => ({ type, serverId: zone.serverId, fqdn: absoluteName(inputs.name, zone.origin), ...(shape.dataOutput ? { data: values.data } : {}) });
            return api.withNameLock(`${zone.id}|${api.absoluteStoredName(values.name, zone.origin)}`, async () => {
                if (inputs.adopt) {
                    const existing = await find();
                    if (existing) {
                        // The natural key matched; write only what the program declares besides it.
                        const own = Object.keys(shape.typeFields(declared)).length > 0;
                        await api.updateRecord(c, type, existing.id, columnsOf(shape, declared, zone, own));
                        const row = await api.getRecord(c, type, existing.id);
                        if (!row) throw new ISPConfigError(`DNS record ${existing.id} vanished while it was being adopted`);
                        claimRecord(c, row.id, "DnsRecord");
                        return { id: row.id, row };
                    }
                }
                if (shape.clashCheck) await refuseClash(c, type, values.name, zone);
                // The record gets the zone's owner, as when the UI adds it.
                const { id, recovered } = await addOrRecover(
                    () => api.addRecord(c, type, zone.clientId, values, new Date(), zone.ownedAsClient),
                    async () => (await find())?.id,
                );
                // A recovered add may have stored the record without moving the serial: move it,
                // or the secondaries never see the record.
                if (recovered) await api.bumpZoneSerial(c, zone.id);
                // Optionally, the server job's verdict: a zone BIND rejected is an error here, and
                // the record that came with it is taken out again (Pulumi will not record it).
                await watchApplied(ctx, id, zone.id, started, () => api.deleteRecord(c, type, id, true, zone.id));
                claimRecord(c, id, "DnsRecord");
                // The panel stores the record exactly as sent (the UI's format), so no read-back is needed.
                return { id, outs: outs() };
            });
        },

        async update(ctx, id, news, olds, changed) {
            const c = ctx.caller();
            const type = shape.typeOf({ ...olds, ...news });
            const zone = await zoneFacts(c, Number(news.zoneId ?? olds.zoneId), ctx.defaults().clientId);
            const own = Object.keys(shape.typeFields(news));
            const dataChanged = changed.some((k) => own.includes(k));
            let fields = { ...shape.typeFields(olds), ...shape.typeFields(news) };
            if (dataChanged && api.RECORD_CODECS[type].composite && own.length < api.RECORD_CODECS[type].fields.length) {
                // Data composed of fields some of which are not declared: those keep the panel's value.
                const row = await api.getRecord(c, type, id);
                if (row) fields = { ...api.decodeRecord(type, row.data, row.aux), ...shape.typeFields(news) };
            }
            const values = columnsOf(shape, { ...news, type }, zone, false);
            if (dataChanged) Object.assign(values, api.encodeRecord(type, fields, zone.origin));
            if (changed.includes("name")) {
                const problem = storedNameProblem(type, values.name, zone.origin);
                if (problem) throw new ISPConfigError(`cannot rename the ${type} record to ${JSON.stringify(news.name)}: ${problem}. Nothing was written.`);
                if (shape.clashCheck) await refuseClash(c, type, values.name, zone, id);
            }
            // KEEP_OWNER: a client id here would re-own the record and, with update_serial, the zone.
            const started = Date.now() / 1000;
            await api.updateRecord(c, type, id, values, api.KEEP_OWNER);
            await watchApplied(ctx, id, zone.id, started);
            const name = news.name ?? olds.name;
            const outs: Record<string, unknown> = { type, fqdn: absoluteName(name, zone.origin) };
            if (dataChanged && shape.dataOutput) outs.data = values.data;
            return { outs };
        },

        async delete(ctx, id, props) {
            const c = ctx.caller();
            // Taken over by a DnsZoneRecords in this `up` (the record moved into a set): the
            // record stays; only this resource goes.
            if (heldByOther(c, id, "DnsRecord")) return;
            // 0 (already gone) is success: deleting is idempotent.
            const zoneId = Number(props.zoneId);
            await api.deleteRecord(c, typeOr(props.type, shape.typeOf(props)), id, true, Number.isInteger(zoneId) && zoneId > 0 ? zoneId : undefined);
            releaseRecord(c, id);
        },
    };
}

/** With `ispconfig:dnsApplyWaitSeconds` > 0: fail (after `undo`) when the panel's server job reports an error for this write. */
async function watchApplied(ctx: OpsContext, id: number, zoneId: number, started: number, undo?: () => Promise<unknown>): Promise<void> {
    const wait = ctx.defaults().dnsApplyWaitSeconds ?? 0;
    if (wait <= 0) return;
    try {
        await api.watchDnsApplied(ctx.caller(), id, zoneId, wait, { startedUnix: started });
    } catch (e) {
        if (undo && e instanceof api.DnsNotServedError) await undo().catch(() => undefined);
        throw e;
    }
}

function typeOr(stored: unknown, fallback: api.DnsRecordType): api.DnsRecordType {
    return api.isDnsRecordType(stored) ? stored : fallback;
}

/** The name as declared, read back from the stored name (`@`, `*`, relative or absolute). */
export async function readName(r: api.DnsRecordRow, props: Record<string, any>, c: api.Caller): Promise<string> {
    const origin = await originOf(c, r.zone);
    const declared = props.name;
    // A TLSA at the apex was given as `_443._tcp` and stored with the origin.
    if (typeof declared === "string" && absoluteName(declared, origin) === absoluteName(r.name.toLowerCase(), origin)) return declared;
    return nameAsDeclared(r.name, declared, origin);
}
