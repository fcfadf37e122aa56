import * as api from "../api";
import { adoptField, ArgsOf, Declaration, defineResource, Fields, OutputsOf, Rule } from "./kit";
import { absoluteName } from "./recordName";
import { recordNameRule } from "./recordName";
import { bool, int, ipv4, secondsRule } from "./validate";
import { originOf, readName, recordHooks } from "./dnsRecordHooks";
import { recordGate } from "./programClaims";

/*
 * ARecord: a DnsRecord with its type fixed to A, kept so existing stacks work unchanged (same
 * type token, inputs, outputs and state; no replace on upgrade). It is a declaration over the
 * same record hooks as DnsRecord (dnsRecordHooks.ts), so the type column, serial, owner, read
 * and adopt rules are one code path for both.
 */

/** A zone id as the program has it: `zone.id` is a string, a literal id a number. */
const zoneIdRule = int(1, 2147483647) as Rule<string | number>;

/** Outputs computed from the stored row (not inputs). */
const computed = {
    /** The absolute name, e.g. `www.example.com.`. */
    fqdn: async (r: api.DnsRecordRow, props: Record<string, any>, c: api.Caller) => absoluteName(await readName(r, props, c), await originOf(c, r.zone)),
    /** The DNS server of the record (its zone's). */
    serverId: (r: api.DnsRecordRow) => r.server_id,
};

/** The inputs of an {@link ARecord}; each is also an output, as stored. */
const fields = {
    /** Id of the zone the record lives in, usually `zone.id` of a {@link DnsZone}. Changing it replaces the record. */
    zoneId: { rule: zoneIdRule, required: true, replaces: true, read: (r) => r.zone },
    /**
     * The record's name: relative (`www`), `@` for the zone itself, `*` for a wildcard, or
     * absolute with a trailing dot (`www.example.com.`). Stored the way the panel's UI stores it
     * (`@` as the zone's origin), read back as declared. Lower-cased.
     */
    name: { rule: recordNameRule, required: true, read: readName },
    /** IPv4 address, e.g. `192.0.2.10`. */
    address: { rule: ipv4(), required: true, column: "data" },
    /** Time to live in seconds, ≥ 60. Default 3600. */
    ttl: { rule: secondsRule, default: 3600, column: "ttl" },
    /** Whether the record is served. Default true. */
    active: { rule: bool(), default: true, column: "active" },
    /**
     * The stored record type: always `A` after an `up`. Not an input: every record of this
     * resource must be an A record, and a record hit by the type-column bug (type '') reads back
     * as a change that the next `up` repairs.
     */
    type: { rule: (): string => "A", column: "type", internal: true },
    /** Take over an existing record with the same zone, name and address instead of adding a second one (the import path). Default false. */
    adopt: adoptField,
} satisfies Fields<api.DnsRecordRow>;

const decl: Declaration<api.DnsRecordRow> = {
    type: "ARecord", idOutput: "recordId",
    deleteBeforeReplace: false, // the panel allows the same name and address in two zones
    fields, computed, fixed: { type: "A" },
    ...recordHooks({
        typeOf: () => "A",
        typeFields: (i) => (i.address !== undefined ? { address: i.address } : {}),
        // ARecord keeps its one-call create (no zone listing before the add), as before DnsRecord.
        clashCheck: false,
        dataOutput: false,
    }),
    gate: (name, args) => recordGate("ARecord", name, args, "A"),
    gateField: "name",
};

/** Inputs of an {@link ARecord}. */
export type ARecordArgs = ArgsOf<typeof fields>;
/** Outputs of an {@link ARecord}: every input as stored, `fqdn`, `type`, `serverId`, and `recordId` (the panel id as a number). */
export type ARecordOutputs = OutputsOf<typeof fields, typeof computed, "recordId">;

/** The operations, the provider object (serialized into state; holds no credential) and the class. */
export const aRecord = defineResource<ARecordArgs, ARecordOutputs>(decl);

/**
 * A DNS A record in an ISPConfig zone. Replaces on: `zoneId`. Always stored with type `A`
 * (repairing the panel's empty-type bug), owned by the zone's owner, and every change moves
 * the zone serial. Same as a {@link DnsRecord} of type `A`.
 */
export const ARecord = aRecord.Resource;
export type ARecord = InstanceType<typeof ARecord>;
