import * as api from "../api";
import { adoptField, Declaration, defineResource, Field, Fields, OutputsOf, resolve, Rule, VariantArgsOf } from "./kit";
import { absoluteName } from "./recordName";
import { recordNameRule } from "./recordName";
import { bool, CheckFailure, InputChecker, int, secondsRule } from "./validate";
import { recordGate } from "./programClaims";
import { isUnknown } from "./unknown";
import {
    certificateRule, checkTypeFields, digestRule, fingerprintRule, flagsRule, locationRule, recordTypeRule, textRule, u16,
} from "./dnsRecordRules";
import { originOf, readName, recordHooks } from "./dnsRecordHooks";

/** A zone id as the program has it: `zone.id` is a string, a literal id a number. */
const zoneIdRule = int(1, 2147483647) as Rule<string | number>;

/** The record's type as stored, or the declared one when the type-column bug emptied it. */
function effectiveType(r: api.DnsRecordRow, props: Record<string, any>): api.DnsRecordType | undefined {
    if (api.isDnsRecordType(r.type)) return r.type;
    return api.isDnsRecordType(props.type) ? props.type : undefined;
}

/** A type-specific input: read back by decoding the stored data/aux the way the UI wrote them. */
function typeField<T>(rule: Rule<T>, extra: Partial<Field<T, api.DnsRecordRow>> = {}): Field<T, api.DnsRecordRow> {
    return {
        rule,
        ...extra,
        async read(r, props, c) {
            const t = effectiveType(r, props);
            const k = (this as { key?: string }).key;
            if (!t || !k) return undefined;
            const v = api.decodeRecord(t, r.data, r.aux)[k];
            // A target declared as `@` is stored as the origin: read back as declared.
            if (props[k] === "@" && typeof v === "string" && v === (await originOf(c, r.zone))) return "@";
            return v;
        },
    };
}

const byType = (m: Partial<Record<api.DnsRecordType, unknown>>) => (_d: unknown, i: Record<string, any>) => m[i.type as api.DnsRecordType];

/** A target: `@` is the zone itself; otherwise absolute, stored with its dot. */
const targetField = typeField(textRule as Rule<string>);

/** The inputs of a {@link DnsRecord}; each is also an output, as stored. */
const fields = {
    /** Id of the zone the record lives in, usually `zone.id` of a {@link DnsZone}. Changing it replaces the record. */
    zoneId: { rule: zoneIdRule, required: true, replaces: true, read: (r) => r.zone },
    /**
     * The record type: one of A, AAAA, ALIAS, CAA, CNAME, DNAME, DS, HINFO, LOC, MX, NAPTR, NS,
     * PTR, RP, SRV, SSHFP, TLSA, TXT. Changing it replaces the record (the old one is deleted
     * first). A record whose type the panel lost (stored empty) is repaired in place.
     */
    type: { rule: recordTypeRule, required: true, replaces: true, read: (r) => r.type },
    /**
     * The record's name: relative (`www`), `@` for the zone itself, `*` for a wildcard, or absolute
     * with a trailing dot (`www.example.com.`). Stored the way the panel's UI stores it (`@` as the
     * zone's origin), read back as declared. Lower-cased. SRV: `_service._proto[.host]`; TLSA:
     * `_port._tcp[.host]`.
     */
    name: { rule: recordNameRule, required: true, read: readName },
    /** A: IPv4 address (`192.0.2.10`); AAAA: IPv6 address (`2001:db8::10`). */
    address: typeField(textRule as Rule<string>),
    /**
     * ALIAS, CNAME, DNAME, MX, NS, PTR, SRV: the host it points to, e.g. `mail.example.com`
     * (always absolute; stored with the trailing dot, as the UI's wizard does), or `@` for the
     * zone itself.
     */
    target: targetField,
    /** MX, SRV: priority, 0–65535, lower is preferred. Default 10 for MX, 0 for SRV (the panel's). Stored in `aux`. */
    priority: typeField(u16, { default: byType({ MX: 10, SRV: 0 }) }),
    /** SRV: weight among records of the same priority, 0–65535. */
    weight: typeField(u16),
    /** SRV: the service's port, 0–65535. */
    port: typeField(u16),
    /** CAA: 0, or 128 (critical). Default 0. NAPTR: one letter (`S`, `A`, `U`, `P`) or `""`. Default `""`. */
    flags: typeField(flagsRule as Rule<number | string>, { default: byType({ CAA: 0, NAPTR: "" }) }),
    /** CAA: `issue`, `issuewild`, `iodef`, `issuemail`, `contactemail` or `contactphone`. */
    tag: typeField(textRule as Rule<"issue" | "issuewild" | "iodef" | "issuemail" | "contactemail" | "contactphone">),
    /**
     * TXT: the text, of any length (DKIM keys are longer than 255 characters: the panel's server
     * splits them into 255-byte strings), without surrounding quotes; printable ASCII, no `"` or `\`.
     * CAA: the value, e.g. `letsencrypt.org` (stored quoted, as the UI does).
     */
    value: typeField(textRule as Rule<string>),
    /** DS: key tag, 0–65535. */
    keyTag: typeField(u16),
    /** DS: DNSSEC algorithm number (e.g. 13); SSHFP: 1 RSA, 2 DSA, 3 ECDSA, 4 Ed25519, 6 Ed448. */
    algorithm: typeField(u16),
    /** DS: digest type, 1 SHA-1, 2 SHA-256, 3 GOST, 4 SHA-384. */
    digestType: typeField(u16),
    /** DS: the digest in hex (40, 64 or 96 digits by digest type); stored upper-case. */
    digest: typeField(digestRule),
    /** SSHFP: 1 SHA-1 (40 hex digits) or 2 SHA-256 (64). */
    fingerprintType: typeField(u16),
    /** SSHFP: the fingerprint in hex; stored lower-case. */
    fingerprint: typeField(fingerprintRule),
    /** TLSA: certificate usage, 0–3 (3 = DANE-EE). */
    usage: typeField(u16),
    /** TLSA: selector, 0 (full certificate) or 1 (public key). */
    selector: typeField(u16),
    /** TLSA: matching type, 0 (exact), 1 (SHA-256, 64 hex digits), 2 (SHA-512, 128). */
    matchingType: typeField(u16),
    /** TLSA: certificate association data in hex; stored lower-case. */
    certificate: typeField(certificateRule),
    /** HINFO: the CPU (hardware) string, e.g. `PC-Intel`. */
    cpu: typeField(textRule as Rule<string>),
    /** HINFO: the operating system string, e.g. `Linux`. */
    os: typeField(textRule as Rule<string>),
    /** LOC: the location in RFC 1876 form, e.g. `52 22 23.000 N 4 53 32.000 E -2.00m 1m 10000m 10m`. */
    location: typeField(locationRule),
    /** NAPTR: order, 0–65535 (stored in `aux`). Default 100 (the panel's). */
    order: typeField(u16, { default: byType({ NAPTR: 100 }) }),
    /** NAPTR: preference among records of the same order, 0–65535. */
    preference: typeField(u16),
    /** NAPTR: service, e.g. `SIP+D2U` or `E2U+sip`. Default `""`. */
    service: typeField(textRule as Rule<string>, { default: byType({ NAPTR: "" }) }),
    /** NAPTR: substitution expression, e.g. `!^.*$!sip:info@example.com!`; use it or `replacement`, not both. Default `""`. */
    regexp: typeField(textRule as Rule<string>, { default: byType({ NAPTR: "" }) }),
    /** NAPTR: the next name to look up, or `.` when `regexp` is used. */
    replacement: typeField(textRule as Rule<string>),
    /** RP: the responsible person's mailbox, `hostmaster@example.com` (stored `hostmaster.example.com.`), or `.`. */
    mailbox: typeField(textRule as Rule<string>),
    /** RP: the name of a TXT record with more about the person, or `.`. */
    txtName: typeField(textRule as Rule<string>),
    /** Time to live in seconds, ≥ 60. Default 3600 (TLSA: 7200, the panel's). */
    ttl: { rule: secondsRule, default: (_d: unknown, i: Record<string, any>) => (i.type === "TLSA" ? 7200 : 3600), column: "ttl" },
    /** Whether the record is served. Default true. */
    active: { rule: bool(), default: true, column: "active" },
    /** Take over an existing record with the same zone, type, name and data instead of adding a second one (the import path). Default false. */
    adopt: adoptField,
} satisfies Fields<api.DnsRecordRow>;

// Each type field reads its own key.
for (const [k, f] of Object.entries(fields)) if ("read" in f && f.read && !("column" in f)) (f as { key?: string }).key = k;

const COMMON = ["zoneId", "type", "name", "ttl", "active", "adopt"] as const;

const computed = {
    /** The absolute name, e.g. `www.example.com.`. */
    fqdn: async (r: api.DnsRecordRow, props: Record<string, any>, c: api.Caller) => absoluteName(await readName(r, props, c), await originOf(c, r.zone)),
    /** The DNS server of the record (its zone's). */
    serverId: (r: api.DnsRecordRow) => r.server_id,
    /** The record's data column as the panel stores it (and the BIND writer writes it). */
    data: (r: api.DnsRecordRow) => r.data,
};

type F = typeof fields;
type Common = (typeof COMMON)[number];
/** The fields each type takes (besides zoneId, name, ttl, active, adopt). */
interface TypeFields {
    A: "address";
    AAAA: "address";
    ALIAS: "target";
    CAA: "flags" | "tag" | "value";
    CNAME: "target";
    DNAME: "target";
    DS: "keyTag" | "algorithm" | "digestType" | "digest";
    HINFO: "cpu" | "os";
    LOC: "location";
    MX: "priority" | "target";
    NAPTR: "order" | "preference" | "flags" | "service" | "regexp" | "replacement";
    NS: "target";
    PTR: "target";
    RP: "mailbox" | "txtName";
    SRV: "priority" | "weight" | "port" | "target";
    SSHFP: "algorithm" | "fingerprintType" | "fingerprint";
    TLSA: "usage" | "selector" | "matchingType" | "certificate";
    TXT: "value";
}

type V<Own extends keyof F, Required extends Own = Own> = { own: Own; required: Required };
/** Per type: its own fields, and which of them it cannot do without (the others have defaults). */
type Variants = {
    A: V<TypeFields["A"]>;
    AAAA: V<TypeFields["AAAA"]>;
    ALIAS: V<TypeFields["ALIAS"]>;
    CAA: V<TypeFields["CAA"], "tag" | "value">;
    CNAME: V<TypeFields["CNAME"]>;
    DNAME: V<TypeFields["DNAME"]>;
    DS: V<TypeFields["DS"]>;
    HINFO: V<TypeFields["HINFO"]>;
    LOC: V<TypeFields["LOC"]>;
    MX: V<TypeFields["MX"], "target">;
    NAPTR: V<TypeFields["NAPTR"], "preference" | "replacement">;
    NS: V<TypeFields["NS"]>;
    PTR: V<TypeFields["PTR"]>;
    RP: V<TypeFields["RP"]>;
    SRV: V<TypeFields["SRV"], "weight" | "port" | "target">;
    SSHFP: V<TypeFields["SSHFP"]>;
    TLSA: V<TypeFields["TLSA"]>;
    TXT: V<TypeFields["TXT"]>;
};

/**
 * Inputs of a {@link DnsRecord}: the common fields, and those of the chosen `type` (editors
 * offer exactly those once `type` is written).
 */
export type DnsRecordArgs = VariantArgsOf<F, "type", Common, Variants>;
/** Outputs of a {@link DnsRecord}: every input as stored, `fqdn`, `serverId`, `data`, and `recordId` (the panel id as a number). */
export type DnsRecordOutputs = OutputsOf<F, typeof computed, "recordId">;

const hooks = recordHooks({
    typeOf: (i) => (api.isDnsRecordType(i.type) ? i.type : "A"),
    typeFields(i) {
        const t = api.isDnsRecordType(i.type) ? i.type : undefined;
        const out: api.RecordFields = {};
        if (!t) return out;
        for (const k of api.RECORD_CODECS[t].fields) if (i[k] !== undefined) out[k] = i[k];
        return out;
    },
    clashCheck: true,
    dataOutput: true,
});

const decl: Declaration<api.DnsRecordRow> = {
    type: "DnsRecord", idOutput: "recordId",
    deleteBeforeReplace: false, // a zone change: the new record first, then the old one goes
    fields, computed,

    checkMore(declared, resolved, fail) {
        const t = declared.type;
        if (!api.isDnsRecordType(t)) return; // unknown in preview: checked again at `up`
        checkTypeFields(t, declared, resolved, fail, isUnknown);
    },

    diffMore(olds, news, changed) {
        if (!changed.includes("type")) return;
        // The type-column bug: a row that lost its type is repaired in place, never replaced.
        if (olds.type === "" || olds.type === null || olds.type === undefined) return { inPlace: ["type"] };
        // Another type is another record: the old one goes first, or a CNAME and the record it
        // replaces would share the name for a moment (BIND rejects such a zone).
        return { deleteBeforeReplace: true };
    },

    ...hooks,
    gate: (name, args) => recordGate("DnsRecord", name, args),
    gateField: "name",
};

/** The fields a record of a DnsZoneRecords takes: a DnsRecord's, without zoneId and adopt (the set's). */
export const RECORD_SPEC_FIELDS = Object.keys(fields).filter((k) => k !== "zoneId" && k !== "adopt");

/**
 * One record as a DnsZoneRecords declares it, checked by exactly the rules of a DnsRecord: the
 * normalised fields (only those declared) and the problems, each naming its field.
 */
export function checkRecordSpec(v: unknown): { spec: Record<string, any>; failures: CheckFailure[] } {
    if (!v || typeof v !== "object" || Array.isArray(v)) {
        return { spec: {}, failures: [{ property: "", reason: `must be a record such as { type: "A", name: "www", address: "192.0.2.10" }, got ${JSON.stringify(v)}` }] };
    }
    const c = new InputChecker(v as Record<string, unknown>);
    for (const k of Object.keys(v)) {
        if (RECORD_SPEC_FIELDS.includes(k) || (v as Record<string, unknown>)[k] === undefined) continue;
        const why = k === "zoneId" ? "the set's `zoneId` holds for all its records" : k === "adopt" || k === "panel" ? `\`${k}\` is set on the DnsZoneRecords, not per record` : `a record takes ${RECORD_SPEC_FIELDS.map((f) => `\`${f}\``).join(", ")}`;
        c.fail(k, `\`${k}\` is not a field of a record here: ${why}`);
    }
    const f = fields as Record<string, Field>;
    for (const k of RECORD_SPEC_FIELDS) c.field(k, f[k].rule, { required: f[k].required });
    const t = c.out.type;
    if (api.isDnsRecordType(t)) checkTypeFields(t, c.out, resolve(decl, c.out, { clientId: 0, serverId: 0 }), (p, r) => c.fail(p, r), isUnknown);
    return { spec: c.out, failures: c.failures };
}

/** A record's declared fields with their create-time defaults (ttl, priority, flags, …). */
export function recordSpecDefaults(spec: Record<string, any>): Record<string, any> {
    const r = resolve(decl, spec, { clientId: 0, serverId: 0 });
    delete r.adopt;
    return r;
}

/** The operations, the provider object (serialized into state; holds no credential) and the class. */
export const dnsRecord = defineResource<DnsRecordArgs, DnsRecordOutputs>(decl);

/**
 * A DNS record of any of the panel's 18 types in an ISPConfig zone. Replaces on: `zoneId`,
 * `type`. Stored exactly as the panel's UI stores it (targets with their trailing dot, priority
 * in `aux`, TXT unquoted), always with its type (repairing the panel's empty-type bug), owned by
 * the zone's owner; every change moves the zone serial. A CNAME beside another record of the
 * same name is refused before anything is written.
 */
export const DnsRecord = dnsRecord.Resource;
export type DnsRecord = InstanceType<typeof DnsRecord>;
