import * as api from "../api";
import { Failure } from "./validate";
import { targetRule } from "./dnsRecordRules";
import { DECLARED, Field } from "./kit";
import { zoneFacts } from "./zoneFacts";

/*
 * A zone without NS records is never loaded by BIND: the SOA's `ns` is not written as an NS
 * record (ispconfig-dns-types.md §9.1; bind A: dig REFUSED). The panel's UI wizard adds them
 * from its template; the API's dns_zone_add does not. DnsZone's `nameservers` input offers the
 * same: apex NS records made with the zone and kept to the list. Only NS records this input made
 * (the previous list) are ever removed; others (made in the panel, or by a DnsRecord) are left alone.
 */

export function nameserversRule(v: unknown, name: string): string[] | Failure {
    if (!Array.isArray(v)) return new Failure(`\`${name}\` must be a list of host names, e.g. ["ns1.example.net", "ns2.example.net"]`);
    if (v.length === 0) return new Failure(`\`${name}\` must name at least one name server (a zone without NS records is never loaded by BIND); leave it out to manage NS records yourself`);
    const out: string[] = [];
    for (const [i, x] of v.entries()) {
        const r = targetRule()(x, `${name}[${i}]`);
        if (r instanceof Failure) return r;
        if (r === "@") return new Failure(`\`${name}[${i}]\` must be a host name, not "@"`);
        if (out.includes(r)) return new Failure(`\`${name}\` lists ${JSON.stringify(r)} twice`);
        out.push(r);
    }
    return out.sort();
}

function apexNs(rows: api.DnsRecordRow[], origin: string): api.DnsRecordRow[] {
    return rows.filter((r) => api.isOfType("NS", r.type) && api.absoluteStoredName(r.name, origin) === origin);
}

/**
 * The field: read back (only when declared) as those of the declared name servers the zone has
 * at its apex — one missing in the panel shows as a change the next `up` repairs; an NS record
 * someone else added is not this input's, so it is neither reported nor removed.
 */
export const nameserversField: Field<string[], api.DnsZoneRow> = {
    rule: nameserversRule,
    async read(row, props, c) {
        const declared: unknown = props[DECLARED];
        if (!(Array.isArray(declared) ? declared.includes("nameservers") : props.nameservers !== undefined)) return undefined;
        const origin = api.dotted(row.origin);
        const mine: string[] = Array.isArray(props.nameservers) ? props.nameservers : [];
        const have = new Set(apexNs(await api.zoneListings.forRead(c, row.id), origin).map((r) => r.data.toLowerCase()));
        return mine.filter((n) => have.has(n)).sort();
    },
};

/**
 * Adds apex NS records, owned like the zone, each moving the serial without re-owning the zone
 * (`ownedAsClient`: the zone's user already is the client's, as for zones made through the API).
 */
export async function addNameservers(c: api.Caller, zoneId: number, origin: string, serverId: number, clientId: number, ownedAsClient: boolean, nameservers: string[]): Promise<void> {
    for (const ns of nameservers) {
        await api.addRecord(c, "NS", clientId, { server_id: serverId, zone: zoneId, name: api.dotted(origin), data: ns, ttl: 3600, active: true }, new Date(), ownedAsClient);
    }
}

/** Keeps the apex NS records to `next`: adds the missing, removes those of `prev` no longer listed. */
export async function syncNameservers(c: api.Caller, zone: api.DnsZoneRow, prev: string[] | undefined, next: string[]): Promise<void> {
    const origin = api.dotted(zone.origin);
    const current = apexNs(await api.listZoneRecords(c, zone.id), origin);
    const have = new Set(current.map((r) => r.data.toLowerCase()));
    const missing = next.filter((n) => !have.has(n));
    if (missing.length) {
        const facts = await zoneFacts(c, zone.id, 0);
        await addNameservers(c, zone.id, origin, zone.server_id, facts.clientId, facts.ownedAsClient, missing);
    }
    for (const r of current) {
        const d = r.data.toLowerCase();
        if (!next.includes(d) && (prev ?? []).includes(d)) await api.deleteRecord(c, "NS", r.id, true, zone.id);
    }
}
