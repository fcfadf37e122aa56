import * as path from "node:path";
import type * as dynamic from "@pulumi/pulumi/dynamic";

export type ResourceKind = "dnsZone" | "aRecord" | "dnsRecord" | "webDomain" | "mailDomain" | "mailbox";

/**
 * The provider object Pulumi serializes into state (`__provider`) for every resource.
 *
 * It must stay tiny and hold no secret: its methods only capture the resource kind and where
 * the runtime lives, and load the real implementation (provider/runtime.ts) when the engine's
 * plugin process calls them. Credentials reach the runtime through `configure` (stack config)
 * or the environment, never through this object.
 */
export function makeProvider(kind: ResourceKind): dynamic.ResourceProvider {
    // Fallback for a checkout that is not installed under node_modules (tests, the demo).
    const localRuntime = path.join(__dirname, "..", "runtime");
    const load = (): any => {
        const g = globalThis as any;
        if (g.__pulumiIspconfigRuntime) return g.__pulumiIspconfigRuntime;
        try {
            return require("pulumi-ispconfig/bin/provider/runtime");
        } catch (e: any) {
            if (e?.code !== "MODULE_NOT_FOUND") throw e;
        }
        return require(localRuntime);
    };
    return {
        configure: (req) => load().configure(req),
        check: (olds, news) => load().op(kind, "check", olds, news),
        diff: (id, olds, news) => load().op(kind, "diff", id, olds, news),
        create: (inputs) => load().op(kind, "create", inputs),
        read: (id, props) => load().op(kind, "read", id, props),
        update: (id, olds, news) => load().op(kind, "update", id, olds, news),
        delete: (id, props) => load().op(kind, "delete", id, props),
    };
}
