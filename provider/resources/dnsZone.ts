import * as pulumi from "@pulumi/pulumi";
import * as api from "../api";
import { ISPConfigError, NotFoundError } from "../soap/errors";
import { Declaration, adoptField, makeProvider, ops, resourceArgs, columns } from "./kit";
import { addOrRecover } from "./recover";
import { forgetZone } from "./zoneFacts";
import { clientIdRule, domainName, bool, secondsRule, serverIdRule, soaMailboxRule, str } from "./validate";
import { ownerField } from "./owner";

/** Inputs of a {@link DnsZone}. */
export interface DnsZoneArgs {
    /** The zone's name, e.g. `example.com`. With or without the trailing dot; stored with it (as the panel's UI does). A change renames the zone in place; records named after the old origin follow it. */
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
    /** DNS server (Server → Servers id). Default at create: `ispconfig:serverId` (1). Changing it replaces the zone (its records go with it). */
    serverId?: pulumi.Input<number>;
    /** Owning client id; 0 = admin. Default at create: `ispconfig:clientId` (0); left out, the panel's owner is kept. A change re-owns the zone and its records in place, as the panel's UI does (back to the admin needs the remote user's "Record permission changes"). */
    clientId?: pulumi.Input<number>;
    /** Take over a zone with the same origin that already exists in the panel instead of failing (the import path; see README). Default false. */
    adopt?: pulumi.Input<boolean>;
}

/** Outputs of a {@link DnsZone}. */
export interface DnsZoneOutputs {
    /** Panel id of the zone (same as `id`, as a number). */
    readonly zoneId: pulumi.Output<number>;
    /** The stored origin, always with its trailing dot. */
    readonly origin: pulumi.Output<string>;
    /** The zone serial (YYYYMMDDnn) when last read; moves on every change made through this package. */
    readonly serial: pulumi.Output<number>;
    /** The primary name server as stored, with its trailing dot. */
    readonly ns: pulumi.Output<string>;
    /** The SOA responsible mailbox as stored (`hostmaster.example.com.`). */
    readonly mbox: pulumi.Output<string>;
    /** SOA refresh in seconds, as stored. */
    readonly refresh: pulumi.Output<number>;
    /** SOA retry in seconds, as stored. */
    readonly retry: pulumi.Output<number>;
    /** SOA expire in seconds, as stored. */
    readonly expire: pulumi.Output<number>;
    /** SOA minimum in seconds, as stored. */
    readonly minimum: pulumi.Output<number>;
    /** Default TTL of the zone, in seconds, as stored. */
    readonly ttl: pulumi.Output<number>;
    /** Whether the panel serves the zone. */
    readonly active: pulumi.Output<boolean>;
    /** Hosts allowed to transfer the zone, as stored. */
    readonly xfer: pulumi.Output<string>;
    /** Extra hosts notified on change, as stored. */
    readonly alsoNotify: pulumi.Output<string>;
    /** The DNS server the zone lives on. */
    readonly serverId: pulumi.Output<number>;
    /** The client that owns the zone (0 = admin, -1 = a group that belongs to no client). */
    readonly clientId: pulumi.Output<number>;
}

const dottedName = (v: unknown, n: string) => {
    const r = domainName()(v, n);
    return typeof r === "string" ? api.dotted(r) : r;
};

const decl: Declaration<api.DnsZoneRow> = {
    kind: "dnsZone",
    type: "DnsZone",
    idOutput: "zoneId",
    deleteBeforeReplace: true, // a new zone on another server cannot share the origin with the old one
    fields: {
        origin: { rule: dottedName, required: true, column: "origin", read: (r) => api.dotted(r.origin) },
        ns: { rule: dottedName, required: true, column: "ns" },
        mbox: { rule: soaMailboxRule, required: true, column: "mbox" },
        refresh: { rule: secondsRule, default: 7200, column: "refresh" },
        retry: { rule: secondsRule, default: 540, column: "retry" },
        expire: { rule: secondsRule, default: 604800, column: "expire" },
        minimum: { rule: secondsRule, default: 3600, column: "minimum" },
        ttl: { rule: secondsRule, default: 3600, column: "ttl" },
        active: { rule: bool(), default: true, column: "active" },
        xfer: { rule: str({ allowEmpty: true, maxLength: 255 }), default: "", column: "xfer", read: (r) => String(r.xfer ?? "") },
        alsoNotify: { rule: str({ allowEmpty: true, maxLength: 255 }), default: "", column: "also_notify", read: (r) => String(r.also_notify ?? "") },
        serverId: { rule: serverIdRule, default: (d) => d.serverId, replaces: true, column: "server_id" },
        clientId: ownerField(clientIdRule),
        adopt: adoptField,
    },
    computed: { serial: (r) => r.serial },

    get: (c, id) => api.getDnsZone(c, id),

    async create(ctx, inputs, declared) {
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
            // Adopting writes what the program declares; everything else stays as the panel has it.
            await api.updateDnsZone(c, existing.id, columns(decl, declared));
            await moveOwner(c, existing.id, existing.sys_groupid, declared.clientId);
            return { id: existing.id, row: await mustGet(c, existing.id) };
        }
        const values = { ...columns(decl, inputs), serial: api.nextSerial(0) };
        const { id, recovered } = await addOrRecover(
            () => api.addDnsZone(c, inputs.clientId, values),
            async () => (await api.findDnsZoneByOrigin(c, inputs.origin))?.id,
        );
        if (recovered) return { id, row: await mustGet(c, id) };
        // The panel stores a zone exactly as sent: no read-back needed.
        return { id, outs: { serial: values.serial } };
    },

    async update(ctx, id, news, olds, changed) {
        const c = ctx.caller();
        forgetZone(c, id);
        let clientId = olds.clientId;
        if (changed.includes("clientId")) {
            // Before the update (which keeps the owner): the zone and its records move together.
            await api.reownZone(c, id, news.clientId);
            clientId = news.clientId;
        }
        const serial = await api.updateDnsZone(c, id, columns(decl, news));
        // The UI renames a zone in place; records stored under the old absolute name (`@` is
        // stored as the origin) would fall out of the zone, so they follow it.
        if (changed.includes("origin")) await api.renameZoneRecords(c, id, olds.origin, news.origin);
        return { outs: { serial, clientId } };
    },

    /**
     * Like the panel's UI (dns_soa_del.php), and unlike the API's dns_zone_delete: records still
     * in the zone are deleted with it (the zone set inactive first). Records managed by Pulumi
     * are already gone (they depend on the zone); what remains was made outside Pulumi and
     * would otherwise be orphaned in the panel. An empty zone costs two calls.
     */
    async delete(ctx, zoneId) {
        const c = ctx.caller();
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

async function mustGet(c: api.Caller, id: number): Promise<api.DnsZoneRow> {
    const row = await api.getDnsZone(c, id);
    if (!row) throw new ISPConfigError(`DNS zone ${id} vanished while it was being created`);
    return row;
}

/** Adopt with a declared owner: move the zone and its records to it when it differs, as the UI does. */
async function moveOwner(c: api.Caller, id: number, sysGroupId: number, clientId: number | undefined): Promise<void> {
    if (clientId === undefined) return;
    if ((await api.ownerOfGroup(c, sysGroupId, clientId)) === clientId) return;
    forgetZone(c, id);
    await api.reownZone(c, id, clientId);
}

export const dnsZoneOps = ops(decl);
export const dnsZoneDeclaration = decl;

/** The module-level provider object for DnsZone (serialized into state; holds no credential). */
export const dnsZoneProvider = makeProvider("dnsZone");

/**
 * A DNS zone (SOA record) in ISPConfig. Replaces on: `serverId` only. Deleting it also deletes
 * the records still in it, as the panel's UI does.
 */
export class DnsZone extends pulumi.dynamic.Resource {
    constructor(name: string, args: DnsZoneArgs, opts?: pulumi.CustomResourceOptions) {
        super(...resourceArgs(decl, dnsZoneProvider, name, args, opts));
    }
}
export interface DnsZone extends DnsZoneOutputs {}
