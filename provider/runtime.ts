import type * as dynamic from "@pulumi/pulumi/dynamic";
import { Caller } from "./api/caller";
import { ConnectionSettings, knownPasswords, missingConnection, namedPanelProblem, readPanelSettings, readSettings } from "./connection";
import { isUnknown } from "./resources/unknown";
import { getSharedSession } from "./soap/sharedSession";
import { redactSecrets } from "./soap/redact";
import { OpsContext, ResourceOps } from "./resources/ops";
import type { ResourceKind } from "./resources/providerShim";
import { dnsZone } from "./resources/dnsZone";
import { aRecord } from "./resources/aRecord";
import { dnsRecord } from "./resources/dnsRecord";
import { dnsZoneRecords } from "./resources/dnsZoneRecords";
import { webDomain } from "./resources/webDomain";
import { mailDomain } from "./resources/mailDomain";
import { mailbox } from "./resources/mailbox";

/*
 * The provider runtime: what the serialized provider objects load inside the engine's plugin
 * process. One module instance per process, hence one connection config and one shared SOAP
 * session for every resource type.
 */

const OPS: Record<ResourceKind, ResourceOps> = {
    dnsZone: dnsZone.ops,
    aRecord: aRecord.ops,
    dnsRecord: dnsRecord.ops,
    dnsZoneRecords: dnsZoneRecords.ops,
    webDomain: webDomain.ops,
    mailDomain: mailDomain.ops,
    mailbox: mailbox.ops,
};

let configGet: (key: string) => string | undefined = () => undefined;
/** Set by configure (the engine): then a check fails when its panel's connection is missing. */
let checkConnection = false;

/** Called by the engine (through the provider object) with the stack's config. */
export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
    configGet = (key) => req.config.get(key);
    checkConnection = true;
}

/** For tests and programs that drive the providers directly: set config values by key. */
export function configureWith(values: Record<string, string | undefined>): void {
    configGet = (key) => values[key];
    checkConnection = false;
}

/** The settings of a resource's panel: the single-panel settings, or a panel named in `ispconfig:panels`. */
export function settings(requireConnection = true, panel?: string): ConnectionSettings {
    return panel === undefined ? readSettings(configGet, process.env, requireConnection) : readPanelSettings(configGet, panel, process.env, requireConnection);
}

/** What an operation of a resource on `panel` gets: its defaults and its panel's shared session. */
export function contextFor(panel?: string): OpsContext {
    return {
        defaults: () => settings(false, panel),
        caller(): Caller {
            const s = settings(true, panel);
            return getSharedSession({
                endpoint: s.endpoint,
                username: s.username,
                password: s.password,
                insecure: s.insecure,
                caFile: s.caFile,
                timeoutMs: s.timeoutMs,
                maxConcurrency: s.maxConcurrency,
            });
        },
    };
}

/** The single panel's context (`ispconfig:endpoint`, …). */
export const context: OpsContext = contextFor(undefined);

/** The `panel` input of an operation's arguments (new inputs first; state for read and delete). */
function panelOf(name: keyof ResourceOps, args: any[]): string | undefined {
    const props = name === "check" ? args[1] : name === "diff" || name === "update" ? args[2] ?? args[1] : name === "create" ? args[0] : args[1];
    const p = props?.panel;
    return typeof p === "string" && p !== "" && !isUnknown(p) ? p : undefined;
}

/** Why a check must fail for want of connection settings (once, no stack trace), or undefined. */
function connectionProblem(panel: string | undefined): { property: string; reason: string } | undefined {
    if (!checkConnection) return undefined;
    const e = panel === undefined ? missingConnection(configGet) : namedPanelProblem(configGet, panel);
    return e && { property: panel === undefined ? "" : "panel", reason: e.message };
}

/**
 * Runs one operation. Errors leave here with every known secret (panel password, the
 * passwords among the inputs) masked, whatever layer raised them.
 */
export async function op(kind: ResourceKind, name: keyof ResourceOps, ...args: any[]): Promise<any> {
    const panel = panelOf(name, args);
    // check never calls the panel, so without this a preview of a stack that can never deploy
    // passes. A check failure shows once (the engine stops at the first) and without a stack trace.
    if (name === "check") {
        const problem = connectionProblem(panel);
        if (problem) return { inputs: args[1], failures: [problem] };
    }
    const impl = OPS[kind][name] as (ctx: OpsContext, ...a: any[]) => Promise<any>;
    const started = PROFILE_FILE ? performance.now() : 0;
    try {
        return await runOp(impl, args, panel);
    } finally {
        if (PROFILE_FILE) profile(name, performance.now() - started);
    }
}

/** The provider object of one resource kind: what the `__provider` text in state hands the engine. */
export function provider(kind: ResourceKind): dynamic.ResourceProvider {
    return {
        configure,
        check: (olds, news) => op(kind, "check", olds, news),
        diff: (id, olds, news) => op(kind, "diff", id, olds, news),
        create: (inputs) => op(kind, "create", inputs),
        read: (id, props) => op(kind, "read", id, props),
        update: (id, olds, news) => op(kind, "update", id, olds, news),
        delete: (id, props) => op(kind, "delete", id, props),
    };
}

/**
 * For the benchmark: with ISPCONFIG_PROFILE_FILE set, the provider process records after every
 * operation (the engine may kill it without an exit hook running) its CPU time, how long it had
 * been up when the first operation came, when (epoch ms) the first began and the last ended, and
 * per operation name the count and the summed time spent inside the provider (panel calls
 * included).
 */
const PROFILE_FILE = process.env.ISPCONFIG_PROFILE_FILE;
const profileData = { ops: 0, firstOpAtMs: 0, firstOpStart: 0, lastOpEnd: 0, byOp: {} as Record<string, { n: number; ms: number }>, cpu: process.cpuUsage() };
function profile(name: string, ms: number): void {
    const now = Date.now();
    if (profileData.ops++ === 0) {
        profileData.firstOpAtMs = process.uptime() * 1000 - ms;
        profileData.firstOpStart = now - ms;
    }
    profileData.lastOpEnd = now;
    const o = (profileData.byOp[name] ??= { n: 0, ms: 0 });
    o.n++;
    o.ms += ms;
    profileData.cpu = process.cpuUsage();
    require("node:fs").writeFileSync(`${PROFILE_FILE}.${process.pid}`, JSON.stringify(profileData));
}

/** Errors leave with every known secret masked, whatever layer raised them. */
async function runOp(impl: (ctx: OpsContext, ...a: any[]) => Promise<any>, args: any[], panel?: string): Promise<any> {
    try {
        return await impl(panel === undefined ? context : contextFor(panel), ...args);
    } catch (e: any) {
        const secrets = [...knownPasswords(configGet), ...args.flatMap((a) => (a && typeof a === "object" ? [a.password] : []))];
        if (e && typeof e.message === "string") e.message = redactSecrets(e.message, secrets);
        if (e && typeof e.stack === "string") e.stack = redactSecrets(e.stack, secrets);
        throw e;
    }
}

(globalThis as any).__pulumiIspconfigRuntime = module.exports;
