import * as pulumi from "@pulumi/pulumi";
import * as api from "../api";
import { ISPConfigError } from "../soap/errors";
import { diffFields, DiffSpec } from "./diff";
import { ResourceOps, panelId } from "./ops";
import { makeProvider } from "./providerShim";
import { addOrRecover } from "./recover";
import { absoluteName, nameAsDeclared, recordNameRule, storedName } from "./recordName";
import { InputChecker, bool, int, ipv4, secondsRule } from "./validate";
import { zoneFacts } from "./zoneFacts";

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

const DIFF: DiffSpec = {
    update: ["name", "address", "ttl", "active", "type"],
    replace: ["zoneId"],
    deleteBeforeReplace: false, // the panel allows the same name and address in two zones
};

function toPanel(i: Record<string, any>, zone: { id: number; origin: string; serverId: number }) {
    return {
        server_id: zone.serverId,
        zone: zone.id,
        name: storedName(i.name, zone.origin),
        data: i.address,
        ttl: i.ttl,
        active: i.active,
    };
}

function outputsOf(row: api.DnsRecordRow, inputs: Record<string, any>, origin: string) {
    const name = nameAsDeclared(row.name, inputs.name, origin);
    return {
        zoneId: row.zone,
        name,
        fqdn: absoluteName(name, origin),
        address: row.data,
        ttl: row.ttl,
        active: row.active,
        // '' here is the type-column bug; the next diff sees it differ from "A" and repairs it.
        type: row.type,
        adopt: inputs.adopt ?? false,
        recordId: row.id,
        serverId: row.server_id,
    };
}

export const aRecordOps: ResourceOps = {
    async check(_ctx, _olds, news) {
        const c = new InputChecker(news);
        c.field("zoneId", int(1, 2147483647), { required: true });
        c.field("name", recordNameRule, { required: true });
        c.field("address", ipv4(), { required: true });
        c.field("ttl", secondsRule, { default: 3600 });
        c.field("active", bool(), { default: true });
        c.field("adopt", bool(), { default: false });
        // Not an input: what every record of this resource must be. Read reports the stored
        // type, so a record hit by the type-column bug shows up as a change to repair.
        c.out.type = "A";
        return { inputs: c.out, failures: c.failures };
    },

    async diff(_ctx, _id, olds, news) {
        const r = diffFields(olds, news, DIFF);
        return { changes: r.changes, replaces: r.replaces, deleteBeforeReplace: r.deleteBeforeReplace };
    },

    async create(ctx, inputs) {
        const c = ctx.caller();
        const zone = await zoneFacts(c, inputs.zoneId, ctx.defaults().clientId);
        const values = toPanel(inputs, zone);
        const find = async () => (await api.findARecords(c, zone.id, values.name, values.data))[0];
        if (inputs.adopt) {
            const existing = await find();
            if (existing) {
                await api.updateARecord(c, existing.id, values);
                const row = await api.getDnsRecord(c, existing.id);
                if (!row) throw new ISPConfigError(`DNS record ${existing.id} vanished while it was being adopted`);
                return { id: String(row.id), outs: outputsOf(row, inputs, zone.origin) };
            }
        }
        // The record gets the zone's owner, as when the UI adds it.
        const { id } = await addOrRecover(
            () => api.addARecord(c, zone.clientId, values, new Date(), zone.ownedAsClient),
            async () => (await find())?.id,
        );
        // The panel stores A records exactly as sent, so no read-back is needed.
        const row: api.DnsRecordRow = {
            id, sys_userid: 0, sys_groupid: 0, server_id: zone.serverId, zone: zone.id,
            name: values.name, type: "A", data: values.data, ttl: values.ttl, active: values.active,
        };
        return { id: String(id), outs: outputsOf(row, inputs, zone.origin) };
    },

    async read(ctx, id, props) {
        const c = ctx.caller();
        const row = await api.getDnsRecord(c, panelId(id));
        if (!row) return { id: "", props: {} };
        // A zone deleted behind our back still leaves its records (no cascade): read them anyway.
        const zone = await zoneFacts(c, row.zone, ctx.defaults().clientId).catch(() => undefined);
        const origin = zone?.origin ?? "";
        return { id, props: outputsOf(row, props, origin) };
    },

    async update(ctx, id, _olds, news) {
        const c = ctx.caller();
        const zone = await zoneFacts(c, news.zoneId, ctx.defaults().clientId);
        const values = toPanel(news, zone);
        // KEEP_OWNER: a client id here would re-own the record and, with update_serial, the zone.
        await api.updateARecord(c, panelId(id), values, api.KEEP_OWNER);
        const row: api.DnsRecordRow = {
            id: panelId(id), sys_userid: 0, sys_groupid: 0, server_id: zone.serverId, zone: zone.id,
            name: values.name, type: "A", data: values.data, ttl: values.ttl, active: values.active,
        };
        return { outs: outputsOf(row, news, zone.origin) };
    },

    async delete(ctx, id) {
        // 0 (already gone) is success: deleting is idempotent.
        await api.deleteARecord(ctx.caller(), panelId(id));
    },
};

/**
 * A DNS A record in an ISPConfig zone. Replaces on: `zoneId`. Always stored with type `A`
 * (repairing the panel's empty-type bug), owned by the zone's owner, and every change moves
 * the zone serial.
 */
export class ARecord extends pulumi.dynamic.Resource {
    /** Panel id of the record (same as `id`, as a number). */
    public readonly recordId!: pulumi.Output<number>;
    /** Panel id of the zone the record is in. */
    public readonly zoneId!: pulumi.Output<number>;
    /** The name as declared (`@`, `www`, …). */
    public readonly name!: pulumi.Output<string>;
    /** The absolute name, e.g. `www.example.com.`. */
    public readonly fqdn!: pulumi.Output<string>;
    /** The IPv4 address the record points to, as stored. */
    public readonly address!: pulumi.Output<string>;
    /** TTL in seconds, as stored. */
    public readonly ttl!: pulumi.Output<number>;
    /** Whether the record is published. */
    public readonly active!: pulumi.Output<boolean>;
    /** The stored record type: always `A` after an `up`. */
    public readonly type!: pulumi.Output<string>;

    constructor(name: string, args: ARecordArgs, opts?: pulumi.CustomResourceOptions) {
        super(aRecordProvider, name, { recordId: undefined, fqdn: undefined, type: undefined, serverId: undefined, ...args }, opts, "ispconfig", "ARecord");
    }
}

/** The module-level provider object for ARecord (serialized into state; holds no credential). */
export const aRecordProvider = makeProvider("aRecord");
