import * as path from "node:path";
import * as ts from "typescript";
import { describe, expect, it } from "vitest";

/*
 * What a user's editor shows: the Args and Outputs types are derived from each resource's field
 * table, so these check, through the TypeScript language service over a small user program,
 * that they type-check as a user expects and carry the field's JSDoc to the hover.
 */
const root = path.join(__dirname, "..");
const file = path.join(root, "test", "__user_program__.ts");
const program = `
import * as pulumi from "@pulumi/pulumi";
import * as ispconfig from "pulumi-ispconfig";
const cfg = new pulumi.Config();
const zone = new ispconfig.DnsZone("zone", { origin: "example.com", ns: "ns1.example.com", mbox: "h@example.com", ttl: 600 });
new ispconfig.ARecord("www", { zoneId: zone.id, name: "www", address: "192.0.2.1" });
new ispconfig.WebDomain("site", { domain: "example.com", php: "php-fpm", pm: cfg.require("pm") });
new ispconfig.Mailbox("box", { email: "a@example.com", password: cfg.requireSecret("pw"), quota: 10 });
// @ts-expect-error ttl is a number
new ispconfig.DnsZone("z2", { origin: "e.com", ns: "n.e.com", mbox: "m@e.com", ttl: "600" });
// @ts-expect-error origin is required
new ispconfig.DnsZone("z3", { ns: "n.e.com", mbox: "m@e.com" });
// @ts-expect-error type is not an input: every ARecord is an A record
new ispconfig.ARecord("a2", { zoneId: 1, name: "www", address: "192.0.2.1", type: "A" });
// @ts-expect-error no such input
new ispconfig.MailDomain("m", { domain: "e.com", quota: 5 });
const ttl: pulumi.Output<number> = zone.ttl;
const serial: pulumi.Output<number> = zone.serial;
const zoneId: pulumi.Output<number> = zone.zoneId;
const owner: pulumi.Output<number> = zone.clientId;
export const used = [ttl, serial, zoneId, owner];
const site = new ispconfig.WebDomain("s2", { domain: "example.org" });
export const root: pulumi.Output<string> = site.documentRoot;
new ispconfig.DnsRecord("mx", { zoneId: zone.id, type: "MX", name: "@", target: "mail.example.com", priority: 10 });
new ispconfig.DnsRecord("srv", { zoneId: zone.id, type: "SRV", name: "_sip._tcp", weight: 5, port: 5060, target: "sip.example.com" });
new ispconfig.DnsRecord("txt", { zoneId: zone.id, type: "TXT", name: "@", value: "v=spf1 mx ~all" });
// @ts-expect-error an MX record has no address
new ispconfig.DnsRecord("mx2", { zoneId: zone.id, type: "MX", name: "@", target: "m.example.com", address: "192.0.2.1" });
// @ts-expect-error an SRV record needs its port
new ispconfig.DnsRecord("srv2", { zoneId: zone.id, type: "SRV", name: "_sip._tcp", weight: 5, target: "sip.example.com" });
const caa = new ispconfig.DnsRecord("caa", { zoneId: zone.id, type: "CAA", name: "@", tag: "issue", value: "letsencrypt.org" });
export const fqdn: pulumi.Output<string> = caa.fqdn;
const set = new ispconfig.DnsZoneRecords("set", { zoneId: zone.id, authoritative: true, records: [{ type: "A", name: "www", address: "192.0.2.1" }, { type: "MX", name: "@", target: "mx.example.net", priority: 10 }] });
// @ts-expect-error an MX record in a set has no address
new ispconfig.DnsZoneRecords("set2", { zoneId: zone.id, records: [{ type: "MX", name: "@", target: "m.example.com", address: "192.0.2.1" }] });
// @ts-expect-error zoneId is the set's, not a record's
new ispconfig.DnsZoneRecords("set3", { zoneId: zone.id, records: [{ type: "A", name: "www", address: "192.0.2.1", zoneId: 1 }] });
export const ids: pulumi.Output<Record<string, number>> = set.recordIds;
export const origin: pulumi.Output<string> = set.origin;
`;

function languageService() {
    const config = ts.readConfigFile(path.join(root, "tsconfig.json"), ts.sys.readFile).config;
    const options = ts.parseJsonConfigFileContent(config, ts.sys, root).options;
    const host: ts.LanguageServiceHost = {
        getScriptFileNames: () => [file],
        getScriptVersion: () => "1",
        getScriptSnapshot: (f) => (f === file ? ts.ScriptSnapshot.fromString(program) : ts.sys.fileExists(f) ? ts.ScriptSnapshot.fromString(ts.sys.readFile(f)!) : undefined),
        getCurrentDirectory: () => root,
        getCompilationSettings: () => ({ ...options, noEmit: true }),
        getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
        fileExists: (f) => f === file || ts.sys.fileExists(f),
        readFile: (f) => (f === file ? program : ts.sys.readFile(f)),
        directoryExists: ts.sys.directoryExists,
        getDirectories: ts.sys.getDirectories,
    };
    return ts.createLanguageService(host);
}

describe("a user's program, as the editor sees it", () => {
    const ls = languageService();

    it("type-checks: right inputs pass, wrong types, missing required and unknown inputs are errors, outputs are typed", () => {
        const diags = [...ls.getSyntacticDiagnostics(file), ...ls.getSemanticDiagnostics(file)].map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
        expect(diags).toEqual([]);
    }, 60_000);

    it("hover over an input shows the field's JSDoc (default and what a change does)", () => {
        const hover = (needle: string) => {
            const qi = ls.getQuickInfoAtPosition(file, program.indexOf(needle))!;
            return ts.displayPartsToString(qi.documentation);
        };
        expect(hover("ttl: 600")).toMatch(/Default 3600/);
        expect(hover('php: "php-fpm"')).toMatch(/PHP mode/);
        expect(hover("zoneId: zone.id")).toMatch(/Changing it replaces the record/);
        expect(hover("quota: 10")).toMatch(/Quota in MB/);
        expect(hover("authoritative: true")).toMatch(/delete every record of the zone that is not in `records`/);
    });

    it("completion inside a resource's args offers its inputs with their docs, and an enum's values", () => {
        const at = program.indexOf('php: "php-fpm"');
        const entries = ls.getCompletionsAtPosition(file, at, {})!.entries.map((e) => e.name);
        expect(entries).toEqual(expect.arrayContaining(["php", "hdQuota", "clientId", "ssl", "logRetention", "adopt"]));
        const values = ls.getCompletionsAtPosition(file, at + 'php: "'.length, {})!.entries.map((e) => e.name);
        expect(values).toEqual(expect.arrayContaining(["php-fpm", "fast-cgi", "mod", "no"]));
    });

    it("a DnsRecord's completion offers the fields of the chosen type, and only those", () => {
        const names = (needle: string) => ls.getCompletionsAtPosition(file, program.indexOf(needle), {})!.entries.map((e) => e.name);
        const mx = names("priority: 10 }");
        // (names already written are not offered again)
        expect(mx).toEqual(expect.arrayContaining(["priority", "ttl", "active", "adopt"]));
        expect(mx).not.toContain("address");
        expect(mx).not.toContain("weight");
        const srv = names("weight: 5, port");
        expect(srv).toEqual(expect.arrayContaining(["priority", "weight"]));
        expect(srv).not.toContain("value");
        const caa = names('tag: "issue"');
        expect(caa).toEqual(expect.arrayContaining(["flags", "tag"]));
        expect(caa).not.toContain("target");
    });
});
