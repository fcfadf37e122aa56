import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { ARecord } from "../provider/resources/aRecord";
import { MailDomain } from "../provider/resources/mailDomain";
import { providerText } from "../provider/resources/providerShim";
import { inProviderPlugin } from "../provider/soap/sharedSession";

/*
 * The resource classes register what pulumi.dynamic.Resource registers (same type, so existing
 * stacks see no replace), with our short provider text in __provider, without the SDK's stack
 * traces, and leave the process's stack settings as they found them.
 */
const registered: { type: string; name: string; inputs: Record<string, any>; sourcePosition?: unknown }[] = [];
pulumi.runtime.setMocks(
    {
        newResource(args) {
            registered.push({ type: args.type, name: args.name, inputs: args.inputs });
            return { id: `${args.name}-id`, state: args.inputs };
        },
        call: () => ({}),
    },
    "project",
    "stack",
    false,
);

describe("resource classes (ShimResource)", () => {
    it("are dynamic resources of the same type, storing the short provider text", async () => {
        const r = new ARecord("www", { zoneId: 1, name: "www", address: "192.0.2.1" });
        expect(r).toBeInstanceOf(pulumi.dynamic.Resource);
        expect(r).toBeInstanceOf(pulumi.CustomResource);
        await new Promise<void>((done) => r.urn.apply(() => done()));
        const reg = registered.find((x) => x.name === "www")!;
        expect(reg.type).toBe("pulumi-nodejs:dynamic/ispconfig:ARecord");
        expect(reg.inputs.__provider).toBe(providerText("aRecord"));
        expect(reg.inputs.__provider.length).toBeLessThan(300);
    });

    it("restore Error.prepareStackTrace and Error.stackTraceLimit, also when construction throws", () => {
        const prepare = (e: Error) => `custom ${e.message}`;
        const before = Error.prepareStackTrace;
        Error.prepareStackTrace = prepare;
        Error.stackTraceLimit = 17;
        try {
            new MailDomain("md", { domain: "example.com" });
            expect(Error.prepareStackTrace).toBe(prepare);
            expect(Error.stackTraceLimit).toBe(17);
            // An invalid option makes the SDK throw inside super().
            let thrown: any;
            try {
                new MailDomain("bad", { domain: "example.com" }, { parent: {} as any });
            } catch (e) {
                thrown = e;
            }
            expect(thrown).toBeInstanceOf(Error);
            // The error keeps a stack that leads back to the program's line.
            Error.prepareStackTrace = before;
            expect(String(thrown.stack)).toContain("providerShim.test.ts");
            Error.prepareStackTrace = prepare;
            expect(Error.prepareStackTrace).toBe(prepare);
            expect(Error.stackTraceLimit).toBe(17);
        } finally {
            Error.prepareStackTrace = before;
            Error.stackTraceLimit = 10;
        }
    });
});

describe("the plugin process is recognised (its SIGINT is taken over to log out)", () => {
    it("only @pulumi/pulumi's cmd/dynamic-provider", () => {
        expect(inProviderPlugin("/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js")).toBe(true);
        expect(inProviderPlugin("/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider")).toBe(true);
        expect(inProviderPlugin("C:\\p\\node_modules\\@pulumi\\pulumi\\cmd\\dynamic-provider\\index.js")).toBe(true);
        expect(inProviderPlugin("/p/node_modules/@pulumi/pulumi/cmd/run/index.js")).toBe(false);
        expect(inProviderPlugin("/p/node_modules/vitest/vitest.mjs")).toBe(false);
        expect(inProviderPlugin(undefined)).toBe(false);
        expect(inProviderPlugin()).toBe(false);
    });
});
