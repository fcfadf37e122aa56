import * as pulumi from "@pulumi/pulumi";
import * as api from "../api";
import { ISPConfigError } from "../soap/errors";
import { adoptField, Declaration, defineResource, Fields, OutputsOf, Rule } from "./kit";
import { bool, Failure, int } from "./validate";
import { isUnknown, UNKNOWN } from "./unknown";
import { checkRecordSpec, DnsRecordArgs, recordSpecDefaults } from "./dnsRecord";
import { storedRecordName } from "./dnsRecordHooks";
import { storedNameProblem } from "./dnsRecordRules";
import { absoluteName, nameAsDeclared } from "./recordName";
import { zoneFacts } from "./zoneFacts";
import { claimRecord, heldByOther, releaseRecord } from "./recordClaims";
import { setGate } from "./programClaims";

/*
 * DnsZoneRecords: many records of one zone as one resource, the way DNS-as-code tools (dnscontrol,
 * octoDNS) manage zones. Each record is checked, stored and read by the rules of a DnsRecord (the
 * same field rules and codecs); what differs is the plumbing:
 * - the records are a map in state, keyed like zone-file lines (`www A`, `@ MX mail.example.com.`),
 *   so `pulumi preview --diff` names each added, changed or removed record;
 * - an `up` lists the zone once and writes only the records that differ (zoneBatch.ts: one serial
 *   move for all of them, and every write undone if one fails);
 * - a refresh is one `dns_rr_get_all_by_zone`;
 * - `authoritative: true` also deletes the zone's records that are not declared (apex NS records
 *   only when the set declares apex NS itself: a zone without NS is never served);
 * - a record held by a DnsRecord/ARecord is never touched (recordClaims.ts, programClaims.ts).
 *
 * Matching declared records to stored ones (plan()): a record stored with the declared name, type
 * and declared fields is that record (a TTL or `active` change is an update); otherwise a record
 * this resource holds with the same name and type is updated in place (an address change touches
 * one record, keeps its id); otherwise an identical record not held by anyone is taken over only
 * with `adopt` (or `authoritative`); otherwise the record is added.
 */

type Spec = Record<string, any>;

/** One record of a {@link DnsZoneRecords}: a {@link DnsRecord}'s inputs without `zoneId` and `adopt`. */
export type ZoneRecordArgs = DnsRecordArgs extends infer U ? (U extends unknown ? Omit<U, "zoneId" | "adopt" | "panel"> : never) : never;

/** A zone id as the program has it: `zone.id` is a string, a literal id a number. */
const zoneIdRule = int(1, 2147483647) as Rule<string | number>;

/** The fields of a record that go into its key when one name has several records of a type. */
const typeFieldsOf = (s: Spec): string[] => (api.isDnsRecordType(s.type) ? api.RECORD_CODECS[s.type].fields.filter((k) => s[k] !== undefined) : []);

/** The map with its keys sorted: state compares as JSON, so key order must not depend on the list's. */
const byKey = <T>(m: Record<string, T>): Record<string, T> => Object.fromEntries(Object.keys(m).sort().map((k) => [k, m[k]]));

/** A record's fields in a fixed order (so equal records compare equal as JSON). */
function canonical(s: Spec): Spec {
    const out: Spec = { type: s.type, name: s.name };
    for (const k of typeFieldsOf(s)) out[k] = s[k];
    if (s.ttl !== undefined) out.ttl = s.ttl;
    if (s.active !== undefined) out.active = s.active;
    return out;
}

/** `www A` when the name has one record of the type; `@ MX 10 mail.example.com.` when it has several. */
function keysOf(specs: Spec[]): string[] {
    const base = specs.map((s) => `${s.name} ${s.type}`);
    const count = new Map<string, number>();
    for (const b of base) count.set(b, (count.get(b) ?? 0) + 1);
    return specs.map((s, i) => {
        if (count.get(base[i]) === 1) return base[i];
        const words = typeFieldsOf(s).map((k) => (isUnknown(s[k]) ? `?${i}` : String(s[k])));
        return [base[i], ...words].join(" ");
    });
}

/**
 * check: a list of records, each by a DnsRecord's rules, into the map kept in state. Every
 * problem is named by its place in the list and its field.
 */
function recordsRule(v: unknown, name: string): Record<string, Spec> | Failure {
    if (!Array.isArray(v)) return new Failure(`\`${name}\` must be a list of records, e.g. [{ type: "A", name: "www", address: "192.0.2.10" }], got ${typeof v}`);
    const problems: string[] = [];
    const specs: Spec[] = [];
    for (const [i, x] of v.entries()) {
        if (isUnknown(x) && (typeof x !== "object" || x === null)) {
            specs.push({ type: UNKNOWN, name: `?${i}` });
            continue;
        }
        const { spec, failures } = checkRecordSpec(x);
        const label = `\`${name}[${i}]\`${typeof (x as Spec)?.name === "string" ? ` (${(x as Spec).type ?? "?"} ${(x as Spec).name})` : ""}`;
        for (const f of failures) problems.push(`${label}${f.property ? ` ${f.property}` : ""}: ${f.reason}`);
        specs.push(canonical(spec));
    }
    if (problems.length) return new Failure(problems.slice(0, 10).join("; ") + (problems.length > 10 ? `; and ${problems.length - 10} more` : ""));
    const keys = keysOf(specs);
    const out: Record<string, Spec> = {};
    for (const [i, k] of keys.entries()) {
        if (out[k] !== undefined) return new Failure(`\`${name}\` declares the record ${JSON.stringify(k)} twice (at ${keys.indexOf(k)} and ${i}); remove one`);
        out[k] = specs[i];
    }
    // Sorted keys: the same records in another order are the same set.
    return byKey(out);
}

/** What the kit reads back: the zone's rows and what this resource knows of them. */
interface SetRow {
    zoneId: number;
    origin: string;
    serverId: number;
    rows: api.DnsRecordRow[];
    /** Key → id of the records this resource holds. */
    ids: Record<string, number>;
    authoritative: boolean;
}

/** A declared record, resolved against its zone. */
interface Wanted {
    key: string;
    spec: Spec;
    type: api.DnsRecordType;
    /** Stored name and absolute name. */
    name: string;
    abs: string;
    /** What an add writes (declared fields over the defaults). */
    columns: api.RecordColumns;
    /** The declared type fields as stored (`@` targets as the origin), for matching. */
    fields: api.RecordFields;
}

function wanted(key: string, spec: Spec, origin: string): Wanted {
    const type = spec.type as api.DnsRecordType;
    const full = recordSpecDefaults(spec);
    const name = storedRecordName(type, spec.name, origin);
    const enc = api.encodeRecord(type, full, origin);
    const fields: api.RecordFields = {};
    for (const k of typeFieldsOf(spec)) fields[k] = spec[k] === "@" ? origin : spec[k];
    return {
        key, spec, type, name,
        abs: api.absoluteStoredName(name, origin),
        columns: { name, data: enc.data, ...(enc.aux !== undefined ? { aux: enc.aux } : {}), ttl: full.ttl, active: full.active },
        fields,
    };
}

const sameValue = (a: unknown, b: unknown) => a === b || (a !== undefined && b !== undefined && String(a) === String(b));

/** The row is this declared record (name, type, declared type fields; ttl and active aside). */
function isThe(w: Wanted, r: api.DnsRecordRow, origin: string): boolean {
    if (!api.isOfType(w.type, r.type) || api.absoluteStoredName(r.name, origin) !== w.abs) return false;
    const got = api.decodeRecord(w.type, r.data, r.aux);
    return Object.entries(w.fields).every(([k, v]) => sameValue(got[k], v));
}

/** The columns of `r` that differ from what is declared for it (the type re-asserted). */
function changesFor(w: Wanted, r: api.DnsRecordRow, origin: string): Partial<api.RecordColumns> | undefined {
    const ch: Partial<api.RecordColumns> = {};
    if (!isThe(w, r, origin)) {
        // Declared type fields over the stored ones: undeclared parts of composite data keep the panel's value.
        const stored = api.isOfType(w.type, r.type) ? api.decodeRecord(w.type, r.data, r.aux) : {};
        const enc = api.encodeRecord(w.type, { ...recordSpecDefaults({ type: w.type, name: w.spec.name }), ...stored, ...w.spec }, origin);
        if (api.absoluteStoredName(r.name, origin) !== w.abs) ch.name = w.name;
        if (enc.data !== r.data) ch.data = enc.data;
        if (enc.aux !== undefined && enc.aux !== r.aux) ch.aux = enc.aux;
    }
    if (w.spec.ttl !== undefined && w.spec.ttl !== r.ttl) ch.ttl = w.spec.ttl;
    if (w.spec.active !== undefined && w.spec.active !== r.active) ch.active = w.spec.active;
    if (r.type !== w.type) ch.data ??= r.data; // the lost type: repaired by any update (the type rides along)
    return Object.keys(ch).length ? ch : undefined;
}

/**
 * A held record whose id is gone but whose exact copy nobody holds is still ours: the undo of a
 * failed `up` adds a deleted record back under a new id (and the state keeps the old one). Used
 * by the plan and by a refresh alike, so a refresh between the failed `up` and the next one does
 * not lose the record (the next `up` would refuse it as "already exists", or leave it behind).
 */
function rebindUndone(c: api.Caller, heldBefore: Record<string, number>, specs: Record<string, Spec>, rows: api.DnsRecordRow[], origin: string): Record<string, number> {
    const had = { ...heldBefore };
    const present = new Set(rows.map((r) => r.id));
    const allHeld = new Set(Object.values(had));
    for (const [key, id] of Object.entries(had)) {
        const spec = specs?.[key];
        if (present.has(id) || !spec || !api.isDnsRecordType(spec.type)) continue;
        const w = wanted(key, spec, origin);
        const copy = rows.find((r) => !allHeld.has(r.id) && !heldByOther(c, r.id, "DnsZoneRecords") && isThe(w, r, origin));
        if (copy) {
            had[key] = copy.id;
            allHeld.add(copy.id);
        }
    }
    return had;
}

interface Plan {
    ops: api.BatchOp[];
    /** Key → id of every declared record that exists and is kept, updated or taken over. */
    held: Map<string, number>;
    problems: string[];
}

/**
 * What to write so the zone holds the declared records. No call: `rows` is the zone's listing,
 * `had` the key → id this resource held before (empty at create).
 */
function plan(
    c: api.Caller,
    all: Wanted[],
    rows: api.DnsRecordRow[],
    heldBefore: Record<string, number>,
    hadSpecs: Record<string, Spec>,
    origin: string,
    opts: { adopt: boolean; authoritative: boolean },
): Plan {
    const ops: api.BatchOp[] = [];
    const held = new Map<string, number>();
    const problems: string[] = [];
    const had = rebindUndone(c, heldBefore, hadSpecs, rows, origin);
    const heldIds = new Set(Object.values(had));
    const ours = rows.filter((r) => heldIds.has(r.id));
    const isOurs = (r: api.DnsRecordRow) => heldIds.has(r.id);
    const isFree = (r: api.DnsRecordRow) => !heldIds.has(r.id) && !heldByOther(c, r.id, "DnsZoneRecords");
    const byId = new Map(rows.map((r) => [r.id, r]));
    const byName = new Map<string, api.DnsRecordRow[]>();
    for (const r of rows) {
        const k = api.absoluteStoredName(r.name, origin);
        byName.set(k, [...(byName.get(k) ?? []), r]);
    }
    const used = new Set<number>();
    /** The row this resource held under the key, if it is still there and not matched yet. */
    const heldUnder = (w: Wanted) => {
        const r = byId.get(had[w.key]);
        return r && isOurs(r) && !used.has(r.id) ? r : undefined;
    };
    const at = (w: Wanted, pred: (r: api.DnsRecordRow) => boolean) => (byName.get(w.abs) ?? []).find((x) => !used.has(x.id) && pred(x));
    const take = (w: Wanted, r: api.DnsRecordRow) => {
        used.add(r.id);
        held.set(w.key, r.id);
        const ch = changesFor(w, r, origin);
        if (ch) ops.push({ op: "update", key: w.key, type: w.type, before: r, changes: ch });
    };

    // 1. The same record (by what is declared), the one held under this key first.
    let rest: Wanted[] = [];
    for (const w of all) {
        const h = heldUnder(w);
        const r = h && isThe(w, h, origin) ? h : at(w, (x) => isOurs(x) && isThe(w, x, origin));
        if (r) take(w, r);
        else rest.push(w);
    }
    // 2. A held record of the same name and type, changed in place (keeps its id, touches one
    //    record); or the one held under this key, renamed in the panel (set back in place).
    let left: Wanted[] = [];
    for (const w of rest) {
        const h = heldUnder(w);
        const sameType = (x: api.DnsRecordRow) => api.isOfType(w.type, x.type);
        const r = (h && sameType(h) && api.absoluteStoredName(h.name, origin) === w.abs ? h : undefined) ?? at(w, (x) => isOurs(x) && sameType(x)) ?? (h && sameType(h) ? h : undefined);
        if (r) take(w, r);
        else left.push(w);
    }
    // 3. An identical record nobody holds: taken over with adopt or authoritative, or when this
    //    resource held the record before (an undone delete added it back with a new id).
    rest = left;
    left = [];
    for (const w of rest) {
        // With adopt, also a record a DnsRecord held: moving it into the set (its delete then leaves it).
        const r = at(w, (x) => isFree(x) && isThe(w, x, origin)) ?? (opts.adopt ? at(w, (x) => !isOurs(x) && isThe(w, x, origin)) : undefined);
        if (r && (opts.adopt || opts.authoritative || had[w.key] !== undefined)) take(w, r);
        else if (r) problems.push(`${JSON.stringify(w.key)} already exists in the zone (record ${r.id}, data ${JSON.stringify(r.data)}): set \`adopt: true\` to take it over, or remove it in the panel`);
        else left.push(w);
    }
    // 4. The rest is added.
    for (const w of left) ops.push({ op: "add", key: w.key, type: w.type, columns: w.columns });
    // 5. Held records no longer declared go; with authoritative, so do the zone's undeclared ones.
    const fallback = (r: api.DnsRecordRow): api.DnsRecordType => (api.isDnsRecordType(r.type) ? r.type : "A");
    for (const r of ours) if (!used.has(r.id) && !heldByOther(c, r.id, "DnsZoneRecords")) ops.push({ op: "delete", key: keyOfRow(r, origin), type: fallback(r), before: r });
    if (opts.authoritative) {
        const declaresApexNs = all.some((w) => w.type === "NS" && w.abs === origin);
        for (const r of rows) {
            if (used.has(r.id) || !isFree(r)) continue;
            if (!declaresApexNs && r.type === "NS" && api.absoluteStoredName(r.name, origin) === origin) continue;
            ops.push({ op: "delete", key: keyOfRow(r, origin), type: fallback(r), before: r });
        }
    }
    return { ops, held, problems };
}

/** A stored row's key, in the form of a declared one (for messages and undeclared records). */
function keyOfRow(r: api.DnsRecordRow, origin: string): string {
    const name = nameAsDeclared(r.name, undefined, origin);
    if (!api.isDnsRecordType(r.type)) return `${name} (no type) ${r.data}`;
    const f = api.decodeRecord(r.type, r.data, r.aux);
    const words = api.RECORD_CODECS[r.type].fields.map((k) => f[k]).filter((x) => x !== undefined && x !== "");
    return [name, r.type, ...words].join(" ");
}

/** A stored row in declared form: the fields declared in `spec`, or (undeclared rows) all of them. */
function specOfRow(r: api.DnsRecordRow, spec: Spec | undefined, origin: string): Spec {
    const type = api.isDnsRecordType(r.type) ? r.type : (spec?.type as api.DnsRecordType | undefined);
    const out: Spec = { type: r.type === "" ? "" : r.type, name: nameAsDeclared(r.name, spec?.name, origin) };
    // A TLSA at the apex was given as `_443._tcp` and stored with the origin.
    if (spec && absoluteName(spec.name, origin) === absoluteName(r.name.toLowerCase(), origin)) out.name = spec.name;
    if (!type) return { ...out, data: r.data };
    const got = api.decodeRecord(type, r.data, r.aux);
    const keys = spec ? typeFieldsOf(spec) : api.RECORD_CODECS[type].fields;
    for (const k of keys) {
        const v = got[k];
        if (v === undefined) continue;
        out[k] = spec?.[k] === "@" && v === origin ? "@" : v;
    }
    if (!spec || spec.ttl !== undefined) out.ttl = r.ttl;
    if (!spec || spec.active !== undefined) out.active = r.active;
    return out;
}

/** The records output: each declared record as stored; with authoritative, the undeclared ones too (they show as removals). */
function readRecords(s: SetRow, declared: Record<string, Spec>, c: api.Caller): Record<string, Spec> {
    const byId = new Map(s.rows.map((r) => [r.id, r]));
    const out: Record<string, Spec> = {};
    for (const [key, spec] of Object.entries(declared ?? {})) {
        const r = byId.get(s.ids[key]);
        if (r) out[key] = specOfRow(r, spec, s.origin);
    }
    if (s.authoritative) {
        const held = new Set(Object.values(s.ids));
        const declaresApexNs = Object.values(declared ?? {}).some((x) => x.type === "NS" && x.name === "@");
        for (const r of s.rows) {
            if (held.has(r.id) || heldByOther(c, r.id, "DnsZoneRecords")) continue;
            if (!declaresApexNs && r.type === "NS" && api.absoluteStoredName(r.name, s.origin) === s.origin) continue;
            let k = keyOfRow(r, s.origin);
            if (out[k] !== undefined || declared?.[k] !== undefined) k = `${k} #${r.id}`;
            out[k] = specOfRow(r, undefined, s.origin);
        }
    }
    return byKey(out);
}

/** The problems the panel would not catch, over the zone as it will be: names too long, CNAME clashes. */
function refuseBadZone(all: Wanted[], rows: api.DnsRecordRow[], p: Plan, origin: string): void {
    const problems = [...p.problems];
    for (const w of all) {
        const np = storedNameProblem(w.type, w.name, origin);
        if (np) problems.push(`${JSON.stringify(w.key)}: ${np}`);
    }
    // The zone after the plan: every row not deleted, and the declared records.
    const deleted = new Set(p.ops.flatMap((o) => (o.op === "delete" ? [o.before.id] : [])));
    const heldIds = new Set(p.held.values());
    const others = rows.filter((r) => !deleted.has(r.id) && !heldIds.has(r.id)).map((r) => ({ abs: api.absoluteStoredName(r.name, origin), type: r.type, what: `record ${r.id} (${r.type || "no type"} ${JSON.stringify(r.data)})` }));
    const mine = all.map((w) => ({ abs: w.abs, type: w.type as string, what: JSON.stringify(w.key) }));
    const cnameLike = (t: string) => t === "CNAME" || t === "ALIAS";
    for (const m of mine) {
        if (!cnameLike(m.type)) continue;
        const beside = [...mine, ...others].filter((x) => x !== m && x.abs === m.abs);
        if (beside.length) {
            problems.push(`${m.what} is a ${m.type} beside ${beside.slice(0, 3).map((b) => b.what).join(", ")} at ${m.abs}: a CNAME (an ALIAS is served as one) cannot share its name with any other record; BIND would reject the whole zone and keep serving its last good version`);
        }
    }
    if (problems.length) {
        throw new ISPConfigError(`DnsZoneRecords: ${problems.slice(0, 10).join("; ")}${problems.length > 10 ? `; and ${problems.length - 10} more` : ""}. Nothing was written.`);
    }
}

/** Lists the zone, plans, refuses a bad result, writes the differences; the rows as now stored. */
async function converge(ctx: Parameters<Declaration["create"]>[0], zoneId: number, declared: Record<string, Spec>, had: Record<string, number>, hadSpecs: Record<string, Spec>, opts: { adopt: boolean; authoritative: boolean }): Promise<SetRow> {
    const c = ctx.caller();
    const zone = await zoneFacts(c, zoneId, ctx.defaults().clientId);
    // Fresh: a write plan is never made from a listing shared with reads.
    const rows = await api.listZoneRecords(c, zone.id);
    const all = Object.entries(declared).map(([k, s]) => wanted(k, s, zone.origin));
    const p = plan(c, all, rows, had, hadSpecs, zone.origin, opts);
    refuseBadZone(all, rows, p, zone.origin);
    const wait = ctx.defaults().dnsApplyWaitSeconds ?? 0;
    const verify = wait > 0 ? (id: number, started: number) => api.watchDnsApplied(c, id, zone.id, wait, { startedUnix: started }) : undefined;
    const result = await api.writeZoneBatch(c, { id: zone.id, serverId: zone.serverId, clientId: zone.clientId }, p.ops, { verify });
    const ids: Record<string, number> = {};
    for (const [k, id] of [...p.held, ...result.added]) ids[k] = id;
    for (const id of Object.values(ids)) claimRecord(c, id, "DnsZoneRecords");
    for (const o of p.ops) if (o.op === "delete") releaseRecord(c, o.before.id);
    const deleted = new Set(p.ops.flatMap((o) => (o.op === "delete" ? [o.before.id] : [])));
    const after = rows.filter((r) => !deleted.has(r.id)).map((r) => result.written.get(r.id) ?? r);
    for (const [id, r] of result.written) if (!after.some((x) => x.id === id)) after.push(r);
    return { zoneId: zone.id, origin: zone.origin, serverId: zone.serverId, rows: after, ids: byKey(ids), authoritative: opts.authoritative };
}


/** The inputs of a {@link DnsZoneRecords}. */
const fields = {
    /** Id of the zone, usually `zone.id` of a {@link DnsZone}. Changing it replaces the set: its records are deleted from the old zone, then added to the new one. */
    zoneId: { rule: zoneIdRule, required: true, replaces: true, read: (s: SetRow) => s.zoneId },
    /**
     * The records, each as a {@link DnsRecord} declares it without `zoneId`: `{ type: "A", name:
     * "www", address: "192.0.2.10" }`, `{ type: "MX", name: "@", priority: 10, target:
     * "mail.example.com" }`, … — any of the 18 types, checked and stored by the same rules. Kept in
     * state by key, like zone-file lines: `www A` when a name has one record of a type, `@ MX 10
     * mail.example.com.` when it has several; `pulumi preview --diff` names each record that changes.
     * A record left out is deleted (only records this resource added or took over).
     */
    records: { rule: recordsRule as unknown as Rule<pulumi.Input<ZoneRecordArgs>[]>, required: true, read: (s: SetRow, props: Record<string, any>, c: api.Caller) => readRecords(s, props.records, c) },
    /**
     * Also delete every record of the zone that is not in `records` (made in the panel, or by
     * another tool), as dnscontrol and octoDNS do; a refresh shows them as removals first. Apex NS
     * records are kept unless `records` declares apex NS itself. A record of a DnsRecord or
     * ARecord is never deleted (and declaring one in the same zone is refused). Default false.
     */
    authoritative: { rule: bool(), default: false, inputOnly: true },
    /** Take over records of the zone identical to declared ones instead of refusing them (the import path). Default false. */
    adopt: adoptField,
} satisfies Fields<SetRow>;

const computed = {
    /** The panel id of each record, by key. */
    recordIds: (s: SetRow) => s.ids,
    /** The zone's origin, e.g. `example.com.`. */
    origin: (s: SetRow) => s.origin,
    /** The DNS server of the zone. */
    serverId: (s: SetRow) => s.serverId,
};

const decl: Declaration<SetRow> = {
    type: "DnsZoneRecords", idOutput: "zoneId",
    // A forced replace (`up --replace`) re-creates the same records in the same zone: the old set
    // must go first, or the new one finds them and refuses them (the engine calls no diff of the
    // old set then, so nothing tells the new one whose they are).
    deleteBeforeReplace: true,
    fields, computed,

    /** One listing: the origin comes from state unless a stored name says the zone was renamed. */
    async get(c, zoneId, props) {
        const rows = await api.zoneListings.forRead(c, zoneId);
        let origin = typeof props.origin === "string" ? props.origin : undefined;
        let serverId: number | undefined = rows[0]?.server_id ?? props.serverId;
        const foreign = (r: api.DnsRecordRow) => r.name.endsWith(".") && r.name.toLowerCase() !== origin && !r.name.toLowerCase().endsWith(`.${origin}`);
        if (!origin || rows.length === 0 || rows.some(foreign)) {
            const zone = await api.getDnsZone(c, zoneId);
            if (!zone) return undefined;
            origin = api.dotted(zone.origin);
            serverId = zone.server_id;
        }
        const present = new Set(rows.map((r) => r.id));
        const had = rebindUndone(c, props.recordIds ?? {}, props.records ?? {}, rows, origin);
        const ids = Object.fromEntries(Object.entries(had).filter(([, id]) => present.has(id)));
        for (const id of Object.values(ids)) claimRecord(c, id, "DnsZoneRecords");
        return { zoneId, origin, serverId: Number(serverId), rows, ids, authoritative: props.authoritative === true };
    },

    async create(ctx, inputs) {
        const s = await converge(ctx, Number(inputs.zoneId), inputs.records, {}, {}, { adopt: inputs.adopt === true, authoritative: inputs.authoritative === true });
        return { id: s.zoneId, row: s };
    },

    async update(ctx, zoneId, news, olds) {
        const opts = { adopt: news.adopt === true, authoritative: news.authoritative === true };
        const s = await converge(ctx, zoneId, news.records ?? olds.records ?? {}, olds.recordIds ?? {}, olds.records ?? {}, opts);
        return { row: s };
    },

    async delete(ctx, zoneId, props) {
        const c = ctx.caller();
        const ids = new Set<number>(Object.values(props.recordIds ?? {}));
        // The zone is gone, and its records with it.
        const zone = await zoneFacts(c, zoneId, ctx.defaults().clientId).catch(() => undefined);
        if (!zone) return;
        // Only the records this resource holds; one taken over by a DnsRecord in this `up` stays.
        const rows = (await api.listZoneRecords(c, zoneId)).filter((r) => ids.has(r.id) && !heldByOther(c, r.id, "DnsZoneRecords"));
        const ops: api.BatchOp[] = rows.map((r) => ({ op: "delete", key: keyOfRow(r, zone.origin), type: api.isDnsRecordType(r.type) ? r.type : "A", before: r }));
        await api.writeZoneBatch(c, { id: zone.id, serverId: zone.serverId, clientId: zone.clientId }, ops);
        for (const r of rows) releaseRecord(c, r.id);
    },

    seen(ctx, _zoneId, olds) {
        const c = ctx.caller();
        for (const id of Object.values(olds.recordIds ?? {})) if (typeof id === "number") claimRecord(c, id, "DnsZoneRecords");
    },

    gate: (name, args) => setGate(name, args),
    gateField: "records",
};

/** Inputs of a {@link DnsZoneRecords}. */
export type DnsZoneRecordsArgs = import("./kit").ArgsOf<typeof fields>;
/** Outputs of a {@link DnsZoneRecords}: `records` as stored (by key), `recordIds`, `origin`, `serverId`, `zoneId`. */
export type DnsZoneRecordsOutputs = Omit<OutputsOf<typeof fields, typeof computed, "zoneId">, "records" | "recordIds"> & {
    /** Each record as stored, in the form it was declared, by key. */
    readonly records: pulumi.Output<Record<string, pulumi.Unwrap<ZoneRecordArgs>>>;
    /** The panel id of each record, by key. */
    readonly recordIds: pulumi.Output<Record<string, number>>;
};

/** The operations, the provider object (serialized into state; holds no credential) and the class. */
export const dnsZoneRecords = defineResource<DnsZoneRecordsArgs, DnsZoneRecordsOutputs>(decl);

/**
 * Many records of one ISPConfig zone as one resource (DNS as code): an `up` lists the zone once
 * and writes only the records that differ, moving the zone serial once; a refresh is one call.
 * Each record follows the rules of a {@link DnsRecord} (types, the UI's storage format, the type
 * column, BIND-valid data). Replaces on: `zoneId`. A record is managed either here or by a
 * DnsRecord/ARecord, never by both.
 */
export const DnsZoneRecords = dnsZoneRecords.Resource;
export type DnsZoneRecords = InstanceType<typeof DnsZoneRecords>;
