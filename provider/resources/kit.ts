import * as pulumi from "@pulumi/pulumi";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { Caller } from "../api/caller";
import type { Write } from "../api/columns";
import { OpsContext, ResourceOps, panelId } from "./ops";
import { ResourceKind, ShimResource, makeProvider } from "./providerShim";
import { isUnknown } from "./unknown";
import { Failure, InputChecker, bool } from "./validate";
import { ISPConfigError } from "../soap/errors";

/*
 * The resource kit: a resource is a declaration of its fields plus named hooks for its quirks.
 *
 * ## How to add a resource
 * 1. In `provider/api/`: the table's typed row, its column kinds, and get/add/update/delete
 *    (each quirk in a file named for it).
 * 2. In `provider/resources/<name>.ts`: the field table — one entry per input, with the JSDoc
 *    users' editors show, its check rule, its create-time default (what the panel's UI stores),
 *    its column, whether a change replaces, how it is read back — and a `Declaration` with the
 *    `get`/`create`/`update`/`delete` hooks that call the API layer and hold the quirks. The
 *    Args and Outputs types are derived from the table; the class is four lines.
 * 3. `defineResource(decl)` gives the ops, the provider object and the class. Register the ops in
 *    `runtime.ts` (and the kind in `providerShim.ts`), export the class and its Args from
 *    `index.ts`, and add its table to the README (test/readme.test.ts compares).
 *
 * Worked example, a cron job (~45 lines with its API functions in place):
 *
 *     const fields = {
 *         /** The website the job belongs to. Changing it replaces the job. *\/
 *         siteId: { rule: int(1, 2147483647), required: true, replaces: true, column: "parent_domain_id" },
 *         /** When to run, in crontab syntax, e.g. `*\/5 * * * *`. *\/
 *         schedule: { rule: cronSchedule, required: true, column: "run_min" },
 *         /** The command or URL to run. *\/
 *         command: { rule: str({ maxLength: 255 }), required: true, column: "command" },
 *         /** Whether the job runs. Default true. *\/
 *         active: { rule: bool(), default: true, column: "active" },
 *         adopt: adoptField,
 *     } satisfies Fields<api.CronRow>;
 *     const computed = {};
 *     export type CronJobArgs = ArgsOf<typeof fields>;
 *     export type CronJobOutputs = OutputsOf<typeof fields, typeof computed, "cronId">;
 *     const decl: Declaration<api.CronRow> = {
 *         kind: "cronJob", type: "CronJob", idOutput: "cronId", deleteBeforeReplace: false, fields, computed,
 *         get: (c, id) => api.getCron(c, id),
 *         async create(ctx, i) { return { id: await api.addCron(ctx.caller(), i.clientId ?? 0, columns(decl, i)) }; },
 *         async update(ctx, id, news) { await api.updateCron(ctx.caller(), id, columns(decl, news)); return {}; },
 *         delete: async (ctx, id) => void (await api.deleteCron(ctx.caller(), id)),
 *     };
 *     export const cronJob = defineResource<CronJobArgs, CronJobOutputs>(decl);
 *     /** A cron job of a website (Sites → Cron Jobs). *\/
 *     export const CronJob = cronJob.Resource;
 *     export type CronJob = InstanceType<typeof CronJob>;
 *
 * ## Resources whose fields depend on one input (DnsRecord's `type`)
 * One flat field table holds every variant's fields; `checkMore` refuses the fields of other
 * variants and requires a variant's own; `VariantArgsOf` makes the Args a union on the
 * discriminator, so editors offer the chosen variant's fields; a function `default` gets the
 * checked inputs too (`(d, inputs) => …`), so a default can depend on the variant; fields the row
 * does not have are left out of the outputs. `diffMore` may turn a replacing field's change into
 * an in-place repair (`inPlace`) or ask for delete-before-replace.
 *
 * ## The rules every resource gets from the kit
 * - `check` validates declared inputs only (no network) and stores exactly what was declared,
 *   normalised. An input that is not declared gets its default at create time, and after that
 *   it is not managed: a changed default (a package upgrade, `ispconfig:serverId`) or a change
 *   made in the panel to it never turns into an update or a replace.
 * - `diff` compares declared inputs with the last-read outputs; a declared change of a field
 *   marked `replaces` is a replace, everything else is in place.
 * - `update` writes only declared fields (the API layer merges with the stored row), so columns
 *   the resource does not manage keep the panel's value.
 * - `read` reports every field as stored, a deleted row as gone, and returns inputs for the
 *   fields that were declared, so `pulumi preview --diff` after a refresh names the field.
 * - every declared output exists at run time (the constructor passes each as an unknown).
 */

/** Check-time rule: the normalised value, or a Failure naming the field and the fix. */
export type Rule<T = unknown> = (v: unknown, name: string) => T | Failure;

export interface Defaults {
    clientId: number;
    serverId: number;
}

/**
 * One input of a resource. Declared in an object literal with a JSDoc comment per field: the
 * Args and Outputs types are derived from it (`ArgsOf`, `OutputsOf`), and the comment is what
 * users' editors show for both.
 */
export interface Field<T = any, Row = any> {
    rule: Rule<T>;
    required?: true;
    /** What the resource gets at create when the input is not declared (the panel UI's value, or a config default). */
    default?: string | number | boolean | ((d: Defaults, inputs: Record<string, any>) => unknown);
    /** A declared change cannot be made in place. */
    replaces?: boolean;
    /** The panel column this input is written to and read from (a name the row type knows). */
    column?: Extract<keyof Row, string>;
    /** Input value → column value (default: as is). */
    write?: (v: any) => unknown;
    /** Row → output value (default: `row[column]`); may ask the panel (owner lookups). */
    read?: (row: Row, props: Record<string, any>, c: Caller) => unknown;
    /** Not stored in the panel: the output keeps the input (adopt, deleteMailboxes, the password). */
    inputOnly?: boolean;
    /** A change needs no call to the panel (adopt). */
    noDiff?: boolean;
    /** Never returned as an input by read (its value only lives as a secret output). */
    secret?: boolean;
    /** Not a user input: a value every row must hold (see `fixed`); an output only. */
    internal?: true;
}

/** A resource's field table, rows typed for its `read` hooks. */
export type Fields<Row> = Record<string, Field<any, Row>>;
/** Computed outputs: each a function of the stored row (JSDoc on each, as for fields). */
export type Computed<Row> = Record<string, (row: Row, props: Record<string, any>, c: Caller) => unknown>;

type ValueOf<F> = F extends Field<infer T> ? T : never;
type IsRequired<F> = F extends { required: true } ? true : false;
type IsInternal<F> = F extends { internal: true } ? true : false;

/**
 * An enum's values, offered by editors, without refusing a plain string at compile time (a
 * value from config is a `string`; check names the allowed values at run time).
 */
type Loose<T> = [T] extends [string] ? (string extends T ? string : T | (string & {})) : T;
type InputOf<F> = pulumi.Input<Loose<ValueOf<F>>>;

/** The inputs every resource has. */
export interface CommonArgs {
    /**
     * The panel the resource lives on: a name in `ispconfig:panels` (several panels in one
     * program). Left out: the single panel of `ispconfig:endpoint`. It cannot change (a record
     * cannot move between panels): a change is refused, nothing is replaced.
     */
    panel?: pulumi.Input<string>;
}

/** The Args type of a field table: required fields required, the rest optional, each a `pulumi.Input`. */
export type ArgsOf<F> = {
    [K in keyof F as IsInternal<F[K]> extends true ? never : IsRequired<F[K]> extends true ? K : never]: InputOf<F[K]>;
} & {
    [K in keyof F as IsInternal<F[K]> extends true ? never : IsRequired<F[K]> extends true ? never : K]?: InputOf<F[K]>;
} & CommonArgs;

/**
 * The Args of a resource whose fields depend on a discriminator (a DNS record's `type`): one
 * member per variant, each holding the common fields and that variant's own (`own`, of which
 * `required` are required), so editors offer the fields of the chosen type. The discriminator is
 * a plain literal (not a `pulumi.Input`): only then can TypeScript pick the member, refuse the
 * fields of other variants and complete the right ones.
 */
export type VariantArgsOf<F, D extends keyof F, Common extends keyof F, V extends Record<string, { own: keyof F; required: keyof F }>> = {
    [T in keyof V]: { [K in D]: T } & ArgsOf<Pick<F, Exclude<Common, D> | Exclude<V[T]["own"], V[T]["required"]>>> &
        ArgsOf<{ [K in V[T]["required"] & keyof F]: F[K] & { required: true } }>;
}[keyof V];

/** The outputs of a resource: every field as stored, every computed output, and the panel id. */
export type OutputsOf<F, C, Id extends string> = { readonly [K in keyof F]-?: pulumi.Output<ValueOf<F[K]>> } & {
    readonly [K in keyof C]: pulumi.Output<C[K] extends (...a: any[]) => infer R ? Awaited<R> : never>;
} & { readonly [K in Id]: pulumi.Output<number> };

export interface Declaration<Row = any> {
    /** The provider's kind; by default the type with a lower-case first letter. */
    kind?: ResourceKind;
    /** The Pulumi type name (never change it: existing stacks would replace every resource). */
    type: string;
    /** The output holding the panel id as a number. */
    idOutput: string;
    fields: Fields<Row>;
    /** Outputs computed from the row that are not inputs (document root, fqdn, …). */
    computed?: Computed<Row>;
    /** The panel refuses two rows with the same natural key: a replace deletes first. */
    deleteBeforeReplace: boolean;
    /** Values every row of this resource must hold, whatever is declared (a type column): always in the inputs, so diff sees a stored row that lacks them. */
    fixed?: Record<string, unknown>;
    /** Outputs that stay secret in state. */
    secretOutputs?: string[];

    /** Cross-field rules; `resolved` holds the declared values over the defaults. */
    checkMore?(declared: Record<string, any>, resolved: Record<string, any>, fail: (property: string, reason: string) => void): void;
    /** Quirks of the diff (e.g. an owner change the API cannot make); may throw to stop the preview. */
    diffMore?(olds: Record<string, any>, news: Record<string, any>, changed: string[]): { replaces?: string[]; inPlace?: string[]; deleteBeforeReplace?: boolean } | void;

    get(c: Caller, id: number, props: Record<string, any>): Promise<Row | undefined>;
    /**
     * Adds (or adopts) the row. `inputs` hold every field with defaults resolved; `declared` only
     * what the program declared (an adopt writes just those). Returns the id and the row as
     * stored, or outputs that differ from the inputs.
     */
    create(ctx: OpsContext, inputs: Record<string, any>, declared: Record<string, any>): Promise<{ id: number; row?: Row; outs?: Record<string, unknown> }>;
    /**
     * Writes the declared fields that changed. Returns the row as now stored, or output values
     * that differ from what was declared (a new serial, a new owner).
     */
    update(ctx: OpsContext, id: number, news: Record<string, any>, olds: Record<string, any>, changed: string[]): Promise<{ row?: Row; outs?: Record<string, unknown> }>;
    /** Idempotent: a row already gone is success. */
    delete(ctx: OpsContext, id: number, props: Record<string, any>): Promise<void>;

    /** The engine shows the provider an existing resource (diff): no network; e.g. note which records it holds. */
    seen?(ctx: OpsContext, id: number, olds: Record<string, any>): void;
    /**
     * Program side, at construction: a hidden input (`claimCheck`) that resolves to "ok" once the
     * declaration is known not to clash with another resource's, or to the reason; check fails
     * with the reason (on `gateField`) and never stores the input.
     */
    gate?(name: string, args: Record<string, any>): pulumi.Input<string>;
    /** The input a clash found by `gate` is reported on. */
    gateField?: string;
}

/** The generic `adopt` input: take over a row with the same natural key (the import path). */
export const adoptField = { rule: bool(), default: false, inputOnly: true, noDiff: true } satisfies Field<boolean>;

/** A panel name of `ispconfig:panels`. */
function panelNameRule(v: unknown, name: string): string | Failure {
    return typeof v === "string" && /^[A-Za-z0-9_.-]{1,64}$/.test(v)
        ? v
        : new Failure(`\`${name}\` must be the name of a panel in \`ispconfig:panels\` (letters, digits, . _ -), got ${JSON.stringify(v)}`);
}

/** Hidden output: which inputs were declared, so read can hand them back (legacy state lacks it). */
export const DECLARED = "declaredInputs";

function same(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if ((a === undefined || a === null) && (b === undefined || b === null)) return true;
    return JSON.stringify(a) === JSON.stringify(b);
}

function declaredOnly(decl: Declaration, inputs: Record<string, any>): Record<string, any> {
    const out: Record<string, any> = {};
    for (const k of Object.keys(decl.fields)) if (inputs[k] !== undefined) out[k] = inputs[k];
    return out;
}

/** Declared inputs over the create-time defaults. */
export function resolve(decl: Declaration, inputs: Record<string, any>, d: Defaults): Record<string, any> {
    const out: Record<string, any> = {};
    for (const [k, f] of Object.entries(decl.fields)) {
        if (inputs[k] !== undefined) out[k] = inputs[k];
        else if (f.default !== undefined) {
            // A function default may depend on other inputs (a DNS record's priority on its type).
            const v = typeof f.default === "function" ? f.default(d, inputs) : f.default;
            if (v !== undefined) out[k] = v;
        }
    }
    return out;
}

/** The panel columns of the given input values (fields without a column are skipped). */
export function columns<Row>(decl: Declaration<Row>, values: Record<string, any>): Write<Row> {
    const out: Record<string, unknown> = {};
    for (const [k, f] of Object.entries(decl.fields)) {
        if (!f.column || values[k] === undefined) continue;
        out[f.column] = f.write ? f.write(values[k]) : values[k];
    }
    // The rules' normalised values have the columns' types (checked by the field declarations).
    return out as Write<Row>;
}

/** Every output of a row: the fields as stored, the computed outputs, the id. */
export async function outputsOf(decl: Declaration, row: any, props: Record<string, any>, c: Caller): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const [k, f] of Object.entries(decl.fields)) {
        if (f.inputOnly) out[k] = props[k] ?? (typeof f.default === "function" ? undefined : f.default);
        else if (f.read) out[k] = await f.read(row, props, c);
        else if (f.column) out[k] = row[f.column];
    }
    for (const [k, read] of Object.entries(decl.computed ?? {})) out[k] = await read(row, props, c);
    // A field the row does not have (another DNS record type's) is left out: the engine's
    // struct encoding refuses `undefined` ("Unexpected struct type").
    for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
    return out;
}

/** The fields whose declared value differs from the stored outputs (unknowns count as changes). */
export function changedFields(decl: Declaration, olds: Record<string, any>, news: Record<string, any>): string[] {
    return Object.entries(decl.fields)
        .filter(([k, f]) => !f.noDiff && news[k] !== undefined && (isUnknown(news[k]) || !same(olds[k], news[k])))
        .map(([k]) => k);
}

/** The six operations, derived from the declaration. */
export function ops(decl: Declaration): ResourceOps {
    // The panel goes along in the outputs: read and delete get only those.
    const withDeclared = (outs: Record<string, unknown>, inputs: Record<string, any>) => ({
        ...outs,
        ...(inputs.panel !== undefined ? { panel: inputs.panel } : {}),
        [DECLARED]: Object.keys(declaredOnly(decl, inputs)).sort(),
    });
    return {
        async check(ctx, _olds, news) {
            const c = new InputChecker(news);
            for (const [k, f] of Object.entries(decl.fields)) c.field(k, f.rule, { required: f.required });
            c.field("panel", panelNameRule);
            Object.assign(c.out, decl.fixed ?? {});
            const gate = news.claimCheck;
            if (typeof gate === "string" && gate !== "ok" && !isUnknown(gate)) c.fail(decl.gateField ?? "", gate);
            if (decl.checkMore && c.failures.length === 0) {
                const resolved = resolve(decl, c.out, ctx.defaults());
                decl.checkMore(c.out, resolved, (p, r) => c.fail(p, r));
            }
            return { inputs: c.out, failures: c.failures };
        },

        async diff(_ctx, _id, olds, news): Promise<dynamic.DiffResult> {
            if (!isUnknown(news.panel) && (olds.panel ?? undefined) !== (news.panel ?? undefined)) {
                throw new ISPConfigError(
                    `${decl.type}: \`panel\` changes from ${olds.panel === undefined ? "the single panel" : `"${olds.panel}"`} to ` +
                        `${news.panel === undefined ? "the single panel" : `"${news.panel}"`}; a record cannot move between panels, and ` +
                        "replacing it would delete it from the old one. Declare a new resource for the other panel (and remove this one " +
                        "when you mean to delete it), or set `panel` back. Nothing was changed.",
                );
            }
            if (decl.seen && /^\d+$/.test(_id)) decl.seen(_ctx, panelId(_id), olds);
            const changed = changedFields(decl, olds, news);
            const replaces = changed.filter((k) => decl.fields[k].replaces);
            const more = decl.diffMore?.(olds, news, changed);
            for (const r of more?.replaces ?? []) if (!replaces.includes(r)) replaces.push(r);
            // A change the quirks say is a repair (a DNS record's lost type) is made in place.
            const inPlace = more?.inPlace ?? [];
            const finalReplaces = replaces.filter((r) => !inPlace.includes(r));
            return {
                changes: changed.length > 0,
                replaces: finalReplaces,
                // Said also without a replace of ours: `pulumi up --replace` forces one.
                deleteBeforeReplace: more?.deleteBeforeReplace ?? decl.deleteBeforeReplace,
            };
        },

        async create(ctx, inputs) {
            const resolved = resolve(decl, inputs, ctx.defaults());
            const { id, row, outs: extra } = await decl.create(ctx, resolved, declaredOnly(decl, inputs));
            const outs = row ? await outputsOf(decl, row, resolved, ctx.caller()) : { ...resolved, ...(extra ?? {}) };
            return { id: String(id), outs: withDeclared({ ...outs, [decl.idOutput]: id }, inputs) };
        },

        async read(ctx, id, props) {
            const c = ctx.caller();
            const row = await decl.get(c, panelId(id), props);
            if (!row) return { id: "", props: {} };
            const outs = await outputsOf(decl, row, props, c);
            // Legacy state (before the kit) declared every field.
            const declared: string[] = Array.isArray(props[DECLARED]) ? props[DECLARED] : Object.keys(decl.fields).filter((k) => k in props);
            // A resource holding a secret input (a mailbox password) hands back no inputs: the
            // engine would keep the returned inputs in place of the old ones, and the secret can
            // be neither returned in plain text nor left out (the next preview would show it as new).
            const hasSecret = Object.values(decl.fields).some((f) => f.secret);
            const inputs: Record<string, unknown> | undefined = hasSecret ? undefined : {};
            for (const k of declared) {
                const f = decl.fields[k];
                if (inputs && f && outs[k] !== undefined) inputs[k] = outs[k];
            }
            if (inputs && props.panel !== undefined) inputs.panel = props.panel;
            return { id, props: { ...outs, [decl.idOutput]: panelId(id), [DECLARED]: declared, ...(props.panel !== undefined ? { panel: props.panel } : {}) }, inputs };
        },

        async update(ctx, id, olds, news) {
            const changed = changedFields(decl, olds, news);
            const r = await decl.update(ctx, panelId(id), declaredOnly(decl, news), olds, changed);
            const outs = r.row
                ? await outputsOf(decl, r.row, { ...olds, ...news }, ctx.caller())
                : { ...olds, ...declaredOnly(decl, news), ...(r.outs ?? {}) };
            return { outs: withDeclared({ ...outs, [decl.idOutput]: panelId(id) }, news) };
        },

        async delete(ctx, id, props) {
            await decl.delete(ctx, panelId(id), props);
        },
    };
}

/**
 * The arguments of `pulumi.dynamic.Resource`'s constructor: every output of the declaration is
 * passed (unset) so it exists at run time even when its input is omitted.
 */
export function resourceArgs(
    decl: Declaration,
    provider: dynamic.ResourceProvider,
    name: string,
    args: object,
    opts: pulumi.CustomResourceOptions | undefined,
    secretInputs: string[] = [],
): [dynamic.ResourceProvider, string, Record<string, unknown>, pulumi.CustomResourceOptions | undefined, string, string] {
    const props: Record<string, unknown> = { [decl.idOutput]: undefined, [DECLARED]: undefined, panel: undefined };
    for (const k of Object.keys(decl.fields)) props[k] = undefined;
    for (const k of Object.keys(decl.computed ?? {})) props[k] = undefined;
    for (const [k, v] of Object.entries(args)) if (v !== undefined) props[k] = secretInputs.includes(k) ? pulumi.secret(v) : v;
    if (decl.gate) props.claimCheck = decl.gate(name, args as Record<string, any>);
    const secrets = decl.secretOutputs ?? [];
    let o = secrets.length ? { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...secrets] } : opts;
    // A forced replacement (`pulumi up --replace`) takes its order from the resource option, not
    // from the provider's diff: where the panel refuses two rows with one name, delete first.
    if (decl.deleteBeforeReplace && o?.deleteBeforeReplace === undefined) o = { ...o, deleteBeforeReplace: true };
    return [provider, name, props, o, "ispconfig", decl.type];
}

/** A resource class: `new X(name, args, opts)`, its instances carrying the declared outputs. */
export type ResourceClass<A, O> = new (name: string, args: A, opts?: pulumi.CustomResourceOptions) => pulumi.dynamic.Resource & O;

/**
 * Everything a declaration yields: the six operations (for the runtime), the provider object
 * serialized into state, and the resource class users construct.
 */
export function defineResource<A extends object, O>(decl: Declaration, secretInputs: string[] = []) {
    const provider = makeProvider(decl.kind ?? ((decl.type[0].toLowerCase() + decl.type.slice(1)) as ResourceKind));
    class Resource extends ShimResource {
        constructor(name: string, args: A, opts?: pulumi.CustomResourceOptions) {
            super(...resourceArgs(decl, provider, name, args, opts, secretInputs));
        }
    }
    return { ops: ops(decl), provider, declaration: decl, Resource: Resource as unknown as ResourceClass<A, O> };
}
