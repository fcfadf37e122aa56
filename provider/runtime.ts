import type * as dynamic from "@pulumi/pulumi/dynamic";
import { Caller } from "./api/caller";
import { ConnectionSettings, missingConnection, readSettings } from "./connection";
import { getSharedSession } from "./soap/sharedSession";
import { redactSecrets } from "./soap/redact";
import { OpsContext, ResourceOps } from "./resources/ops";
import type { ResourceKind } from "./resources/providerShim";
import { dnsZone } from "./resources/dnsZone";
import { aRecord } from "./resources/aRecord";
import { dnsRecord } from "./resources/dnsRecord";
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
    webDomain: webDomain.ops,
    mailDomain: mailDomain.ops,
    mailbox: mailbox.ops,
};

let configGet: (key: string) => string | undefined = () => undefined;
/** The stack's config lacks the panel connection (set by configure): every check fails with it. */
let unconfigured: Error | undefined;

/** Called by the engine (through the provider object) with the stack's config. */
export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
    configGet = (key) => req.config.get(key);
    unconfigured = missingConnection(configGet);
}

/** For tests and programs that drive the providers directly: set config values by key. */
export function configureWith(values: Record<string, string | undefined>): void {
    configGet = (key) => values[key];
    unconfigured = undefined;
}

export function settings(requireConnection = true): ConnectionSettings {
    return readSettings(configGet, process.env, requireConnection);
}

export const context: OpsContext = {
    defaults: () => settings(false),
    caller(): Caller {
        const s = settings(true);
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

/**
 * Runs one operation. Errors leave here with every known secret (panel password, the
 * passwords among the inputs) masked, whatever layer raised them.
 */
export async function op(kind: ResourceKind, name: keyof ResourceOps, ...args: any[]): Promise<any> {
    // check never calls the panel, so without this a preview of a stack that can never deploy
    // passes. A check failure shows once (the engine stops at the first) and without a stack trace.
    if (name === "check" && unconfigured) return { inputs: args[1], failures: [{ property: "", reason: unconfigured.message }] };
    const impl = OPS[kind][name] as (ctx: OpsContext, ...a: any[]) => Promise<any>;
    try {
        return await runOp(impl, args);
    } finally {
        profile();
    }
}

let opsDone = 0;
/**
 * For the benchmark: with ISPCONFIG_PROFILE_FILE set, the provider process records its CPU
 * time after every operation (the engine may kill it without an exit hook running).
 */
function profile(): void {
    const file = process.env.ISPCONFIG_PROFILE_FILE;
    if (!file) return;
    opsDone++;
    require("node:fs").writeFileSync(`${file}.${process.pid}`, JSON.stringify({ ops: opsDone, cpu: process.cpuUsage() }));
}

/** Errors leave with every known secret masked, whatever layer raised them. */
async function runOp(impl: (ctx: OpsContext, ...a: any[]) => Promise<any>, args: any[]): Promise<any> {
    try {
        return await impl(context, ...args);
    } catch (e: any) {
        let panelPassword: string | undefined;
        try {
            panelPassword = settings(false).password;
        } catch {
            // A config error is being reported; it carries no password.
        }
        const secrets = [panelPassword, ...args.flatMap((a) => (a && typeof a === "object" ? [a.password] : []))];
        if (e && typeof e.message === "string") e.message = redactSecrets(e.message, secrets);
        if (e && typeof e.stack === "string") e.stack = redactSecrets(e.stack, secrets);
        throw e;
    }
}

(globalThis as any).__pulumiIspconfigRuntime = module.exports;
