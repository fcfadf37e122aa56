/*
 * The type-column bug (fact sheet §6.1, §9.1): every `dns_<t>_add` stores `type = ''` when the
 * `type` key is missing (all 18 captured: `dt/NN_dns_<t>_add__without_type`), and such a row is
 * never written to the zone file (bind C:notype, NXDOMAIN). `dns_<t>_update` leaves the column
 * alone when the key is missing. So every add and update carries the type, and a row that reads
 * back with an empty type (left by an older tool) is a record of the declared type that needs
 * repair: a change, made in place, never a replace.
 */

/** The 18 record types the remote API has a `dns_<type>_*` family for (remote.d/dns.inc.php). */
export const DNS_RECORD_TYPES = [
    "A", "AAAA", "ALIAS", "CAA", "CNAME", "DNAME", "DS", "HINFO", "LOC",
    "MX", "NAPTR", "NS", "PTR", "RP", "SRV", "SSHFP", "TLSA", "TXT",
] as const;
export type DnsRecordType = (typeof DNS_RECORD_TYPES)[number];

export function isDnsRecordType(t: unknown): t is DnsRecordType {
    return typeof t === "string" && (DNS_RECORD_TYPES as readonly string[]).includes(t);
}

/** `dns_<type>_<op>`: the functions differ only in the form (validators, filters) they load. */
export function rrMethod(type: DnsRecordType, op: "get" | "add" | "update" | "delete"): string {
    return `dns_${type.toLowerCase()}_${op}`;
}

/** Params with the type column always set (add and update alike). */
export function withType<T extends Record<string, unknown>>(type: DnsRecordType, params: T): T & { type: DnsRecordType } {
    return { ...params, type };
}

/** A stored row is of `type`, or lost its type to the bug (and is repaired by the next update). */
export function isOfType(type: DnsRecordType, stored: string): boolean {
    return stored === type || stored === "";
}
