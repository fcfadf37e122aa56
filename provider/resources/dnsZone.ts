import * as pulumi from "@pulumi/pulumi";
import * as api from "../api";
import { ISPConfigError, NotFoundError } from "../soap/errors";
import { diffFields, DiffSpec } from "./diff";
import { OpsContext, ResourceOps, panelId } from "./ops";
import { makeProvider } from "./providerShim";
import { addOrRecover } from "./recover";
import { forgetZone } from "./zoneFacts";
import { InputChecker, bool, clientIdRule, domainName, secondsRule, serverIdRule, soaMailboxRule, str } from "./validate";

/** Inputs of a {@link DnsZone}. */
export interface DnsZoneArgs {
    /** The zone's name, e.g. `example.com`. With or without the trailing dot; stored with it (as the panel's UI does). Changing it replaces the zone. */
    origin: pulumi.Input<string>;
    /** Primary name server (SOA MNAME), e.g. `ns1.example.com`. Stored with a trailing dot. */
    ns: pulumi.Input<string>;
    /** Zone admin mailbox (SOA RNAME), as `hostmaster@example.com` or `hostmaster.example.com.`. */
    mbox: pulumi.Input<string>;
    /** SOA refresh in seconds, ≥ 60. Default 7200. */
    refresh?: pulumi.Input<number>;
    /** SOA retry in seconds, ≥ 60. Default 540. */
    retry?: pulumi.Input<number>;
    /** SOA expire in seconds, ≥ 60. Default 604800 (one week). */
    expire?: pulumi.Input<number>;
    /** SOA minimum (negative-caching TTL) in seconds, ≥ 60. Default 3600. */
    minimum?: pulumi.Input<number>;
    /** Default TTL of the zone in seconds, ≥ 60. Default 3600. */
    ttl?: pulumi.Input<number>;
    /** Whether the zone is served. Default true. */
    active?: pulumi.Input<boolean>;
    /** Hosts allowed to transfer the zone (AXFR), comma separated IPs; default none (''). */
    xfer?: pulumi.Input<string>;
    /** Extra hosts to NOTIFY on change, comma separated IPs; default none (''). */
    alsoNotify?: pulumi.Input<string>;
    /** DNS server (Server → Servers id). Default `ispconfig:serverId` (1). Changing it replaces the zone. */
    serverId?: pulumi.Input<number>;
    /** Owning client id; 0 = admin. Default `ispconfig:clientId` (0). Changing it to another client re-owns the zone in place; back to the admin (0) replaces it. */
    clientId?: pulumi.Input<number>;
    /** Take over a zone with the same origin that already exists in the panel instead of failing (the import path; see README). Default false. */
    adopt?: pulumi.Input<boolean>;
}

const DIFF: DiffSpec = {
    update: ["ns", "mbox", "refresh", "retry", "expire", "minimum", "ttl", "active", "xfer", "alsoNotify", "clientId"],
    replace: ["origin", "serverId"],
    deleteBeforeReplace: true, // the panel refuses a second zone with the same origin
};

function toPanel(i: Record<string, any>): Record<string, unknown> {
    return {
        server_id: i.serverId,
        origin: api.dotted(i.origin),
        ns: api.dotted(i.ns),
        mbox: api.soaMailbox(i.mbox),
        refresh: i.refresh,
        retry: i.retry,
        expire: i.expire,
        minimum: i.minimum,
        ttl: i.ttl,
        active: i.active,
        xfer: i.xfer,
        also_notify: i.alsoNotify,
    };
}

async function outputsOf(ctx: OpsContext, row: api.DnsZoneRow, inputs: Record<string, any>) {
    const owner = await api.ownerOfGroup(ctx.caller(), row.sys_groupid, inputs.clientId);
    return {
        origin: api.dotted(row.origin),
        ns: row.ns,
        mbox: row.mbox,
        refresh: row.refresh,
        retry: row.retry,
        expire: row.expire,
        minimum: row.minimum,
        ttl: row.ttl,
        active: row.active,
        xfer: String(row.xfer ?? ""),
        alsoNotify: String(row.also_notify ?? ""),
        serverId: row.server_id,
        clientId: owner ?? -1,
        adopt: inputs.adopt ?? false,
        zoneId: row.id,
        serial: row.serial,
    };
}

async function readBack(ctx: OpsContext, id: number, inputs: Record<string, any>) {
    const row = await api.getDnsZone(ctx.caller(), id);
    if (!row) throw new ISPConfigError(`DNS zone ${inputs.origin} (id ${id}) vanished while it was being created`);
    return outputsOf(ctx, row, inputs);
}

function outputsFromInputs(id: number, i: Record<string, any>, serial: number) {
    const p = toPanel(i);
    return {
        origin: p.origin, ns: p.ns, mbox: p.mbox, refresh: i.refresh, retry: i.retry, expire: i.expire,
        minimum: i.minimum, ttl: i.ttl, active: i.active, xfer: i.xfer, alsoNotify: i.alsoNotify,
        serverId: i.serverId, clientId: i.clientId, adopt: i.adopt, zoneId: id, serial,
    };
}

export const dnsZoneOps: ResourceOps = {
    async check(ctx, _olds, news) {
        const d = ctx.defaults();
        const c = new InputChecker(news);
        c.field("origin", (v, n) => {
            const r = domainName()(v, n);
            return typeof r === "string" ? api.dotted(r) : r;
        }, { required: true });
        c.field("ns", (v, n) => {
            const r = domainName()(v, n);
            return typeof r === "string" ? api.dotted(r) : r;
        }, { required: true });
        c.field("mbox", soaMailboxRule, { required: true });
        c.field("refresh", secondsRule, { default: 7200 });
        c.field("retry", secondsRule, { default: 540 });
        c.field("expire", secondsRule, { default: 604800 });
        c.field("minimum", secondsRule, { default: 3600 });
        c.field("ttl", secondsRule, { default: 3600 });
        c.field("active", bool(), { default: true });
        c.field("xfer", str({ allowEmpty: true, maxLength: 255 }), { default: "" });
        c.field("alsoNotify", str({ allowEmpty: true, maxLength: 255 }), { default: "" });
        c.field("serverId", serverIdRule, { default: d.serverId });
        c.field("clientId", clientIdRule, { default: d.clientId });
        c.field("adopt", bool(), { default: false });
        return { inputs: c.out, failures: c.failures };
    },

    async diff(_ctx, _id, olds, news) {
        const r = diffFields(olds, news, DIFF);
        // The API can move a zone to another client (client_id > 0 re-owns it), but never
        // back to the admin: client_id 0 means "leave the owner alone". That needs a new zone.
        const replaces = [...r.replaces];
        if (r.changed.includes("clientId") && news.clientId === 0) replaces.push("clientId");
        return { changes: r.changes, replaces, deleteBeforeReplace: replaces.length > 0 };
    },

    async create(ctx, inputs) {
        const c = ctx.caller();
        // One call, both spellings: the panel's uniqueness check would miss `example.com`
        // (made by an older tool) when we add `example.com.`, and the name would be served twice.
        const existing = await api.findDnsZoneByOrigin(c, inputs.origin);
        if (existing) {
            if (!inputs.adopt) {
                throw new ISPConfigError(
                    `DNS zone ${inputs.origin} already exists in the panel (id ${existing.id}). ` +
                        "Set `adopt: true` on this DnsZone to take it over, or remove the zone from the panel.",
                );
            }
            const owner = await api.ownerOfGroup(c, existing.sys_groupid, inputs.clientId);
            await api.updateDnsZone(c, existing.id, toPanel(inputs), owner === inputs.clientId ? api.KEEP_OWNER : inputs.clientId);
            return { id: String(existing.id), outs: await readBack(ctx, existing.id, inputs) };
        }
        const values = { ...toPanel(inputs), serial: api.nextSerial(0) };
        const { id, recovered } = await addOrRecover(
            () => api.addDnsZone(c, inputs.clientId, values),
            async () => (await api.findDnsZoneByOrigin(c, inputs.origin))?.id,
        );
        if (recovered) return { id: String(id), outs: await readBack(ctx, id, inputs) };
        // The panel stores a zone exactly as sent: no read-back needed.
        return { id: String(id), outs: outputsFromInputs(id, inputs, values.serial) };
    },

    async read(ctx, id, props) {
        const row = await api.getDnsZone(ctx.caller(), panelId(id));
        if (!row) return { id: "", props: {} };
        const outs = await outputsOf(ctx, row, props);
        return { id, props: outs };
    },

    async update(ctx, id, olds, news) {
        const c = ctx.caller();
        const ownerChange = news.clientId !== olds.clientId && news.clientId > 0;
        forgetZone(c, panelId(id));
        const serial = await api.updateDnsZone(c, panelId(id), toPanel(news), ownerChange ? news.clientId : api.KEEP_OWNER);
        return { outs: outputsFromInputs(panelId(id), news, serial) };
    },

    /**
     * Like the panel's UI (dns_soa_del.php), and unlike the API's dns_zone_delete: records still
     * in the zone are deleted with it (the zone set inactive first). Records managed by Pulumi
     * are already gone (they depend on the zone); what remains was made outside Pulumi and
     * would otherwise be orphaned in the panel. An empty zone costs two calls.
     */
    async delete(ctx, id) {
        const c = ctx.caller();
        const zoneId = panelId(id);
        forgetZone(c, zoneId);
        const leftovers = await api.listZoneRecords(c, zoneId);
        if (leftovers.length > 0) {
            // Inactive first, so the server never writes a half-emptied zone file.
            await api.updateDnsZone(c, zoneId, { active: false }).catch((e) => {
                if (!(e instanceof NotFoundError)) throw e;
            });
            for (const rr of leftovers) await api.deleteZoneRecord(c, rr.id);
        }
        // 0 = already gone: deleting is idempotent.
        await api.deleteDnsZone(c, zoneId);
    },
};

/**
 * A DNS zone (SOA record) in ISPConfig. Replaces on: `origin`, `serverId`, `clientId` → 0.
 * Deleting it also deletes the records still in it, as the panel's UI does.
 */
export class DnsZone extends pulumi.dynamic.Resource {
    /** Panel id of the zone (same as `id`, as a number). */
    public readonly zoneId!: pulumi.Output<number>;
    /** The stored origin, always with its trailing dot. */
    public readonly origin!: pulumi.Output<string>;
    /** The zone serial (YYYYMMDDnn); moves on every change made through this package. */
    public readonly serial!: pulumi.Output<number>;
    /** The primary name server as stored, with its trailing dot. */
    public readonly ns!: pulumi.Output<string>;
    /** The SOA responsible mailbox as stored (`hostmaster.example.com.`). */
    public readonly mbox!: pulumi.Output<string>;
    /** Default TTL of the zone, in seconds, as stored. */
    public readonly ttl!: pulumi.Output<number>;
    /** Whether the panel serves the zone. */
    public readonly active!: pulumi.Output<boolean>;
    /** The DNS server the zone lives on. */
    public readonly serverId!: pulumi.Output<number>;
    /** The client that owns the zone (0 = admin). */
    public readonly clientId!: pulumi.Output<number>;

    constructor(name: string, args: DnsZoneArgs, opts?: pulumi.CustomResourceOptions) {
        super(dnsZoneProvider, name, { zoneId: undefined, serial: undefined, ...args }, opts, "ispconfig", "DnsZone");
    }
}

/** The module-level provider object for DnsZone (serialized into state; holds no credential). */
export const dnsZoneProvider = makeProvider("dnsZone");
