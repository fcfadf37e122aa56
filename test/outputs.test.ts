import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { DnsZone, dnsZone } from "../provider/resources/dnsZone";
import { ARecord, aRecord } from "../provider/resources/aRecord";
import { WebDomain, webDomain } from "../provider/resources/webDomain";
import { MailDomain, mailDomain } from "../provider/resources/mailDomain";
import { Mailbox, mailbox } from "../provider/resources/mailbox";

/*
 * Pulumi only makes output properties for the keys handed to the constructor: an optional
 * input left out used to leave `zone.ttl` undefined at run time. Every output a declaration
 * names must be an Output on the object, whatever the program omits.
 */
// The engine answers with every output the provider computed: here, each output name with a
// value naming it.
const everyOutput = Object.fromEntries(
    [dnsZone.declaration, aRecord.declaration, webDomain.declaration, mailDomain.declaration, mailbox.declaration]
        .flatMap((d) => outputNames(d))
        .map((k) => [k, `engine:${k}`]),
);
pulumi.runtime.setMocks(
    {
        newResource(args) {
            return { id: `${args.name}-id`, state: { ...args.inputs, ...everyOutput } };
        },
        call: () => ({}),
    },
    "project",
    "stack",
    false,
);

function outputNames(decl: { idOutput: string; fields: object; computed?: object }) {
    return [decl.idOutput, ...Object.keys(decl.fields), ...Object.keys(decl.computed ?? {})];
}

describe("declared outputs exist at run time", () => {
    const cases = [
        ["zone", dnsZone.declaration, () => new DnsZone("zone", { origin: "example.com", ns: "ns1.example.com", mbox: "h@example.com" })],
        ["www", aRecord.declaration, () => new ARecord("www", { zoneId: 1, name: "www", address: "192.0.2.1" })],
        ["site", webDomain.declaration, () => new WebDomain("site", { domain: "example.com" })],
        ["mail", mailDomain.declaration, () => new MailDomain("mail", { domain: "example.com" })],
        ["box", mailbox.declaration, () => new Mailbox("box", { email: "a@example.com", password: "S3cure-Passw0rd!" })],
    ] as const;
    for (const [name, decl, make] of cases) {
        it(`${decl.type}: every output is an Output though only the required inputs are given`, async () => {
            const r = make() as unknown as Record<string, unknown>;
            const names = outputNames(decl).filter((k) => k !== "adopt");
            for (const k of names) {
                expect(pulumi.Output.isInstance(r[k]), `${decl.type}.${k}`).toBe(true);
                const value = await new Promise((done) => (r[k] as pulumi.Output<unknown>).apply(done));
                if (k !== "password") expect(value, `${decl.type}.${k}`).toBe(`engine:${k}`);
            }
            void name;
        });
    }

});
