import * as pulumi from "@pulumi/pulumi";
import * as api from "../api";
import { ISPConfigError } from "../soap/errors";
import { Declaration, adoptField, columns, makeProvider, ops, resourceArgs } from "./kit";
import { addOrRecover } from "./recover";
import { absoluteName, nameAsDeclared, recordNameRule, storedName } from "./recordName";
import { bool, int, ipv4, secondsRule } from "./validate";
import { ZoneFacts, zoneFacts } from "./zoneFacts";

/** Inputs of an {@link ARecord}. */
export interface ARecordArgs {
    /** Id of the zone the record lives in, usually `zone.id` of a {@link DnsZone}. Changing it replaces the record. */
    zoneId: pulumi.Input<string | number>;
    /**
     * The record's name: relative (`www`), `@` for the zone itself, `*` for a wildcard, or
     * absolute with a trailing dot (`www.example.com.`). Stored the way the panel's UI stores it
     * (`@` as the zone's origin). Lower-cased.
     */
    name: pulumi.Input<string>;
    /** IPv4 address, e.g. `192.0.2.10`. */
    address: pulumi.Input<string>;
    /** Time to live in seconds, ≥ 60. Default 3600. */
    ttl?: pulumi.Input<number>;
    /** Whether the record is served. Default true. */
    active?: pulumi.Input<boolean>;
    /** Take over an existing record with the same zone, name and address instead of adding a second one (the import path). Default false. */
    adopt?: pulumi.Input<boolean>;
}

/** Outputs of an {@link ARecord}. */
export interface ARecordOutputs {
    /** Panel id of the record (same as `id`, as a number). */
    readonly recordId: pulumi.Output<number>;
    /** Panel id of the zone the record is in. */
    readonly zoneId: pulumi.Output<number>;
    /** The name as declared (`@`, `www`, …). */
    readonly name: pulumi.Output<string>;
    /** The absolute name, e.g. `www.example.com.`. */
    readonly fqdn: pulumi.Output<string>;
    /** The IPv4 address the record points to, as stored. */
    readonly address: pulumi.Output<string>;
    /** TTL in seconds, as stored. */
    readonly ttl: pulumi.Output<number>;
    /** Whether the record is published. */
    readonly active: pulumi.Output<boolean>;
    /** The stored record type: always `A` after an `up` (an empty type, left by older tools, is repaired). */
    readonly type: pulumi.Output<string>;
    /** The DNS server of the record (its zone's). */
    readonly serverId: pulumi.Output<number>;
}

/** The zone's origin for names; a zone deleted behind our back still leaves its records readable. */
async function originOf(c: api.Caller, zoneId: number): Promise<string> {
    return (await zoneFacts(c, zoneId, 0).catch(() => undefined))?.origin ?? "";
}

const decl: Declaration<api.DnsRecordRow> = {
    kind: "aRecord",
    type: "ARecord",
    idOutput: "recordId",
    deleteBeforeReplace: false, // the panel allows the same name and address in two zones
    fields: {
        zoneId: { rule: int(1, 2147483647), required: true, replaces: true, read: (r) => r.zone },
        name: { rule: recordNameRule, required: true, read: async (r, props, c) => nameAsDeclared(r.name, props.name, await originOf(c, r.zone)) },
        address: { rule: ipv4(), required: true, column: "data" },
        ttl: { rule: secondsRule, default: 3600, column: "ttl" },
        active: { rule: bool(), default: true, column: "active" },
        // Not an input: what every record of this resource must be (checkFixed puts it in the
        // inputs). Read reports the stored type, so a record hit by the type-column bug (type '')
        // shows up as a change, and the update repairs it.
        type: { rule: () => "A", column: "type" },
        adopt: adoptField,
    },
    fixed: { type: "A" },
    computed: {
        fqdn: async (r, props, c) => absoluteName(nameAsDeclared(r.name, props.name, await originOf(c, r.zone)), await originOf(c, r.zone)),
        serverId: (r) => r.server_id,
    },

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

export const aRecordOps = ops(decl);
export const aRecordDeclaration = decl;

/** The module-level provider object for ARecord (serialized into state; holds no credential). */
export const aRecordProvider = makeProvider("aRecord");

/**
 * A DNS A record in an ISPConfig zone. Replaces on: `zoneId`. Always stored with type `A`
 * (repairing the panel's empty-type bug), owned by the zone's owner, and every change moves
 * the zone serial.
 */
export class ARecord extends pulumi.dynamic.Resource {
    constructor(name: string, args: ARecordArgs, opts?: pulumi.CustomResourceOptions) {
        super(...resourceArgs(decl, aRecordProvider, name, args, opts));
    }
}
export interface ARecord extends ARecordOutputs {}
