import * as api from "../api";
import { ISPConfigError, NotFoundError } from "../soap/errors";
import { adoptField, ArgsOf, columns, Declaration, defineResource, Fields, OutputsOf } from "./kit";
import { addOrRecover } from "./recover";
import { forgetZone } from "./zoneFacts";
import { clientIdRule, domainName, bool, secondsRule, serverIdRule, soaMailboxRule, str } from "./validate";
import { ownerField } from "./owner";
import { addNameservers, nameserversField, syncNameservers } from "./zoneNameservers";

const dottedName = (v: unknown, n: string) => {
    const r = domainName()(v, n);
    return typeof r === "string" ? api.dotted(r) : r;
};

/** Outputs computed from the stored row (not inputs). */
const computed = {
    /** The zone serial (YYYYMMDDnn) when last read; moves on every change made through this package. */
    serial: (r: api.DnsZoneRow) => r.serial,
};

/** The inputs of a {@link DnsZone}; each is also an output, as stored. */
const fields = {
    /** The zone's name, e.g. `example.com`. With or without the trailing dot; stored with it (as the panel's UI does). A change renames the zone in place; records named after the old origin follow it. */
    origin: { rule: dottedName, required: true, column: "origin", read: (r) => api.dotted(r.origin) },
    /** Primary name server (SOA MNAME), e.g. `ns1.example.com`. Stored with a trailing dot. */
    ns: { rule: dottedName, required: true, column: "ns" },
    /** Zone admin mailbox (SOA RNAME), as `hostmaster@example.com` or `hostmaster.example.com.`; stored in the second form. */
    mbox: { rule: soaMailboxRule, required: true, column: "mbox" },
    /** SOA refresh in seconds, ≥ 60. Default 7200. */
    refresh: { rule: secondsRule, default: 7200, column: "refresh" },
    /** SOA retry in seconds, ≥ 60. Default 540. */
    retry: { rule: secondsRule, default: 540, column: "retry" },
    /** SOA expire in seconds, ≥ 60. Default 604800 (one week). */
    expire: { rule: secondsRule, default: 604800, column: "expire" },
    /** SOA minimum (negative-caching TTL) in seconds, ≥ 60. Default 3600. */
    minimum: { rule: secondsRule, default: 3600, column: "minimum" },
    /** Default TTL of the zone in seconds, ≥ 60. Default 3600. */
    ttl: { rule: secondsRule, default: 3600, column: "ttl" },
    /** Whether the zone is served. Default true. */
    active: { rule: bool(), default: true, column: "active" },
    /** Hosts allowed to transfer the zone (AXFR), comma separated IPs; default none (''). */
    xfer: { rule: str({ allowEmpty: true, maxLength: 255 }), default: "", column: "xfer", read: (r) => String(r.xfer ?? "") },
    /** Extra hosts to NOTIFY on change, comma separated IPs; default none (''). */
    alsoNotify: { rule: str({ allowEmpty: true, maxLength: 255 }), default: "", column: "also_notify", read: (r) => String(r.also_notify ?? "") },
    /** DNS server (Server → Servers id). Default at create: `ispconfig:serverId` (1). Changing it replaces the zone (its records go with it). */
    serverId: { rule: serverIdRule, default: (d) => d.serverId, replaces: true, column: "server_id" },
    /** Owning client id; 0 = admin. Default at create: `ispconfig:clientId` (0); left out, the panel's owner is kept. A change re-owns the zone and its records in place, as the panel's UI does (back to the admin needs the remote user's "Record permission changes"). As an output: the owner as stored. */
    clientId: ownerField(clientIdRule),
    /**
     * The zone's name servers, e.g. `["ns1.example.net", "ns2.example.net"]`: NS records at the
     * apex, made with the zone and kept to this list (BIND never loads a zone without NS
     * records; the SOA's `ns` is not one). Left out, NS records are yours to make (DnsRecord
     * `type: "NS"`). Only NS records this list made are ever removed.
     */
    nameservers: nameserversField,
    /** Take over a zone with the same origin that already exists in the panel instead of failing (the import path; see README). Default false. */
    adopt: adoptField,
} satisfies Fields<api.DnsZoneRow>;

const decl: Declaration<api.DnsZoneRow> = {
    type: "DnsZone", idOutput: "zoneId",
    deleteBeforeReplace: true, // a new zone on another server cannot share the origin with the old one
    fields, computed,

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
            if (declared.nameservers) await syncNameservers(c, await mustGet(c, existing.id), undefined, declared.nameservers);
            return { id: existing.id, row: await mustGet(c, existing.id) };
        }
        const values = { ...columns(decl, inputs), serial: api.nextSerial(0) };
        const { id, recovered } = await addOrRecover(
            () => api.addDnsZone(c, inputs.clientId, values),
            async () => (await api.findDnsZoneByOrigin(c, inputs.origin))?.id,
        );
        if (recovered) {
            if (inputs.nameservers) await syncNameservers(c, await mustGet(c, id), undefined, inputs.nameservers);
            return { id, row: await mustGet(c, id) };
        }
        if (inputs.nameservers) {
            // Made through the API with this client id: the zone is already the client's own.
            await addNameservers(c, id, inputs.origin, inputs.serverId, inputs.clientId, true, inputs.nameservers);
            // Each NS add moved the serial on.
            return { id, row: await mustGet(c, id) };
        }
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
        if (changed.includes("nameservers") && news.nameservers) {
            await syncNameservers(c, await mustGet(c, id), olds.nameservers, news.nameservers);
            return { outs: { serial: (await mustGet(c, id)).serial, clientId } };
        }
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

    get: (c, id) => api.getDnsZone(c, id),
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

/** Inputs of a {@link DnsZone}. */
export type DnsZoneArgs = ArgsOf<typeof fields>;
/** Outputs of a {@link DnsZone}: every input as stored, the `serial`, and `zoneId` (the panel id as a number). */
export type DnsZoneOutputs = OutputsOf<typeof fields, typeof computed, "zoneId">;

/** The operations, the provider object (serialized into state; holds no credential) and the class. */
export const dnsZone = defineResource<DnsZoneArgs, DnsZoneOutputs>(decl);

/**
 * A DNS zone (SOA record) in ISPConfig. Replaces on: `serverId` only. Deleting it also deletes
 * the records still in it, as the panel's UI does.
 */
export const DnsZone = dnsZone.Resource;
export type DnsZone = InstanceType<typeof DnsZone>;
