import * as pulumi from "@pulumi/pulumi";
import * as api from "./api";
import { ConfigError } from "./connection";
import { ISPConfigError } from "./soap/errors";
import * as runtime from "./runtime";

/*
 * Lookups of what already exists in the panel (zones and records made in its UI or by another
 * stack). Plain async functions that call the panel when the program runs; they are not part of
 * any resource's check or diff, so `pulumi preview` of resources stays call-free. Each has an
 * invoke-style `…Output` form taking Inputs. The connection is the provider's: `ispconfig:*`
 * config of the stack, or the `ISPCONFIG_*` environment variables.
 */

const CONFIG_KEYS = ["endpoint", "username", "password", "insecure", "caFile", "clientId", "serverId", "timeoutMs", "maxConcurrency", "panels"].map((k) => `ispconfig:${k}`);

/** The session of the single panel, or of a panel named in `ispconfig:panels`. */
function caller(panel?: string): api.Caller {
    try {
        return runtime.contextFor(panel).caller();
    } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
    }
    // In a program (not the provider's plugin process): the stack's config, as the provider gets it.
    const values: Record<string, string | undefined> = {};
    for (const k of CONFIG_KEYS) values[k] = pulumi.runtime.getConfig(k);
    runtime.configureWith(values);
    return runtime.contextFor(panel).caller();
}

export interface GetDnsZoneArgs {
    /** The zone's name, with or without the trailing dot. */
    origin: string;
    /** A panel named in `ispconfig:panels`; left out, the single panel. */
    panel?: string;
}
export interface GetDnsZoneResult {
    zoneId: number;
    /** As stored, with the trailing dot. */
    origin: string;
    ns: string;
    mbox: string;
    serial: number;
    ttl: number;
    active: boolean;
    serverId: number;
}

/** The zone with exactly this origin (either spelling; never a prefix match). Throws when there is none. */
export async function getDnsZone(args: GetDnsZoneArgs): Promise<GetDnsZoneResult> {
    const z = await api.findDnsZoneByOrigin(caller(args.panel), args.origin);
    if (!z) throw new ISPConfigError(`getDnsZone: no DNS zone ${JSON.stringify(args.origin)} in the panel`);
    return { zoneId: z.id, origin: api.dotted(z.origin), ns: z.ns, mbox: z.mbox, serial: z.serial, ttl: z.ttl, active: z.active, serverId: z.server_id };
}
export function getDnsZoneOutput(args: { origin: pulumi.Input<string>; panel?: pulumi.Input<string> }): pulumi.Output<GetDnsZoneResult> {
    return pulumi.output(args).apply((a) => getDnsZone(a));
}

export interface GetDnsRecordsArgs {
    /** The zone's id (`zone.id`, or `zoneId` of getDnsZone). */
    zoneId: number | string;
    /** A panel named in `ispconfig:panels`; left out, the single panel. */
    panel?: string;
    /** Only records of this type (any case). */
    type?: string;
    /** Only records of this name: relative (`www`), `@`, or absolute (`www.example.com.`). */
    name?: string;
}
export interface DnsRecordInfo {
    recordId: number;
    zoneId: number;
    /** As stored; `""` for a record hit by the panel's type-column bug. */
    type: string;
    /** As stored. */
    name: string;
    /** The absolute name. */
    fqdn: string;
    data: string;
    aux: number;
    ttl: number;
    active: boolean;
    /** The type's fields as DnsRecord takes them (target, priority, value, …). */
    fields: api.RecordFields;
}

/** The records of a zone (one call), optionally of one type and name. */
export async function getDnsRecords(args: GetDnsRecordsArgs): Promise<DnsRecordInfo[]> {
    const c = caller(args.panel);
    const zoneId = Number(args.zoneId);
    const zone = await api.getDnsZone(c, zoneId);
    if (!zone) throw new ISPConfigError(`getDnsRecords: no DNS zone with id ${args.zoneId} in the panel`);
    const origin = api.dotted(zone.origin);
    const type = args.type?.toUpperCase();
    const name = args.name === undefined ? undefined : args.name === "@" ? origin : api.absoluteStoredName(args.name, origin);
    return (await api.listZoneRecords(c, zoneId))
        .filter((r) => type === undefined || r.type === type)
        .filter((r) => name === undefined || api.absoluteStoredName(r.name, origin) === name.toLowerCase())
        .map((r) => ({
            recordId: r.id,
            zoneId: r.zone,
            type: r.type,
            name: r.name,
            fqdn: api.absoluteStoredName(r.name, origin),
            data: r.data,
            aux: r.aux,
            ttl: r.ttl,
            active: r.active,
            fields: api.isDnsRecordType(r.type) ? api.decodeRecord(r.type, r.data, r.aux) : {},
        }));
}
export function getDnsRecordsOutput(args: { zoneId: pulumi.Input<number | string>; type?: pulumi.Input<string>; name?: pulumi.Input<string>; panel?: pulumi.Input<string> }): pulumi.Output<DnsRecordInfo[]> {
    return pulumi.output(args).apply((a) => getDnsRecords(a as GetDnsRecordsArgs));
}
