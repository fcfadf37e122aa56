import { isIPv6 } from "node:net";
import * as api from "../api";
import { Failure, int, ipv4 } from "./validate";

/*
 * Check-time rules of a DnsRecord, per type. The panel checks little (DS, LOC, SSHFP and TXT only
 * for non-emptiness, CAA not at all) and one row BIND cannot read freezes the whole zone at its
 * last good version (ispconfig-dns-types.md §9.1), so everything we write must be valid zone-file
 * material for its type. Each rule names the field and the fix. No network.
 */

const bad = (r: string) => new Failure(r);
type Fail = (property: string, reason: string) => void;

/** The record type: one of the 18, any case; stored upper-case. */
export function recordTypeRule(v: unknown, name: string): api.DnsRecordType | Failure {
    const t = typeof v === "string" ? v.trim().toUpperCase() : v;
    if (api.isDnsRecordType(t)) return t;
    return bad(`\`${name}\` must be one of ${api.DNS_RECORD_TYPES.join(", ")}, got ${JSON.stringify(v)}`);
}

const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const UNDERSCORE_LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/**
 * A target host name (CNAME, MX, NS, …): `@` for the zone itself, else an absolute name, stored
 * with its trailing dot (without it BIND would append the zone). A single label is refused: it
 * would be read relative to the zone, which is rarely what is meant.
 */
export function targetRule(opts: { underscore?: boolean; root?: boolean } = {}) {
    return (v: unknown, name: string): string | Failure => {
        if (typeof v !== "string") return bad(`\`${name}\` must be a host name string such as "mail.example.com", got ${typeof v}`);
        if (/\s/.test(v)) return bad(`\`${name}\` must not contain whitespace: ${JSON.stringify(v)}`);
        const t = v.toLowerCase();
        if (t === "@") return t;
        if (t === ".") return opts.root ? t : bad(`\`${name}\` must be a host name, not the root "."`);
        if (/[^\x00-\x7f]/.test(t)) return bad(`\`${name}\` ${JSON.stringify(v)} is internationalised; give it in punycode (xn--…)`);
        const body = t.endsWith(".") ? t.slice(0, -1) : t;
        if (body === "") return bad(`\`${name}\` must not be empty`);
        if (body.length > 253) return bad(`\`${name}\` is ${body.length} characters long; a DNS name has at most 253`);
        const labels = body.split(".");
        if (labels.length < 2) {
            return bad(`\`${name}\` ${JSON.stringify(v)} is a single label; give the full name (e.g. "${body}.example.com"), or "@" for the zone itself`);
        }
        const re = opts.underscore ? UNDERSCORE_LABEL : HOST_LABEL;
        for (const l of labels) {
            if (!re.test(l)) {
                return bad(`\`${name}\` ${JSON.stringify(v)} is not a valid host name: label ${JSON.stringify(l.slice(0, 70))} may only hold a-z, 0-9${opts.underscore ? ", '_'" : ""} and '-' (1–63 characters, no '-' at its start or end)`);
            }
        }
        if (/^\d+$/.test(labels[labels.length - 1])) return bad(`\`${name}\` ${JSON.stringify(v)} looks like an IP address; a target is a host name`);
        return `${body}.`;
    };
}

/** Text the zone file carries inside "…" without escaping (the template escapes nothing). */
function zoneText(v: string, name: string, what: string): string | Failure {
    if (v.trim() === "") return bad(`\`${name}\` must not be empty`);
    const badChar = /[^\x20-\x7e]/.exec(v);
    if (badChar) return bad(`\`${name}\`: ${what} may only hold printable ASCII (the zone file cannot carry ${JSON.stringify(badChar[0])} at position ${badChar.index}); encode it first`);
    if (v.includes('"')) return bad(`\`${name}\` must not contain a double quote: the panel writes it unescaped inside "…" and BIND would split the text there (leave out surrounding quotes; long values are split into 255-byte strings for you)`);
    if (v.includes("\\")) return bad(`\`${name}\` must not contain a backslash: the panel writes it unescaped and BIND would read it as an escape`);
    return v;
}

/** TXT: any length (DKIM keys exceed 255; the server splits them), printable ASCII, no quotes. */
export function txtValue(v: unknown, name: string): string | Failure {
    if (typeof v !== "string") return bad(`\`${name}\` must be a string, got ${typeof v}`);
    const r = zoneText(v, name, "a TXT value");
    if (r instanceof Failure) return r;
    // RDATA: one length byte per 255-byte string; at most 65535 bytes in all.
    if (v.length + Math.ceil(v.length / 255) > 65535) return bad(`\`${name}\` is ${v.length} characters long; a TXT record holds at most 65,279`);
    return v;
}

const hexRule = (what: string) => (v: unknown, name: string): string | Failure => {
    if (typeof v !== "string") return bad(`\`${name}\` must be a hex string (${what}), got ${typeof v}`);
    const h = v.replace(/\s+/g, "");
    if (h === "") return bad(`\`${name}\` must not be empty`);
    if (!/^[0-9a-fA-F]+$/.test(h)) return bad(`\`${name}\` must be hexadecimal (0-9, a-f) ${what}, got ${JSON.stringify(v.slice(0, 40))}`);
    if (h.length % 2 !== 0) return bad(`\`${name}\` has an odd number of hex digits (${h.length}); each byte takes two`);
    return h;
};
export const digestRule = hexRule("the DS digest");
export const fingerprintRule = hexRule("the SSHFP fingerprint");
export const certificateRule = hexRule("the TLSA certificate association data");

/** Number (CAA flags) or string (NAPTR flags); checked per type in checkTypeFields. */
export function flagsRule(v: unknown, name: string): number | string | Failure {
    if (typeof v === "number" || typeof v === "string") return v;
    return bad(`\`${name}\` must be a number (CAA) or a string (NAPTR), got ${typeof v}`);
}

/** Free strings checked per type. */
export function textRule(v: unknown, name: string): string | Failure {
    return typeof v === "string" ? v : bad(`\`${name}\` must be a string, got ${typeof v}`);
}
/** Free numbers (or numeric strings) checked per type. */
export const u16 = int(0, 65535);
export const u8 = int(0, 255);

const CAA_TAGS = ["issue", "issuewild", "iodef", "issuemail", "contactemail", "contactphone"];
const LOC_RE =
    /^(\d{1,2})(?: (\d{1,2})(?: (\d{1,2}(?:\.\d{1,3})?))?)? ([NS]) (\d{1,3})(?: (\d{1,2})(?: (\d{1,2}(?:\.\d{1,3})?))?)? ([EW]) (-?\d{1,8}(?:\.\d{1,2})?)m?(?: (\d{1,8}(?:\.\d{1,2})?)m?(?: (\d{1,8}(?:\.\d{1,2})?)m?(?: (\d{1,8}(?:\.\d{1,2})?)m?)?)?)?$/;

/** A LOC record in RFC 1876 text form, whitespace collapsed. */
export function locationRule(v: unknown, name: string): string | Failure {
    if (typeof v !== "string") return bad(`\`${name}\` must be a string like "52 22 23.000 N 4 53 32.000 E -2.00m 1m 10000m 10m", got ${typeof v}`);
    const s = v.trim().replace(/\s+/g, " ");
    const m = LOC_RE.exec(s);
    const form = `RFC 1876 form "d [m [s]] N|S d [m [s]] E|W alt[m] [size[m] [hp[m] [vp[m]]]]", e.g. "52 22 23.000 N 4 53 32.000 E -2.00m 1m 10000m 10m"`;
    if (!m) return bad(`\`${name}\` ${JSON.stringify(v.slice(0, 60))} is not a location in ${form}`);
    if (Number(m[1]) > 90 || Number(m[5]) > 180) return bad(`\`${name}\`: latitude is at most 90 and longitude at most 180 degrees`);
    for (const i of [2, 3, 6, 7]) if (m[i] !== undefined && Number(m[i]) >= 60) return bad(`\`${name}\`: minutes and seconds must be below 60`);
    const alt = Number(m[9]);
    if (alt < -100000 || alt > 42849672.95) return bad(`\`${name}\`: altitude must be between -100000 and 42849672.95 m`);
    for (const i of [10, 11, 12]) if (m[i] !== undefined && Number(m[i]) > 90000000) return bad(`\`${name}\`: size and precisions are at most 90000000 m`);
    return s;
}

/** An RP mailbox: `hostmaster@example.com` or `hostmaster.example.com.`, or "." for none. */
export function rpMailboxRule(v: unknown, name: string): string | Failure {
    if (v === ".") return ".";
    if (typeof v === "string" && v.includes("@")) {
        const [local, domain, ...rest] = v.split("@");
        if (rest.length || !/^[a-z0-9_-]+$/i.test(local)) return bad(`\`${name}\` ${JSON.stringify(v)} is not a mailbox like hostmaster@example.com (the local part may only hold a-z, 0-9, '_' and '-' here)`);
        const d = targetRule()(domain, name);
        return d instanceof Failure ? d : `${local.toLowerCase()}.${d}`;
    }
    return targetRule({ underscore: true })(v, name);
}

/** Fields each type takes, beyond zoneId, name, type, ttl, active, adopt. */
export const TYPE_FIELDS: Record<api.DnsRecordType, readonly string[]> = Object.fromEntries(
    api.DNS_RECORD_TYPES.map((t) => [t, api.RECORD_CODECS[t].fields]),
) as Record<api.DnsRecordType, readonly string[]>;

/** Fields a type cannot do without (those with a default are not here). */
const REQUIRED: Partial<Record<api.DnsRecordType, readonly string[]>> = {
    SRV: ["weight", "port", "target"],
    CAA: ["tag", "value"],
    DS: ["keyTag", "algorithm", "digestType", "digest"],
    SSHFP: ["algorithm", "fingerprintType", "fingerprint"],
    TLSA: ["usage", "selector", "matchingType", "certificate"],
    HINFO: ["cpu", "os"],
    NAPTR: ["preference", "replacement"],
    RP: ["mailbox", "txtName"],
};
export function requiredFields(t: api.DnsRecordType): readonly string[] {
    return REQUIRED[t] ?? TYPE_FIELDS[t].filter((f) => !["priority", "order"].includes(f));
}

/*
 * Per type, the names the panel's form accepts (tform name regexes, dns_<t>.tform.php): as the
 * exceptions to "underscore and wildcard allowed, up to 255 characters".
 */
const NO_UNDERSCORE = new Set<api.DnsRecordType>(["A", "AAAA", "HINFO", "MX", "PTR", "RP"]);
const NO_WILDCARD = new Set<api.DnsRecordType>(["ALIAS", "DS", "HINFO", "LOC", "NS", "PTR", "RP", "SRV", "TLSA"]);
const MAX_NAME: Partial<Record<api.DnsRecordType, number>> = { A: 64, AAAA: 64, HINFO: 64, PTR: 256 };
const APEX_REFUSED: Partial<Record<api.DnsRecordType, string>> = {
    ALIAS: "an ALIAS is served as a CNAME, and a CNAME at the zone's apex beside its SOA and NS breaks the whole zone",
    CNAME: "a CNAME at the zone's apex clashes with its SOA and NS records, and BIND rejects the whole zone (the panel's UI refuses it too)",
};
function nameRules(t: api.DnsRecordType): { underscore: boolean; wildcard: boolean; max: number; apex?: string } {
    return { underscore: !NO_UNDERSCORE.has(t), wildcard: !NO_WILDCARD.has(t), max: MAX_NAME[t] ?? 255, apex: APEX_REFUSED[t] };
}

/** The stored name's length limit and apex rule, checked at create once the origin is known. */
export function storedNameProblem(t: api.DnsRecordType, stored: string, origin: string): string | undefined {
    const r = nameRules(t);
    if (stored.length > r.max) return `the name is stored as ${JSON.stringify(stored)} (${stored.length} characters); the panel takes at most ${r.max} for a ${t} record`;
    if (r.apex && (stored === origin || stored === "")) return `a ${t} record cannot be at the zone's apex: ${r.apex}`;
    return undefined;
}

const has = (d: Record<string, any>, k: string) => d[k] !== undefined;

/** The type's rules over the declared fields (unknowns pass: they are checked again at `up`). */
export function checkTypeFields(t: api.DnsRecordType, declared: Record<string, any>, resolved: Record<string, any>, fail: Fail, isUnknown: (v: unknown) => boolean): void {
    const own = TYPE_FIELDS[t];
    const all = new Set(Object.values(TYPE_FIELDS).flat());
    for (const k of all) {
        if (has(declared, k) && !own.includes(k)) fail(k, `\`${k}\` does not belong to a ${t} record; a ${t} record takes ${own.map((f) => `\`${f}\``).join(", ")}`);
    }
    for (const k of requiredFields(t)) if (!has(declared, k)) fail(k, `\`${k}\` is required for a ${t} record`);
    const v = (k: string) => (has(resolved, k) && !isUnknown(resolved[k]) ? resolved[k] : undefined);
    const check = (k: string, rule: (x: unknown, n: string) => unknown) => {
        const x = v(k);
        if (x === undefined) return x;
        const r = rule(x, k);
        if (r instanceof Failure) fail(k, r.reason);
        else if (has(declared, k)) declared[k] = r; // normalised; a default stays undeclared
        return r;
    };

    // The name, by the type's form.
    const name = v("name");
    if (typeof name === "string") {
        const nr = nameRules(t);
        const labels = name === "@" ? [] : name.replace(/\.$/, "").split(".");
        if (!nr.wildcard && labels.includes("*")) fail("name", `a ${t} record cannot have a wildcard name (the panel refuses '*' for ${t})`);
        if (!nr.underscore && labels.some((l) => l.includes("_"))) fail("name", `a ${t} record's name may not contain '_' (the panel refuses it for ${t}): ${JSON.stringify(name)}`);
        if (nr.apex && name === "@") fail("name", `a ${t} record cannot be at the zone's apex ("@"): ${nr.apex}`);
        if (t === "TLSA" && !/^_\d{1,5}\._(tcp|udp)(\.|$)/.test(name)) fail("name", `a TLSA record's name starts with _<port>._tcp or _<port>._udp, e.g. "_443._tcp.www", got ${JSON.stringify(name)}`);
        if (t === "TLSA" && /^_(\d+)/.test(name) && Number(/^_(\d+)/.exec(name)![1]) > 65535) fail("name", `the port in a TLSA name is at most 65535`);
        if (t === "SRV" && !/^_[a-z0-9-]+\._[a-z0-9-]+(\.|$)/.test(name)) fail("name", `an SRV record's name is _<service>._<protocol>[.host], e.g. "_sip._tcp", got ${JSON.stringify(name)}`);
    }

    switch (t) {
        case "A":
            check("address", ipv4());
            break;
        case "AAAA":
            check("address", (x, n) => (typeof x === "string" && isIPv6(x) && !x.includes("%") ? x.toLowerCase() : bad(`\`${n}\` must be an IPv6 address like 2001:db8::10, got ${JSON.stringify(x)}`)));
            break;
        case "CNAME":
        case "DNAME":
            check("target", targetRule({ underscore: true }));
            break;
        case "ALIAS":
        case "NS":
        case "PTR":
            check("target", targetRule());
            break;
        case "MX":
            check("priority", u16);
            check("target", targetRule());
            break;
        case "SRV": {
            check("priority", u16);
            check("weight", u16);
            check("port", u16);
            const tg = check("target", targetRule({ root: true, underscore: true }));
            // The SRV data regex takes at most 64 characters per field (dns_srv.tform.php).
            if (typeof tg === "string" && tg.length > 64) fail("target", `the panel stores an SRV target of at most 64 characters; ${JSON.stringify(tg)} has ${tg.length}`);
            break;
        }
        case "CAA": {
            const f = check("flags", u8);
            if (typeof f === "number" && f !== 0 && f !== 128) fail("flags", `CAA flags are 0, or 128 (critical); got ${f}`);
            const tag = check("tag", (x, n) => (typeof x === "string" && CAA_TAGS.includes(x.toLowerCase()) ? x.toLowerCase() : bad(`\`${n}\` must be one of ${CAA_TAGS.join(", ")} (RFC 8659), got ${JSON.stringify(x)}`)));
            const val = check("value", (x, n) => (typeof x === "string" ? zoneText(x, n, "a CAA value") : bad(`\`${n}\` must be a string`)));
            if (typeof tag === "string" && typeof val === "string") {
                if ((tag === "issue" || tag === "issuewild" || tag === "issuemail") && !/^(;|[a-z0-9.-]+\.[a-z]{2,63}\.?)?(\s*;\s*([a-z0-9]+=[\x21-\x3a\x3c-\x7e]*\s*;?\s*)*)?$/i.test(val.trim())) {
                    fail("value", `a CAA ${tag} value is a CA's domain, e.g. "letsencrypt.org" (optionally with "; key=value" parameters), or ";" to allow none; got ${JSON.stringify(val)}`);
                }
                if (tag === "iodef" && !/^(mailto:[^\s@]+@[^\s@]+|https?:\/\/\S+)$/.test(val)) fail("value", `a CAA iodef value is a mailto: or http(s):// URL, got ${JSON.stringify(val)}`);
                if (tag === "contactemail" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(val)) fail("value", `a CAA contactemail value is an e-mail address, got ${JSON.stringify(val)}`);
                if (tag === "contactphone" && !/^\+?[0-9 ()-]{4,}$/.test(val)) fail("value", `a CAA contactphone value is a phone number, got ${JSON.stringify(val)}`);
            }
            break;
        }
        case "DS": {
            check("keyTag", u16);
            check("algorithm", int(1, 255));
            const dt = check("digestType", int(1, 255));
            const d = check("digest", digestRule);
            const want: Record<number, number> = { 1: 40, 2: 64, 3: 64, 4: 96 };
            if (typeof dt === "number" && !(dt in want)) fail("digestType", `DS digest types are 1 (SHA-1), 2 (SHA-256), 3 (GOST) and 4 (SHA-384), got ${dt}`);
            if (typeof dt === "number" && typeof d === "string" && want[dt] && d.length !== want[dt]) fail("digest", `a DS digest of type ${dt} has ${want[dt]} hex digits, got ${d.length}`);
            if (typeof d === "string" && has(declared, "digest")) declared.digest = d.toUpperCase();
            break;
        }
        case "SSHFP": {
            const a = check("algorithm", int(1, 255));
            if (typeof a === "number" && ![1, 2, 3, 4, 6].includes(a)) fail("algorithm", `SSHFP algorithms are 1 (RSA), 2 (DSA), 3 (ECDSA), 4 (Ed25519) and 6 (Ed448), got ${a}`);
            const ft = check("fingerprintType", int(1, 255));
            const fp = check("fingerprint", fingerprintRule);
            const want: Record<number, number> = { 1: 40, 2: 64 };
            if (typeof ft === "number" && !(ft in want)) fail("fingerprintType", `SSHFP fingerprint types are 1 (SHA-1) and 2 (SHA-256), got ${ft}`);
            if (typeof ft === "number" && typeof fp === "string" && want[ft] && fp.length !== want[ft]) fail("fingerprint", `an SSHFP fingerprint of type ${ft} has ${want[ft]} hex digits, got ${fp.length}`);
            if (typeof fp === "string" && has(declared, "fingerprint")) declared.fingerprint = fp.toLowerCase();
            break;
        }
        case "TLSA": {
            // The panel's data regex takes one digit per number (dns_tlsa.tform.php).
            check("usage", int(0, 3));
            check("selector", int(0, 1));
            const mt = check("matchingType", int(0, 2));
            const cd = check("certificate", certificateRule);
            const want: Record<number, number> = { 1: 64, 2: 128 };
            if (typeof mt === "number" && typeof cd === "string" && want[mt] && cd.length !== want[mt]) fail("certificate", `TLSA data of matching type ${mt} has ${want[mt]} hex digits, got ${cd.length}`);
            if (typeof cd === "string" && has(declared, "certificate")) declared.certificate = cd.toLowerCase();
            break;
        }
        case "HINFO":
            for (const k of ["cpu", "os"]) check(k, (x, n) => (typeof x !== "string" ? bad(`\`${n}\` must be a string`) : x.length > 255 ? bad(`\`${n}\` is at most 255 characters`) : zoneText(x, n, "HINFO text")));
            break;
        case "LOC":
            check("location", locationRule);
            break;
        case "NAPTR": {
            check("order", u16);
            check("preference", u16);
            const fl = check("flags", (x, n) => (typeof x === "string" && /^[a-z0-9]?$/i.test(x) ? x.toUpperCase() : bad(`\`${n}\` of a NAPTR record is one letter or digit (S, A, U, P) or "", got ${JSON.stringify(x)}`)));
            void fl;
            check("service", (x, n) => (typeof x === "string" && /^[a-z0-9+:.-]{0,255}$/i.test(x) ? x : bad(`\`${n}\` of a NAPTR record holds letters, digits, '+', ':', '.' and '-' (e.g. "SIP+D2U", "E2U+sip"), got ${JSON.stringify(x)}`)));
            const re = check("regexp", (x, n) => (typeof x !== "string" ? bad(`\`${n}\` must be a string`) : x === "" ? x : /[^\x21-\x7e]/.test(x) ? bad(`\`${n}\` may only hold printable ASCII without spaces`) : x));
            const rep = check("replacement", targetRule({ root: true, underscore: true }));
            if (typeof re === "string" && re !== "" && typeof rep === "string" && rep !== ".") fail("replacement", `a NAPTR record has a regexp or a replacement, not both (RFC 3403): set \`replacement\` to "." when \`regexp\` is used`);
            break;
        }
        case "RP": {
            const mb = check("mailbox", rpMailboxRule);
            const tx = check("txtName", (x, n) => (x === "." ? "." : targetRule({ underscore: true })(x, n)));
            // The panel's RP data regex: word characters, dots, dashes and spaces, at most 128.
            if (typeof mb === "string" && typeof tx === "string" && `${mb} ${tx}`.length > 128) fail("mailbox", `the panel stores RP data of at most 128 characters; "${mb} ${tx}" has ${mb.length + tx.length + 1}`);
            break;
        }
        case "TXT":
            check("value", txtValue);
            break;
    }
}
