import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dnsRecord } from "../provider/resources/dnsRecord";
import { Panel, startPanel } from "./helpers/panel";
import { HEX64A, TYPE_CASES, withOrigin } from "./dnsTypes.fixtures";

/*
 * The bad-input corpus of DnsRecord: per type at least five inputs the panel would store and BIND
 * would refuse (freezing the zone), or the panel would refuse halfway through an `up`. Each is
 * refused in `check`, naming the field, with zero calls to the panel.
 */

let p: Panel;
beforeAll(async () => {
    p = await startPanel();
});
afterAll(() => p.close());

const ORIGIN = "check.example.com.";
const base = (type: string) => ({ zoneId: 1, type, ...withOrigin(TYPE_CASES.find((t) => t.type === type)!.args, ORIGIN) });

/** [type, what is changed, the field the message must name, a pattern of the message]. */
const BAD: [string, Record<string, unknown>, string, RegExp][] = [
    // A
    ["A", { address: "192.0.2.256" }, "address", /IPv4/],
    ["A", { address: "2001:db8::1" }, "address", /IPv4/],
    ["A", { address: "" }, "address", /IPv4/],
    ["A", { name: "_dmarc" }, "name", /'_'/],
    ["A", { address: "192.0.2.1", target: "x.example.com" }, "target", /does not belong to a A record/],
    ["A", { name: "bad name" }, "name", /whitespace/],
    // AAAA
    ["AAAA", { address: "192.0.2.10" }, "address", /IPv6/],
    ["AAAA", { address: "2001:db8::zz" }, "address", /IPv6/],
    ["AAAA", { address: "fe80::1%eth0" }, "address", /IPv6/],
    ["AAAA", { address: 42 }, "address", /string/],
    ["AAAA", { name: "-www" }, "name", /not a valid record name/],
    // ALIAS
    ["ALIAS", { name: "@" }, "name", /apex/],
    ["ALIAS", { target: "www" }, "target", /single label/],
    ["ALIAS", { target: "bad!.example.com" }, "target", /not a valid host name/],
    ["ALIAS", { target: "_x.example.com" }, "target", /not a valid host name/],
    ["ALIAS", { name: "*" }, "name", /wildcard/],
    ["ALIAS", { target: undefined }, "target", /required for a ALIAS/],
    // CAA
    ["CAA", { tag: "issuer" }, "tag", /RFC 8659/],
    ["CAA", { value: "" }, "value", /empty/],
    ["CAA", { value: 'letsencrypt.org"; x' }, "value", /double quote/],
    ["CAA", { flags: 1 }, "flags", /0, or 128/],
    ["CAA", { flags: 256 }, "flags", /between 0 and 255/],
    ["CAA", { tag: "iodef", value: "security@example.com" }, "value", /mailto:/],
    ["CAA", { value: "lets encrypt" }, "value", /CA's domain/],
    ["CAA", { tag: undefined }, "tag", /required for a CAA/],
    // CNAME
    ["CNAME", { name: "@" }, "name", /apex/],
    ["CNAME", { target: "www" }, "target", /single label/],
    ["CNAME", { target: "192.0.2.1" }, "target", /IP address/],
    ["CNAME", { target: "bücher.example" }, "target", /punycode/],
    ["CNAME", { target: "a..example.com" }, "target", /not a valid host name/],
    ["CNAME", { target: `${"a".repeat(64)}.example.com` }, "target", /not a valid host name/],
    // DNAME
    ["DNAME", { target: "" }, "target", /empty/],
    ["DNAME", { target: "example" }, "target", /single label/],
    ["DNAME", { target: "exa mple.net" }, "target", /whitespace/],
    ["DNAME", { target: "-x.example.net" }, "target", /not a valid host name/],
    ["DNAME", { address: "192.0.2.1" }, "address", /does not belong/],
    // DS
    ["DS", { digest: "not hex" }, "digest", /hexadecimal/],
    ["DS", { digest: HEX64A.slice(0, 40) }, "digest", /64 hex digits/],
    ["DS", { digestType: 7 }, "digestType", /digest types/],
    ["DS", { keyTag: 70000 }, "keyTag", /between 0 and 65535/],
    ["DS", { algorithm: 0 }, "algorithm", /between 1 and 255/],
    ["DS", { name: "*" }, "name", /wildcard/],
    ["DS", { digest: "abc" }, "digest", /odd number/],
    // HINFO
    ["HINFO", { cpu: "" }, "cpu", /empty/],
    ["HINFO", { os: 'Linux "6"' }, "os", /double quote/],
    ["HINFO", { cpu: "Intel\\Xeon" }, "cpu", /backslash/],
    ["HINFO", { name: "@", cpu: "x\u00e9" }, "cpu", /printable ASCII/],
    ["HINFO", { os: undefined }, "os", /required for a HINFO/],
    ["HINFO", { name: "_host" }, "name", /'_'/],
    // LOC
    ["LOC", { location: "somewhere" }, "location", /RFC 1876/],
    ["LOC", { location: "91 0 0 N 4 53 32 E 0m" }, "location", /at most 90/],
    ["LOC", { location: "52 60 0 N 4 53 32 E 0m" }, "location", /below 60/],
    ["LOC", { location: "52 22 23 X 4 53 32 E 0m" }, "location", /RFC 1876/],
    ["LOC", { location: "52 22 23 N 4 53 32 E" }, "location", /RFC 1876/],
    ["LOC", { location: "" }, "location", /RFC 1876/],
    // MX
    ["MX", { priority: 65536 }, "priority", /between 0 and 65535/],
    ["MX", { priority: -1 }, "priority", /between 0 and 65535/],
    ["MX", { target: "10 mail.example.com" }, "target", /whitespace/],
    ["MX", { target: "mail" }, "target", /single label/],
    ["MX", { target: "_mail.example.com" }, "target", /not a valid host name/],
    ["MX", { target: undefined }, "target", /required for a MX/],
    ["MX", { name: "_x" }, "name", /'_'/],
    // NAPTR
    ["NAPTR", { flags: "SU" }, "flags", /one letter/],
    ["NAPTR", { service: "SIP D2U" }, "service", /SIP\+D2U/],
    ["NAPTR", { regexp: "!^.*$!sip:info@example.com!" }, "replacement", /not both/],
    ["NAPTR", { order: 70000 }, "order", /between 0 and 65535/],
    ["NAPTR", { replacement: "sip" }, "replacement", /single label/],
    ["NAPTR", { preference: undefined }, "preference", /required for a NAPTR/],
    // NS
    ["NS", { target: "ns1" }, "target", /single label/],
    ["NS", { target: "192.0.2.53" }, "target", /IP address/],
    ["NS", { name: "*" }, "name", /wildcard/],
    ["NS", { target: "ns_1.example.net" }, "target", /not a valid host name/],
    ["NS", { target: "." }, "target", /root/],
    // PTR
    ["PTR", { target: "www" }, "target", /single label/],
    ["PTR", { name: "*" }, "name", /wildcard/],
    ["PTR", { name: "_10" }, "name", /'_'/],
    ["PTR", { target: "" }, "target", /empty/],
    ["PTR", { target: "www.example.com", priority: 10 }, "priority", /does not belong/],
    // RP
    ["RP", { mailbox: "host master@example.com" }, "mailbox", /mailbox/],
    ["RP", { mailbox: "a@b@example.com" }, "mailbox", /mailbox/],
    ["RP", { txtName: "info" }, "txtName", /single label/],
    ["RP", { mailbox: `${"a".repeat(60)}@${"b".repeat(60)}.example.com` }, "mailbox", /at most 128/],
    ["RP", { name: "_rp" }, "name", /'_'/],
    ["RP", { txtName: undefined }, "txtName", /required for a RP/],
    // SRV
    ["SRV", { name: "sip" }, "name", /_<service>\._<protocol>/],
    ["SRV", { port: 65536 }, "port", /between 0 and 65535/],
    ["SRV", { weight: -1 }, "weight", /between 0 and 65535/],
    ["SRV", { target: "sip" }, "target", /single label/],
    ["SRV", { target: `${"s".repeat(60)}.example.com` }, "target", /at most 64/],
    ["SRV", { port: undefined }, "port", /required for a SRV/],
    // SSHFP
    ["SSHFP", { algorithm: 5 }, "algorithm", /SSHFP algorithms/],
    ["SSHFP", { fingerprintType: 3 }, "fingerprintType", /fingerprint types/],
    ["SSHFP", { fingerprint: "zz" }, "fingerprint", /hexadecimal/],
    ["SSHFP", { fingerprintType: 1 }, "fingerprint", /40 hex digits/],
    ["SSHFP", { fingerprint: "" }, "fingerprint", /empty/],
    // TLSA
    ["TLSA", { name: "www" }, "name", /_<port>\._tcp/],
    ["TLSA", { name: "_99999._tcp.www" }, "name", /at most 65535/],
    ["TLSA", { usage: 4 }, "usage", /between 0 and 3/],
    ["TLSA", { selector: 2 }, "selector", /between 0 and 1/],
    ["TLSA", { matchingType: 2 }, "certificate", /128 hex digits/],
    ["TLSA", { certificate: "ab:cd" }, "certificate", /hexadecimal/],
    // TXT
    ["TXT", { value: "" }, "value", /empty/],
    ["TXT", { value: '"hello world"' }, "value", /double quote/],
    ["TXT", { value: "line1\nline2" }, "value", /printable ASCII/],
    ["TXT", { value: "back\\slash" }, "value", /backslash/],
    ["TXT", { value: "caf\u00e9" }, "value", /printable ASCII/],
    ["TXT", { value: "x".repeat(65300) }, "value", /at most/],
    ["TXT", { value: 42 }, "value", /string/],
    // any type
    ["MX", { type: "SPF" }, "type", /must be one of/],
    ["TXT", { ttl: 59 }, "ttl", /between 60/],
];

describe("DnsRecord check: the bad-input corpus", () => {
    it("has at least five cases for each of the 18 types", () => {
        for (const t of TYPE_CASES) expect(BAD.filter(([type]) => type === t.type).length, t.type).toBeGreaterThanOrEqual(5);
    });

    for (const [type, change, field, message] of BAD) {
        const label = JSON.stringify(change).slice(0, 70);
        it(`${type} ${label} → ${field}`, async () => {
            const before = p.emu.calls.length;
            const args: Record<string, unknown> = { ...base(type), ...change };
            for (const k of Object.keys(args)) if (args[k] === undefined) delete args[k];
            const r = await dnsRecord.provider.check!({}, args);
            expect(p.emu.calls.length - before).toBe(0);
            const f = (r.failures ?? []).find((x) => x.property === field);
            expect(f, JSON.stringify(r.failures)).toBeDefined();
            expect(f!.reason).toMatch(message);
        });
    }

    it("accepts every type's example, lower-case types and relative-or-dotted targets alike", async () => {
        for (const t of TYPE_CASES) {
            const r = await dnsRecord.provider.check!({}, base(t.type));
            expect(r.failures, t.type).toEqual([]);
        }
        const r = await dnsRecord.provider.check!({}, { zoneId: 1, type: "mx", name: "@", target: "Mail.Example.COM" });
        expect(r.failures).toEqual([]);
        expect(r.inputs).toMatchObject({ type: "MX", target: "mail.example.com." });
    });
});
