import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type * as dynamic from "@pulumi/pulumi/dynamic";

export type ResourceKind = "dnsZone" | "aRecord" | "webDomain" | "mailDomain" | "mailbox";

/**
 * Where the runtime of this copy of the package lives, for the plugin process to find it when the
 * package is not installed under the project's node_modules (a checkout: tests, the demo, the
 * benchmarks). Set in the environment of the program's process, which the CLI, the engine and
 * the plugin inherit when the program is an Automation API one; never written into state.
 */
export const RUNTIME_ENV = "PULUMI_ISPCONFIG_RUNTIME";
if (!process.env[RUNTIME_ENV]) process.env[RUNTIME_ENV] = path.join(__dirname, "..", "runtime.js");

/**
 * The provider object Pulumi stores in state (`__provider`) for every resource, as the text the
 * engine's plugin loads (`require-from-string(text).handler()`, @pulumi/pulumi's
 * cmd/dynamic-provider). It is written by hand rather than by Pulumi's closure serializer: about
 * 560 bytes instead of ~3.5 KB, and no path of the machine that ran the program. It holds the
 * resource kind and how to find the runtime, nothing else: no secret, no endpoint (credentials
 * reach the runtime through `configure` or the environment).
 *
 * The runtime is found, in order: already loaded in this process (in-process tests); by package
 * name from the plugin's working directory, the project (an installed package, the normal case);
 * from `PULUMI_ISPCONFIG_RUNTIME` (a checkout driving the CLI through the Automation API); by the
 * project's own name (the project is this package: the repo root's Pulumi.yaml). It only calls
 * `configure` and `op`, which every runtime since the first has, so state written by this version
 * also works with an older one, and the texts older versions wrote (closures over an absolute
 * path) keep working with this runtime.
 *
 * Changing this text changes nothing for existing stacks: the dynamic provider's diff ignores
 * `__provider`, and the engine loads each resource's own text for read and delete.
 */
export function providerText(kind: ResourceKind): string {
    return (
        `exports.handler=()=>{const k=${JSON.stringify(kind)},n="pulumi-ispconfig/bin/provider/runtime";let r;` +
        `const R=()=>r||(r=globalThis.__pulumiIspconfigRuntime||(()=>{try{return require(n)}catch(e){if(e.code!=="MODULE_NOT_FOUND")throw e}` +
        `const p=process.env.${RUNTIME_ENV};return p?require(p):require("module").createRequire(process.cwd()+"/_")(n)})());` +
        `const o={configure:q=>R().configure(q)};for(const m of["check","diff","create","read","update","delete"])o[m]=(...a)=>R().op(k,m,...a);return o}`
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
        super(`pulumi-nodejs:dynamic${module ? `/${module}` : ""}:${type}`, name, props, opts);
    }
}
Object.setPrototypeOf(ShimResource.prototype, pulumi.dynamic.Resource.prototype);
