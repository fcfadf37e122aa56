import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type * as dynamic from "@pulumi/pulumi/dynamic";

export type ResourceKind = "dnsZone" | "aRecord" | "dnsRecord" | "dnsZoneRecords" | "webDomain" | "mailDomain" | "mailbox";

/**
 * Where the runtime of this copy of the package lives, for the plugin process to find it when the
 * package is not installed under the project's node_modules (a checkout: tests, the demo, the
 * benchmarks). Set in the environment of the program's process, which the CLI, the engine and
 * the plugin inherit when the program is an Automation API one; never written into state.
 */
export const RUNTIME_ENV = "PULUMI_ISPCONFIG_RUNTIME";
const compiledRuntime = path.join(__dirname, "..", "runtime.js");
if (fs.existsSync(compiledRuntime)) process.env[RUNTIME_ENV] = compiledRuntime;

/**
 * The provider object Pulumi stores in state (`__provider`, in each resource's inputs and again in
 * its outputs) as the text the engine's plugin loads: `require-from-string(text).handler()`
 * (@pulumi/pulumi's cmd/dynamic-provider). Written by hand rather than by Pulumi's closure
 * serializer: ~200 bytes instead of ~2.7 KB, and no path of the machine that ran the program.
 * It holds the resource kind and how to find the runtime, nothing else: no secret, no endpoint
 * (credentials reach the runtime through `configure` or the environment).
 *
 * The runtime is found from `PULUMI_ISPCONFIG_RUNTIME` (set by the program's process, so a
 * checkout driving the CLI through the Automation API finds itself); else by package name from the plugin's working directory, the
 * project: its node_modules (an installed package, the normal case) or the project itself (the
 * repo root's Pulumi.yaml).
 *
 * The texts older versions wrote (closures over an absolute path that try the package name
 * first, then that path, and call `configure` and `op`) keep working with this runtime: the engine
 * loads each resource's own text from state for read, diff and delete. A changed text changes
 * nothing in a plan: the dynamic provider's diff ignores `__provider`.
 */
export function providerText(kind: ResourceKind): string {
    return (
        `exports.handler=()=>{const p=process.env.${RUNTIME_ENV};return(p?require(p):require('module')` +
        `.createRequire(process.cwd()+'/')('pulumi-ispconfig/bin/provider/runtime')).provider('${kind}')}`
    );
}

const texts = new WeakMap<object, string>();

/**
 * The same provider as an object, for callers in this process (tests, the in-process benchmark)
 * and the key to its text for `ShimResource`. It loads the runtime next to this file (the same
 * copy, TypeScript or compiled) when first called.
 */
export function makeProvider(kind: ResourceKind): dynamic.ResourceProvider {
    const load = (): any => (globalThis as any).__pulumiIspconfigRuntime ?? require(path.join(__dirname, "..", "runtime"));
    const provider: dynamic.ResourceProvider = {
        configure: (req) => load().configure(req),
        check: (olds, news) => load().op(kind, "check", olds, news),
        diff: (id, olds, news) => load().op(kind, "diff", id, olds, news),
        create: (inputs) => load().op(kind, "create", inputs),
        read: (id, props) => load().op(kind, "read", id, props),
        update: (id, olds, news) => load().op(kind, "update", id, olds, news),
        delete: (id, props) => load().op(kind, "delete", id, props),
    };
    texts.set(provider, providerText(kind));
    return provider;
}

/**
 * While a resource is constructed, the SDK reads `new Error().stack` many times: once with no
 * frame limit, to store the first frame past its own as the source position and all of them as
 * the stack trace in state (~600 bytes per resource, pointing into this package's kit, not the
 * user's code, with the machine's paths), and once for every promise it wraps (`debuggablePromise`,
 * kept for its leak report). Each read formats every frame through source-map-support: most of
 * the program's time per resource. During our constructor's `super()` only, a stack reads as its
 * first line alone: no frame is formatted or mapped, and nothing is stored in state. Errors whose
 * stack is read after the constructor are not affected (V8 formats a stack when it is first
 * read); an error thrown out of the constructor gets the stack of the program's call. With
 * PULUMI_DEBUG_PROMISE_LEAKS set, stacks are left whole, for the leak report.
 */
const noFrames = (err: Error): string => String(err);
const keepStacks = !!process.env.PULUMI_DEBUG_PROMISE_LEAKS;

/**
 * What `pulumi.dynamic.Resource` is, with our provider text instead of the closure serializer's.
 * `dynamic.Resource`'s constructor only serializes the provider into `__provider` and registers
 * `pulumi-nodejs:dynamic/<module>:<type>`; this does the same with the text above (and spends no
 * time in the serializer). Instances are still `instanceof pulumi.dynamic.Resource`.
 */
export class ShimResource extends pulumi.CustomResource {
    constructor(
        provider: dynamic.ResourceProvider,
        name: string,
        props: pulumi.Inputs,
        opts?: pulumi.CustomResourceOptions,
        module?: string,
        type = "Resource",
    ) {
        const text = texts.get(provider);
        if (text === undefined) throw new Error("ShimResource needs a provider made by makeProvider");
        if (props.__provider) throw new Error("A dynamic resource must not define the __provider key");
        props.__provider = text;
        const prev = Error.prepareStackTrace;
        const limit = Error.stackTraceLimit;
        if (!keepStacks) {
            Error.prepareStackTrace = noFrames;
            Error.stackTraceLimit = 0;
        }
        try {
            super(`pulumi-nodejs:dynamic${module ? `/${module}` : ""}:${type}`, name, props, opts);
        } catch (e) {
            Error.prepareStackTrace = prev;
            Error.stackTraceLimit = limit;
            // Made without frames: give it the stack of the program's call instead.
            if (e instanceof Error && !keepStacks) Error.captureStackTrace(e, new.target);
            throw e;
        } finally {
            Error.prepareStackTrace = prev;
            Error.stackTraceLimit = limit;
        }
    }
}
Object.setPrototypeOf(ShimResource.prototype, pulumi.dynamic.Resource.prototype);
