import * as api from "../api";
import { ISPConfigError } from "../soap/errors";
import { adoptField, ArgsOf, columns, Declaration, defineResource, Fields, OutputsOf, Rule } from "./kit";
import { addOrRecover } from "./recover";
import { absoluteName, nameAsDeclared, recordNameRule, storedName } from "./recordName";
import { bool, int, ipv4, secondsRule } from "./validate";
import { ZoneFacts, zoneFacts } from "./zoneFacts";

/** The zone's origin for names; a zone deleted behind our back still leaves its records readable. */
async function originOf(c: api.Caller, zoneId: number): Promise<string> {
    return (await zoneFacts(c, zoneId, 0).catch(() => undefined))?.origin ?? "";
}

/** A zone id as the program has it: `zone.id` is a string, a literal id a number. */
const zoneIdRule = int(1, 2147483647) as Rule<string | number>;

/** The inputs of an {@link ARecord}; each is also an output, as stored. */
const fields = {
    /** Id of the zone the record lives in, usually `zone.id` of a {@link DnsZone}. Changing it replaces the record. */
    zoneId: { rule: zoneIdRule, required: true, replaces: true, read: (r) => r.zone },
    /**
     * The record's name: relative (`www`), `@` for the zone itself, `*` for a wildcard, or
     * absolute with a trailing dot (`www.example.com.`). Stored the way the panel's UI stores it
     * (`@` as the zone's origin), read back as declared. Lower-cased.
     */
    name: { rule: recordNameRule, required: true, read: async (r, props, c) => nameAsDeclared(r.name, props.name, await originOf(c, r.zone)) },
    /** IPv4 address, e.g. `192.0.2.10`. */
    address: { rule: ipv4(), required: true, column: "data" },
    /** Time to live in seconds, ≥ 60. Default 3600. */
    ttl: { rule: secondsRule, default: 3600, column: "ttl" },
    /** Whether the record is served. Default true. */
    active: { rule: bool(), default: true, column: "active" },
    /**
     * The stored record type: always `A` after an `up`. Not an input: every record of this
     * resource must be an A record, and a record hit by the type-column bug (type '') reads back
     * as a change that the next `up` repairs.
     */
    type: { rule: (): string => "A", column: "type", internal: true },
    /** Take over an existing record with the same zone, name and address instead of adding a second one (the import path). Default false. */
    adopt: adoptField,
} satisfies Fields<api.DnsRecordRow>;

const computed = {
    /** The absolute name, e.g. `www.example.com.`. */
    fqdn: async (r: api.DnsRecordRow, props: Record<string, any>, c: api.Caller) => {
        const origin = await originOf(c, r.zone);
        return absoluteName(nameAsDeclared(r.name, props.name, origin), origin);
    },
    /** The DNS server of the record (its zone's). */
    serverId: (r: api.DnsRecordRow) => r.server_id,
};

/** Inputs of an {@link ARecord}. */
export type ARecordArgs = ArgsOf<typeof fields>;
/** Outputs of an {@link ARecord}: every input as stored, `fqdn`, `type`, `serverId`, and `recordId` (the panel id as a number). */
export type ARecordOutputs = OutputsOf<typeof fields, typeof computed, "recordId">;

const decl: Declaration<api.DnsRecordRow> = {
    kind: "aRecord",
    type: "ARecord",
    idOutput: "recordId",
    deleteBeforeReplace: false, // the panel allows the same name and address in two zones
    fields,
    fixed: { type: "A" },
    computed,

    get: (c, id) => api.getDnsRecord(c, id),

    async create(ctx, inputs, declared) {
        const c = ctx.caller();
        const zone = await zoneFacts(c, inputs.zoneId, ctx.defaults().clientId);
        const values = panelValues(inputs, zone);
        const find = async () => (await api.findARecords(c, zone.id, values.name, values.data))[0];
        if (inputs.adopt) {
            const existing = await find();
            if (existing) {
                // The natural key matched; write only what the program declares besides it.
                await api.updateARecord(c, existing.id, panelValues(declared, zone));
                const row = await api.getDnsRecord(c, existing.id);
                if (!row) throw new ISPConfigError(`DNS record ${existing.id} vanished while it was being adopted`);
                return { id: row.id, row };
            }
        }
        // The record gets the zone's owner, as when the UI adds it.
        const { id, recovered } = await addOrRecover(
            () => api.addARecord(c, zone.clientId, values, new Date(), zone.ownedAsClient),
            async () => (await find())?.id,
        );
        // A recovered add may have stored the record without moving the serial: move it, or
        // the secondaries never see the record.
        if (recovered) await api.bumpZoneSerial(c, zone.id);
        // The panel stores A records exactly as sent, so no read-back is needed.
        return { id, outs: { type: "A", serverId: zone.serverId, fqdn: absoluteName(inputs.name, zone.origin) } };
    },

    async update(ctx, id, news, olds) {
        const c = ctx.caller();
        const zone = await zoneFacts(c, news.zoneId ?? olds.zoneId, ctx.defaults().clientId);
        // KEEP_OWNER: a client id here would re-own the record and, with update_serial, the zone.
        await api.updateARecord(c, id, panelValues(news, zone), api.KEEP_OWNER);
        return { outs: { type: "A", fqdn: absoluteName(news.name ?? olds.name, zone.origin) } };
    },

    async delete(ctx, id) {
        // 0 (already gone) is success: deleting is idempotent.
        await api.deleteARecord(ctx.caller(), id);
    },
};

/**
 * The columns to write. `zone` and `server_id` always go along: with update_serial the panel
 * looks the zone up from the params, and answers with an error page when it is missing.
 */
function panelValues(i: Record<string, any>, zone: ZoneFacts) {
    const v: Record<string, any> = { ...columns(decl, i), server_id: zone.serverId, zone: zone.id, type: "A" };
    if (i.name !== undefined) v.name = storedName(i.name, zone.origin);
    return v as Record<string, any> & { name: string; data: string };
}

/** The operations, the provider object (serialized into state; holds no credential) and the class. */
export const aRecord = defineResource<ARecordArgs, ARecordOutputs>(decl);

/**
 * A DNS A record in an ISPConfig zone. Replaces on: `zoneId`. Always stored with type `A`
 * (repairing the panel's empty-type bug), owned by the zone's owner, and every change moves
 * the zone serial.
 */
export const ARecord = aRecord.Resource;
export type ARecord = InstanceType<typeof ARecord>;
