import { DnsRecordType } from "./dnsTypeColumn";

/*
 * How the panel's UI stores each record type in `dns_rr.data` and `dns_rr.aux`
 * (ispconfig-dns-types.md §9.2/§9.4; `interface/web/dns/dns_<t>_edit.php`). The BIND writer
 * (server/conf/bind_pri.domain.master) writes `{name} {ttl} {TYPE} [{aux}] {data}` as stored and
 * quotes only TXT, so what is stored must already be valid zone-file text for the type:
 * - targets are absolute, with the trailing dot (without it BIND appends the zone:
 *   `www.z.test` becomes `www.z.test.z.test.`); `@` means the zone's origin (ALIAS/CNAME/DNAME pages);
 * - MX and SRV priority and NAPTR order live in `aux`, never in `data` (their data regexes refuse it);
 * - SRV data is `weight port target` (dns_srv_edit.php composes it);
 * - NAPTR data is `pref "flags" "service" "regexp" replacement.` with `\` and `"` escaped
 *   (dns_naptr_edit.php:onSubmit, zoneFileEscape);
 * - CAA data is `flags tag "value"` (dns_caa_edit.php; issue/issuewild, quoted);
 * - TXT data is stored without quotes (the page strips one pair; the template adds them and
 *   splits data longer than 255 bytes into 255-byte strings);
 * - HINFO is `cpu os` (two words), quoted per string when one holds a space (the page's quote
 *   stripping would mangle `"a" "b"`; the API stores it as sent, which BIND reads right);
 * - DS as `keytag alg digesttype DIGEST` (upper-case hex), SSHFP and TLSA lower-case hex.
 * The fields here are already validated (resources/dnsRecordRules.ts), so encode never fails.
 */

export type RecordFields = Record<string, string | number | undefined>;

/** A target as stored: `@` is the origin; everything else is absolute with its dot (check added it). */
export function storedTarget(target: string, origin: string): string {
    return target === "@" ? origin : target;
}

const quote = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
function unquote(s: string): string {
    return s.startsWith('"') && s.endsWith('"') && s.length >= 2 ? s.slice(1, -1).replace(/\\(.)/g, "$1") : s;
}
/**
 * DS, SSHFP and TLSA: numeric fields then one hex string, stored in `data` as the UI stores it
 * (the hex in the case its form writes; read back joined, as BIND may split it into groups).
 */
function numbersThenHex(numbers: string[], hex: string, hexCase: "upper" | "lower"): Codec {
    const norm = (v: unknown) => (hexCase === "upper" ? String(v).toUpperCase() : String(v).toLowerCase());
    return {
        fields: [...numbers, hex],
        composite: true,
        encode: (f) => ({ data: [...numbers.map((k) => f[k]), norm(f[hex])].join(" ") }),
        decode: (data) => {
            const w = data.trim().split(/\s+/);
            const out: RecordFields = {};
            numbers.forEach((k, i) => (out[k] = intOr(w[i])));
            out[hex] = w.slice(numbers.length).map(norm).join("") || undefined;
            return out;
        },
    };
}

/** Splits zone-file text into words, keeping "quoted strings" (with escapes) whole. */
function words(s: string): string[] {
    return s.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
}
const intOr = (s: string | undefined): number | string | undefined => (s !== undefined && /^\d+$/.test(s) ? Number(s) : s);

interface Codec {
    /** The fields of the type, in the order a person writes them. */
    fields: readonly string[];
    /** Fields whose values are composed into `data` together (an update needs all of them). */
    composite?: boolean;
    encode(f: RecordFields, origin: string): { data: string; aux?: number };
    decode(data: string, aux: number): RecordFields;
}

const target = (field = "target"): Codec => ({
    fields: [field],
    encode: (f, origin) => ({ data: storedTarget(String(f[field]), origin) }),
    decode: (data) => ({ [field]: data }),
});

export const RECORD_CODECS: Record<DnsRecordType, Codec> = {
    A: { fields: ["address"], encode: (f) => ({ data: String(f.address) }), decode: (d) => ({ address: d }) },
    AAAA: { fields: ["address"], encode: (f) => ({ data: String(f.address) }), decode: (d) => ({ address: d }) },
    ALIAS: target(),
    CNAME: target(),
    DNAME: target(),
    NS: target(),
    PTR: target(),
    MX: {
        fields: ["priority", "target"],
        encode: (f, origin) => ({ data: storedTarget(String(f.target), origin), aux: f.priority as number | undefined }),
        decode: (data, aux) => ({ priority: aux, target: data }),
    },
    SRV: {
        fields: ["priority", "weight", "port", "target"],
        composite: true,
        encode: (f, origin) => ({ data: `${f.weight} ${f.port} ${storedTarget(String(f.target), origin)}`, aux: f.priority as number | undefined }),
        decode: (data, aux) => {
            const [weight, port, t] = data.trim().split(/\s+/);
            return { priority: aux, weight: intOr(weight), port: intOr(port), target: t };
        },
    },
    CAA: {
        fields: ["flags", "tag", "value"],
        composite: true,
        encode: (f) => ({ data: `${f.flags} ${f.tag} ${quote(String(f.value))}` }),
        decode: (data) => {
            const m = /^\s*(\d+)\s+(\S+)\s+(.*?)\s*$/.exec(data);
            return m ? { flags: Number(m[1]), tag: m[2], value: unquote(m[3]) } : {};
        },
    },
    DS: numbersThenHex(["keyTag", "algorithm", "digestType"], "digest", "upper"),
    SSHFP: numbersThenHex(["algorithm", "fingerprintType"], "fingerprint", "lower"),
    TLSA: numbersThenHex(["usage", "selector", "matchingType"], "certificate", "lower"),
    HINFO: {
        fields: ["cpu", "os"],
        composite: true,
        encode: (f) => {
            const w = (s: string) => (/[\s"]/.test(s) ? quote(s) : s);
            return { data: `${w(String(f.cpu))} ${w(String(f.os))}` };
        },
        decode: (data) => {
            const [cpu, os] = words(data).map(unquote);
            return { cpu, os };
        },
    },
    LOC: { fields: ["location"], encode: (f) => ({ data: String(f.location) }), decode: (d) => ({ location: d }) },
    NAPTR: {
        fields: ["order", "preference", "flags", "service", "regexp", "replacement"],
        composite: true,
        encode: (f, origin) => ({
            data: `${f.preference} ${quote(String(f.flags ?? ""))} ${quote(String(f.service ?? ""))} ${quote(String(f.regexp ?? ""))} ${storedTarget(String(f.replacement), origin)}`,
            aux: f.order as number | undefined,
        }),
        decode: (data, aux) => {
            const w = words(data);
            return { order: aux, preference: intOr(w[0]), flags: w[1] && unquote(w[1]), service: w[2] && unquote(w[2]), regexp: w[3] && unquote(w[3]), replacement: w[4] };
        },
    },
    RP: {
        fields: ["mailbox", "txtName"],
        composite: true,
        encode: (f) => ({ data: `${f.mailbox} ${f.txtName}` }),
        decode: (data) => {
            const [mailbox, txtName] = data.trim().split(/\s+/);
            return { mailbox, txtName };
        },
    },
    TXT: { fields: ["value"], encode: (f) => ({ data: String(f.value) }), decode: (d) => ({ value: d }) },
};

/** The type-specific fields of a stored row, as a person writes them. */
export function decodeRecord(type: DnsRecordType, data: string, aux: number): RecordFields {
    return RECORD_CODECS[type].decode(String(data ?? ""), Number(aux ?? 0));
}

/** The `data` (and `aux` where the type has one) of a record's fields, as the UI stores them. */
export function encodeRecord(type: DnsRecordType, fields: RecordFields, origin: string): { data: string; aux?: number } {
    return RECORD_CODECS[type].encode(fields, origin);
}
