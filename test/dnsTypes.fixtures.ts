/*
 * One record of each of the 18 types, as a program declares it, and what the panel's UI would
 * store for it (ispconfig-dns-types.md §9.2, ispconfig-wire/dns-types/NN_dns_<t>_add): shared by
 * the test-panel lifecycle tests, the real-panel check and the served-by-BIND check.
 */
export const HEX64A = "7a998dc43dbd70b57d7320388142aae58bb6696dedd3b2222a029bf59f9573bf";
export const HEX64B = "94e5aa28dafc7d79162e776c76b320ee3aa3409a5532b38881f5d0480b95299f";
export const DKIM =
    "v=DKIM1; t=s; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAr/jLmUO5DFhX8p/yda6qgxjwBsYtxxOtXVdXd3mTnJRoZMsLrl8u0jqtDYamwuq2l+s3SB/Y4+qDD4FRUj8VdbPweL1Z2nEOARUNtbv2JCGPzoIvr/YX7x7W3tC0OJFK+EwBXWmvLfYF7BxlDnLYVtTQdfmAeC/ITGLhrVv94d9Pw9XWPxuC1pqZH+z5jNU36M15aERAl2pDLdD8DrcNJJZDE9HrEC5OVBWR/yx+uvwIDAQAB";

export interface TypeCase {
    type: string;
    /** Type fields and name, as declared (zoneId added by the test). */
    args: Record<string, unknown>;
    /** What the UI stores for it in zone `origin` (dotted). */
    stored: (origin: string) => { name: string; data: string; aux?: number; ttl?: number };
    /** A declared change, and the stored result. */
    change: Record<string, unknown>;
    changed: (origin: string) => { data: string; aux?: number };
    /** What `dig <fqdn> <type> +short` answers for the created record (served-not-stored check). */
    dig?: (origin: string) => string[];
    /** The type to ask for (ALIAS is served as a CNAME). */
    digType?: string;
}

export const TYPE_CASES: TypeCase[] = [
    { type: "A", args: { name: "www", address: "192.0.2.10" }, stored: () => ({ name: "www", data: "192.0.2.10" }), change: { address: "192.0.2.20" }, changed: () => ({ data: "192.0.2.20" }), dig: () => ["192.0.2.10"] },
    { type: "AAAA", args: { name: "www", address: "2001:db8::10" }, stored: () => ({ name: "www", data: "2001:db8::10" }), change: { address: "2001:DB8::20" }, changed: () => ({ data: "2001:db8::20" }), dig: () => ["2001:db8::10"] },
    { type: "ALIAS", args: { name: "shop", target: "www.@ORIGIN" }, stored: (o) => ({ name: "shop", data: `www.${o}` }), change: { target: "ftp.example.net" }, changed: () => ({ data: "ftp.example.net." }), dig: (o) => [`www.${o}`], digType: "CNAME" },
    { type: "CAA", args: { name: "@", tag: "issue", value: "letsencrypt.org" }, stored: (o) => ({ name: o, data: '0 issue "letsencrypt.org"' }), change: { tag: "issuewild" }, changed: () => ({ data: '0 issuewild "letsencrypt.org"' }), dig: () => ['0 issue "letsencrypt.org"'] },
    { type: "CNAME", args: { name: "ftp", target: "www.@ORIGIN" }, stored: (o) => ({ name: "ftp", data: `www.${o}` }), change: { target: "@" }, changed: (o) => ({ data: o }), dig: (o) => [`www.${o}`] },
    { type: "DNAME", args: { name: "old", target: "example.net" }, stored: () => ({ name: "old", data: "example.net." }), change: { target: "example.org." }, changed: () => ({ data: "example.org." }), dig: () => ["example.net."] },
    { type: "DS", args: { name: "sub", keyTag: 12345, algorithm: 13, digestType: 2, digest: HEX64A }, stored: () => ({ name: "sub", data: `12345 13 2 ${HEX64A.toUpperCase()}` }), change: { digest: HEX64B }, changed: () => ({ data: `12345 13 2 ${HEX64B.toUpperCase()}` }), dig: () => [`12345 13 2 ${HEX64A.toUpperCase().slice(0, 56)} ${HEX64A.toUpperCase().slice(56)}`] },
    { type: "HINFO", args: { name: "host1", cpu: "PC-Intel", os: "Linux" }, stored: () => ({ name: "host1", data: "PC-Intel Linux" }), change: { os: "Debian 12" }, changed: () => ({ data: 'PC-Intel "Debian 12"' }), dig: () => ['"PC-Intel" "Linux"'] },
    { type: "LOC", args: { name: "office", location: "52 22 23.000 N 4 53 32.000 E -2.00m 1m 10000m 10m" }, stored: () => ({ name: "office", data: "52 22 23.000 N 4 53 32.000 E -2.00m 1m 10000m 10m" }), change: { location: "51 30 12.748 N 0 7 39.611 W 0.00m 1m 10000m 10m" }, changed: () => ({ data: "51 30 12.748 N 0 7 39.611 W 0.00m 1m 10000m 10m" }), dig: () => ["52 22 23.000 N 4 53 32.000 E -2.00m 1m 10000m 10m"] },
    { type: "MX", args: { name: "@", target: "mail.@ORIGIN" }, stored: (o) => ({ name: o, data: `mail.${o}`, aux: 10 }), change: { priority: 20 }, changed: (o) => ({ data: `mail.${o}`, aux: 20 }), dig: (o) => [`10 mail.${o}`] },
    { type: "NAPTR", args: { name: "@", preference: 10, flags: "S", service: "SIP+D2U", replacement: "_sip._udp.@ORIGIN" }, stored: (o) => ({ name: o, data: `10 "S" "SIP+D2U" "" _sip._udp.${o}`, aux: 100 }), change: { service: "SIP+D2T", replacement: "_sip._tcp.@ORIGIN" }, changed: (o) => ({ data: `10 "S" "SIP+D2T" "" _sip._tcp.${o}`, aux: 100 }), dig: (o) => [`100 10 "S" "SIP+D2U" "" _sip._udp.${o}`] },
    { type: "NS", args: { name: "sub", target: "ns1.example.net" }, stored: () => ({ name: "sub", data: "ns1.example.net." }), change: { target: "ns2.example.net" }, changed: () => ({ data: "ns2.example.net." }) },
    { type: "PTR", args: { name: "10", target: "www.@ORIGIN" }, stored: (o) => ({ name: "10", data: `www.${o}` }), change: { target: "ftp.@ORIGIN" }, changed: (o) => ({ data: `ftp.${o}` }), dig: (o) => [`www.${o}`] },
    { type: "RP", args: { name: "host1", mailbox: "hostmaster@@ORIGIN", txtName: "info.@ORIGIN" }, stored: (o) => ({ name: "host1", data: `hostmaster.${o} info.${o}` }), change: { mailbox: "admin.@ORIGIN" }, changed: (o) => ({ data: `admin.${o} info.${o}` }), dig: (o) => [`hostmaster.${o} info.${o}`] },
    { type: "SRV", args: { name: "_sip._tcp", priority: 10, weight: 5, port: 5060, target: "sip.@ORIGIN" }, stored: (o) => ({ name: "_sip._tcp", data: `5 5060 sip.${o}`, aux: 10 }), change: { port: 5061 }, changed: (o) => ({ data: `5 5061 sip.${o}`, aux: 10 }), dig: (o) => [`10 5 5060 sip.${o}`] },
    { type: "SSHFP", args: { name: "host1", algorithm: 4, fingerprintType: 2, fingerprint: HEX64A.toUpperCase() }, stored: () => ({ name: "host1", data: `4 2 ${HEX64A}` }), change: { algorithm: 1, fingerprint: HEX64B }, changed: () => ({ data: `1 2 ${HEX64B}` }), dig: () => [`4 2 ${HEX64A.toUpperCase().slice(0, 56)} ${HEX64A.toUpperCase().slice(56)}`] },
    { type: "TLSA", args: { name: "_443._tcp.www", usage: 3, selector: 1, matchingType: 1, certificate: HEX64A }, stored: () => ({ name: "_443._tcp.www", data: `3 1 1 ${HEX64A}`, ttl: 7200 }), change: { certificate: HEX64B }, changed: () => ({ data: `3 1 1 ${HEX64B}` }), dig: () => [`3 1 1 ${HEX64A.toUpperCase().slice(0, 56)} ${HEX64A.toUpperCase().slice(56)}`] },
    { type: "TXT", args: { name: "info", value: "hello world" }, stored: () => ({ name: "info", data: "hello world" }), change: { value: DKIM }, changed: () => ({ data: DKIM }), dig: () => ['"hello world"'] },
];

/** Replaces `@ORIGIN` (undotted-friendly: `x.@ORIGIN` → `x.example.com.`) in declared args. */
export function withOrigin(args: Record<string, unknown>, origin: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(args)) out[k] = typeof v === "string" ? v.replace("@ORIGIN", origin) : v;
    return out;
}

/** A small zone as a DnsZoneRecords declares it: two records at one name (MX), the others one each. */
export const WEB_RECORDS = [
    { type: "A", name: "@", address: "192.0.2.1" },
    { type: "A", name: "www", address: "192.0.2.1" },
    { type: "MX", name: "@", priority: 10, target: "mx1.example.net" },
    { type: "MX", name: "@", priority: 20, target: "mx2.example.net" },
    { type: "TXT", name: "@", value: "v=spf1 mx -all" },
    { type: "CNAME", name: "ftp", target: "www.example.org" },
];

/** The record writes among panel calls (adds, updates, deletes of records; not the zone's own calls). */
export const recordWrites = (calls: string[]) => calls.filter((m) => /^dns_[a-z]+_(add|update|delete)$/.test(m) && !m.startsWith("dns_zone_"));
