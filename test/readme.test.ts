import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { Declaration } from "../provider/resources/kit";
import { dnsZone } from "../provider/resources/dnsZone";
import { aRecord } from "../provider/resources/aRecord";
import { dnsRecord } from "../provider/resources/dnsRecord";
import { webDomain } from "../provider/resources/webDomain";
import { mailDomain } from "../provider/resources/mailDomain";
import { mailbox } from "../provider/resources/mailbox";
import { dnsZoneRecords } from "../provider/resources/dnsZoneRecords";

/*
 * The README's per-resource tables are what a reviewer reads to know what a preview puts at
 * stake. They are checked against the declarations, so they cannot drift: every input listed
 * once, its default as declared, "replaces" exactly where a change replaces.
 */
const readme = readFileSync(path.join(__dirname, "..", "README.md"), "utf8");

function table(type: string): Map<string, { def: string; change: string }> {
    const start = readme.indexOf(`\n### ${type}\n`);
    expect(start, `README has a "### ${type}" section`).toBeGreaterThan(0);
    const rows = new Map<string, { def: string; change: string }>();
    for (const line of readme.slice(start).split("\n").slice(2)) {
        if (line.startsWith("#")) break;
        const m = /^\| `(\w+)` \| ([^|]+) \| ([^|]+) \|/.exec(line);
        if (!m) continue;
        expect(rows.has(m[1]), `${type}.${m[1]} listed once`).toBe(false);
        rows.set(m[1], { def: m[2].trim(), change: m[3].trim() });
    }
    return rows;
}

function expectedDefault(decl: Declaration, k: string): string {
    const f = decl.fields[k];
    if (f.required) return "required";
    // A DNS record's own fields: required by the types that take them (checked per type).
    if (f.default === undefined) return decl.type === "DnsRecord" ? "per type" : "–";
    // A default that depends on other inputs (a DNS record's type) is listed "by type".
    if (typeof f.default === "function" && f.default.length === 2) return "by type";
    if (typeof f.default === "function") return `\`ispconfig:${f.default({ clientId: -77, serverId: -88 }) === -77 ? "clientId" : "serverId"}\``;
    if (typeof f.default === "string") return f.default === "" ? '`""`' : `\`${f.default}\``;
    return String(f.default);
}

describe("README resource tables match the declarations", () => {
    for (const decl of [dnsZone.declaration, aRecord.declaration, dnsRecord.declaration, dnsZoneRecords.declaration, webDomain.declaration, mailDomain.declaration, mailbox.declaration] as Declaration[]) {
        it(decl.type, () => {
            const rows = table(decl.type);
            const inputs = Object.keys(decl.fields).filter((k) => !(decl.fixed && k in decl.fixed));
            expect([...rows.keys()].sort()).toEqual(inputs.sort());
            for (const k of inputs) {
                const row = rows.get(k)!;
                expect(row.def, `${decl.type}.${k} default`).toBe(expectedDefault(decl, k));
                expect(row.change === "**replaces**", `${decl.type}.${k} replaces`).toBe(!!decl.fields[k].replaces);
            }
        });
    }
});
