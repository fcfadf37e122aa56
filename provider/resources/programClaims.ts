import * as pulumi from "@pulumi/pulumi";

/*
 * Program-side: a DNS record is declared in one place only. DnsRecord and ARecord resources and
 * DnsZoneRecords sets register what they declare, once their zone id is known (in a preview of
 * an existing zone, too). Each gets a hidden input that says "ok" or why it clashes; the
 * provider's check fails on the latter (kit.ts), so both resources fail in check with one clean
 * message naming both, before any call — nothing is written:
 * - the same name and type in a set and in a DnsRecord (an RRset lives in one resource: two would
 *   both write it, or the set's adopt would take the DnsRecord's record over);
 * - any DnsRecord in the zone of an authoritative set (the set would delete it as undeclared);
 * - two sets on one zone declaring the same name and type, or beside an authoritative one.
 * Names are compared as written (lower-cased); `www` and `www.example.com.` are the same DNS
 * name but are told apart only by the provider (recordClaims.ts), which keeps a record held by
 * one from being deleted by the other.
 */

interface RecordDecl {
    resource: string;
    typeName: string;
    panel: string;
    zone: string;
    type: string;
    name: string;
}
interface SetDecl {
    resource: string;
    panel: string;
    zone: string;
    authoritative: boolean;
    rrsets: Set<string>;
}

// One registry per program, even if two copies of the package are loaded.
const REG: { records: RecordDecl[]; sets: SetDecl[] } = ((globalThis as any)[Symbol.for("pulumi-ispconfig/programClaims")] ??= { records: [], sets: [] });

const rrset = (name: unknown, type: unknown) => `${String(name).toLowerCase()} ${String(type).toUpperCase()}`;

function clash(s: SetDecl, r: RecordDecl): string | undefined {
    if (s.panel !== r.panel || s.zone !== r.zone) return undefined;
    if (s.authoritative) {
        return (
            `DnsZoneRecords "${s.resource}" is authoritative for zone ${s.zone}: it would delete the ${r.type} record "${r.name}" ` +
            `declared by ${r.typeName} "${r.resource}". Move that record into the set's \`records\` (and remove the ${r.typeName}), or set \`authoritative: false\`.`
        );
    }
    if (s.rrsets.has(rrset(r.name, r.type))) {
        return (
            `the ${r.type} record(s) at "${r.name}" in zone ${s.zone} are declared both in DnsZoneRecords "${s.resource}" and in ${r.typeName} ` +
            `"${r.resource}"; a record is managed by one resource only. Keep them in one of the two (README: "Moving records between DnsRecord and DnsZoneRecords").`
        );
    }
    return undefined;
}

function setClash(a: SetDecl, b: SetDecl): string | undefined {
    if (a === b || a.panel !== b.panel || a.zone !== b.zone) return undefined;
    const auth = a.authoritative ? a : b.authoritative ? b : undefined;
    if (auth) {
        const other = auth === a ? b : a;
        return `DnsZoneRecords "${auth.resource}" is authoritative for zone ${a.zone}: it would delete the records of DnsZoneRecords "${other.resource}". Merge the two sets, or set \`authoritative: false\`.`;
    }
    const both = [...a.rrsets].filter((x) => b.rrsets.has(x));
    if (both.length) {
        return `DnsZoneRecords "${a.resource}" and "${b.resource}" both declare ${both.slice(0, 3).map((x) => `"${x}"`).join(", ")} in zone ${a.zone}; a record is managed by one resource only: keep it in one of them.`;
    }
    return undefined;
}

/** After every declaration whose zone resolved in the same turn has registered. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The gate's answer: "ok", or the clash (check fails with it). */
export const GATE_OK = "ok";

/** The hidden input of a DnsRecord/ARecord: "ok" when no set declares its record, else the clash. */
export function recordGate(typeName: string, resource: string, args: Record<string, any>, fixedType?: string): pulumi.Output<string> {
    return pulumi.all([args.zoneId, fixedType ?? args.type, args.name, args.panel]).apply(async ([zone, type, name, panel]) => {
        const r: RecordDecl = { resource, typeName, panel: String(panel ?? ""), zone: String(zone), type: String(type).toUpperCase(), name: String(name).toLowerCase() };
        REG.records.push(r);
        await settle();
        const problems = REG.sets.map((s) => clash(s, r)).filter((m): m is string => !!m);
        return problems.length ? problems.join("\n") : GATE_OK;
    });
}

/** The hidden input of a DnsZoneRecords: "ok" when no DnsRecord declares one of its records, else the clash. */
export function setGate(resource: string, args: Record<string, any>): pulumi.Output<string> {
    return pulumi.all([args.zoneId, args.records, args.authoritative, args.panel]).apply(async ([zone, records, authoritative, panel]) => {
        const list: any[] = Array.isArray(records) ? records : [];
        const s: SetDecl = { resource, panel: String(panel ?? ""), zone: String(zone), authoritative: authoritative === true, rrsets: new Set(list.map((x) => rrset(x?.name, x?.type))) };
        REG.sets.push(s);
        await settle();
        const problems = [...REG.records.map((r) => clash(s, r)), ...REG.sets.map((o) => setClash(s, o))].filter((m): m is string => !!m);
        return problems.length ? problems.join("\n") : GATE_OK;
    });
}
