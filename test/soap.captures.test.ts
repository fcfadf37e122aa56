import { afterAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { MAX_RESPONSE_BYTES, decodeRequest, decodeResponse, decodeResponseWithParser, scanAnswer } from "../provider/soap/decode";
import { encodeRequest, soapAction } from "../provider/soap/envelope";
import { AuthError, FaultError, ISPConfigError, InputError, NotFoundError, PermissionError, TransportError, ValidationError } from "../provider/soap/errors";
import { SoapValue } from "../provider/soap/value";
import { WIRE, canonical as tree, parseDecoded } from "./helpers/wire";

/*
 * The client against the real panel's bytes (test/fixtures/wire, see its README):
 * - every captured answer decodes to what PHP's SoapClient made of it (`*.decoded.txt`), or to
 *   the right typed error for a fault;
 * - every request PHP's SoapClient sent is rebuilt by our encoder, from the call as SUMMARY.txt
 *   records it, into the same XML (compared as namespace-resolved trees, so prefixes and the
 *   order of declarations do not matter);
 * - hostile strings, hostile answers, and the speed of a 10,000-record answer.
 */

const read = (dir: string, name: string) => (fs.existsSync(path.join(dir, name)) ? fs.readFileSync(path.join(dir, name), "utf8") : undefined);
const names = (dir: string, ext: string) => fs.readdirSync(dir).filter((f) => f.endsWith(ext)).map((f) => f.slice(0, -ext.length)).sort();
const statusOf = (headers: string | undefined) => Number(/^HTTP\/1\.[01] (\d{3})/m.exec(headers ?? "")?.[1] ?? 200);

/** The typed error each of the panel's fault codes must become. */
function errorClassFor(code: string): new (...a: any[]) => ISPConfigError {
    if (/^(login_|session_)/.test(code)) return AuthError;
    if (code === "permission_denied") return PermissionError;
    if (code === "data_processing_error") return ValidationError;
    if (["no_group_found", "no_domain_found", "no_client_found", "invalid_id"].includes(code)) return NotFoundError;
    return FaultError;
}

// ---------------------------------------------------------------------------------------------
// SUMMARY.txt: `NN_name  method("<session>",1,{…})  -- comment`, arguments as JSON.

function summaryCalls(): Map<string, { method: string; args: unknown[] }[]> {
    const out = new Map<string, { method: string; args: unknown[] }[]>();
    for (const line of fs.readFileSync(path.join(WIRE, "SUMMARY.txt"), "utf8").split("\n")) {
        const m = /^(\d\d_\S+)  (\w+)\((.*?)\)(?:  -- .*)?$/.exec(line);
        if (!m) continue;
        const list = out.get(m[1]) ?? [];
        list.push({ method: m[2], args: JSON.parse(`[${m[3]}]`) });
        out.set(m[1], list);
    }
    return out;
}

const CALLS = summaryCalls();
const counts = { decoded: 0, decodedOf: 0, faults: 0, encodedFromSummary: 0, encodedRoundTrip: 0, encodedOf: 0, curl: 0, curlOf: 0 };
afterAll(() => {
    // eslint-disable-next-line no-console
    console.log(
        `captures: decoded ${counts.decoded}/${counts.decodedOf} (${counts.faults} of them faults), ` +
            `encoded ${counts.encodedFromSummary + counts.encodedRoundTrip}/${counts.encodedOf} ` +
            `(${counts.encodedFromSummary} rebuilt from SUMMARY.txt, ${counts.encodedRoundTrip} from the request's own arguments), ` +
            `curl answers ${counts.curl}/${counts.curlOf}`,
    );
});

/** An empty PHP array prints as `array ()` whether it came as an empty Map or an empty Array. */
function normal(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(normal);
    if (v && typeof v === "object") return Object.keys(v).length === 0 ? [] : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normal(x)]));
    return v;
}

const SOAP_DIRS = [WIRE, path.join(WIRE, "strict-sql-mode")];
const responses = SOAP_DIRS.flatMap((dir) => names(dir, ".response.xml").map((n) => ({ dir, name: n, label: path.relative(WIRE, path.join(dir, n)) })));

describe("every captured answer decodes as PHP's SoapClient decoded it", () => {
    it("finds the captures", () => {
        expect(responses.length).toBeGreaterThanOrEqual(156);
    });
    it.each(responses.map((r) => [r.label, r] as const))("%s", (_l, { dir, name }) => {
        counts.decodedOf++;
        const body = read(dir, `${name}.response.xml`)!;
        const status = statusOf(read(dir, `${name}.response.headers`));
        const expected = parseDecoded(read(dir, `${name}.decoded.txt`)!);
        const method = /<(?:[\w-]+:)?(\w+)Response[\s>]/.exec(body)?.[1] ?? name.replace(/^\d+_/, "").replace(/__.*/, "");
        const raw = scanAnswer(body, status, method);
        if ("fault" in expected) {
            expect(status).toBe(500);
            expect(raw).toEqual({ fault: expected.fault });
            const err = (() => {
                try {
                    decodeResponse(body, status, method);
                } catch (e) {
                    return e as Error;
                }
            })();
            expect(err).toBeInstanceOf(errorClassFor(expected.fault.code));
            // The reference decoder (fast-xml-parser) throws the same.
            expect(() => decodeResponseWithParser(body, status, method)).toThrow(err!.message);
            counts.faults++;
        } else {
            expect(status).toBe(200);
            expect(normal((raw as { value: SoapValue }).value)).toEqual(expected.value);
            expect(decodeResponseWithParser(body, status, method)).toEqual(decodeResponse(body, status, method));
        }
        counts.decoded++;
    });
});

describe("curl/: hand-made requests' answers (SOAP 1.1 ones decode; SOAP 1.2 is refused)", () => {
    const dir = path.join(WIRE, "curl");
    const want: Record<string, (v: () => SoapValue) => void> = {
        C01_login: (v) => expect(v()).toMatch(/^[a-z][0-9a-f]{40}$/),
        C02_login__untyped_no_soapaction: (v) => expect(v()).toMatch(/^[a-z][0-9a-f]{40}$/),
        C03_server_get_app_version__untyped: (v) => expect(v()).toEqual({ ispc_app_version: "3.2.11p2" }),
        C04_sites_web_domain_get__untyped_id: (v) => expect(v()).toMatchObject({ domain_id: "2", server_id: "1" }),
        C05_sites_web_domain_get__map_filter: (v) => expect(v()).toMatchObject([{ domain_id: "2" }]),
        C06_sites_web_domain_get__struct_filter: (v) => expect(v()).toMatchObject([{ domain_id: "2" }]),
        C07_dns_zone_update__struct_params: (v) => expect(v()).toBe(1),
        C08_dns_zone_update__map_params: (v) => expect(v()).toBe(1),
        C09_sites_web_domain_get__nil_id: (v) => expect(v()).toEqual([]),
        C10_server_get_app_version__gzip: (v) => expect(v()).toEqual({ ispc_app_version: "3.2.11p2" }),
        C11_server_get_app_version__soap12: (v) => expect(v).toThrow(/not a SOAP 1\.1 envelope/),
        C12_malformed_xml: (v) => expect(v).toThrow(FaultError),
        C13_empty_body: (v) => expect(v).toThrow(/Bad Request \(SOAP-ENV:Client\)/),
        C14_dns_rr_get_all_by_zone__typed: (v) => expect((v() as SoapValue[]).every((r) => typeof r === "object" && r !== null && "id" in r)).toBe(true),
        C15_bogus_session: (v) => expect(v).toThrow(AuthError),
        C16_query_string_uri: (v) => expect(v()).toEqual({ ispc_app_version: "3.2.11p2" }),
        C17_logout: (v) => expect(v()).toBe(true),
        C20_mail_domain_add__struct_params: (v) => expect(v).toThrow(/Cannot use object of type stdClass as array \(SOAP-ENV:Server\)/),
        C21_dns_zone_add__struct_params: (v) => expect(v).toThrow(FaultError),
        C22_logout: (v) => expect(v()).toBe(true),
    };
    const all = names(dir, ".response.xml");
    it("has an expectation for every answer", () => expect(all.sort()).toEqual(Object.keys(want).sort()));
    it.each(all)("%s", (name) => {
        counts.curlOf++;
        const body = read(dir, `${name}.response.xml`)!;
        const status = statusOf(read(dir, `${name}.response.http`));
        want[name](() => decodeResponse(body, status, "m"));
        if (name !== "C11_server_get_app_version__soap12") {
            let ours: unknown, ref: unknown;
            try {
                ours = decodeResponse(body, status, "m");
            } catch (e: any) {
                ours = e.message;
            }
            try {
                ref = decodeResponseWithParser(body, status, "m");
            } catch (e: any) {
                ref = e.message;
            }
            expect(ours).toEqual(ref);
        }
        counts.curl++;
    });
});

describe("every request PHP's SoapClient sent is rebuilt byte-for-tree by the encoder", () => {
    const requests = SOAP_DIRS.flatMap((dir) => names(dir, ".request.xml").map((n) => ({ dir, name: n, label: path.relative(WIRE, path.join(dir, n)) })));
    it.each(requests.map((r) => [r.label, r] as const))("%s", (_l, { dir, name }) => {
        counts.encodedOf++;
        const xml = read(dir, `${name}.request.xml`)!;
        const headers = read(dir, `${name}.request.headers`) ?? "";
        const uri = /xmlns:ns1="([^"]*)"/.exec(xml)![1];
        const sid = /<param0 xsi:type="xsd:string">([a-z0-9]*)<\/param0>/.exec(xml)?.[1] ?? "";
        const want = tree(xml);
        const candidates = CALLS.get(name) ?? [];
        // The same call as SUMMARY.txt records it (the leave-one-out runs reuse names: any of them).
        const rebuilt = candidates.find(({ method, args }) => {
            const a = args.map((x) => (x === "<session>" ? sid : x)) as SoapValue[];
            return JSON.stringify(tree(encodeRequest(uri, method, a))) === JSON.stringify(want);
        });
        let method: string;
        if (candidates.length > 0) {
            expect(rebuilt, `no SUMMARY.txt call of ${name} encodes to its request.xml`).toBeDefined();
            method = rebuilt!.method;
            counts.encodedFromSummary++;
        } else {
            // Not in SUMMARY.txt (95_/96_): the arguments as the reference decoder reads them.
            const call = decodeRequest(xml);
            expect(tree(encodeRequest(uri, call.method, call.args))).toEqual(want);
            method = call.method;
            counts.encodedRoundTrip++;
        }
        const action = /^SOAPAction: (.*)$/m.exec(headers)?.[1]?.trim();
        if (action) expect(soapAction(uri, method)).toBe(action);
    });
});

// ---------------------------------------------------------------------------------------------

const ENV_OPEN =
    '<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="/remote/index.php" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:ns2="http://xml.apache.org/xml-soap" xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/"><SOAP-ENV:Body><ns1:xResponse>';
const ENV_CLOSE = "</ns1:xResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>\n";
const answer = (ret: string) => ENV_OPEN + ret + ENV_CLOSE;

describe("the fast scanner and the reference parser agree on any spelling of the same answer", () => {
    /** The same document with other prefixes, whitespace and comments between elements, single quotes. */
    const respell = (xml: string) =>
        xml
            .replace(/(?<=[<\s/"'])(SOAP-ENV|SOAP-ENC|xsi|xsd|ns1|ns2):/g, (_m, p: string) => `${{ "SOAP-ENV": "e", "SOAP-ENC": "c", xsi: "i", xsd: "d", ns1: "r", ns2: "m" }[p]}:`)
            .replace(/xmlns:(SOAP-ENV|SOAP-ENC|xsi|xsd|ns1|ns2)=/g, (_m, p: string) => `xmlns:${{ "SOAP-ENV": "e", "SOAP-ENC": "c", xsi: "i", xsd: "d", ns1: "r", ns2: "m" }[p]}=`)
            .replace(/(<\/[^>]+>)(?=<)/g, "$1\n  <!-- between -->\n  ")
            .replace(/="([^"'<]*)"/g, "='$1'");
    it.each(responses.map((r) => [r.label, r] as const))("%s", (_l, { dir, name }) => {
        const body = read(dir, `${name}.response.xml`)!;
        const status = statusOf(read(dir, `${name}.response.headers`));
        const other = respell(body);
        expect(other).not.toBe(body);
        const outcome = (f: () => SoapValue) => {
            try {
                return { value: f() };
            } catch (e: any) {
                return { error: e.constructor.name, message: e.message };
            }
        };
        const original = outcome(() => decodeResponse(body, status, "m"));
        expect(outcome(() => decodeResponse(other, status, "m"))).toEqual(original);
        expect(outcome(() => decodeResponseWithParser(other, status, "m"))).toEqual(original);
    });

    it.each([
        ["entities and character references", '<return xsi:type="xsd:string">a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#233;&#x1F389; ]]&gt;</return>'],
        ["CDATA", '<return xsi:type="xsd:string"><![CDATA[<not> & markup]]></return>'],
        ["comments and whitespace in tags", '<!-- c --><return xsi:type="xsd:int" >42</return  >'],
        ["prefixes declared on the element", '<return a:type="b:Map" xmlns:a="http://www.w3.org/2001/XMLSchema-instance" xmlns:b="http://xml.apache.org/xml-soap"><item><key a:type="c:string" xmlns:c="http://www.w3.org/2001/XMLSchema">k</key><value a:nil="true"/></item></return>'],
        ["nested array of maps", '<return SOAP-ENC:arrayType="ns2:Map[2]" xsi:type="SOAP-ENC:Array"><item xsi:type="ns2:Map"><item><key xsi:type="xsd:string">x</key><value xsi:type="xsd:string"></value></item></item><item xsi:type="ns2:Map"/></return>'],
        ["booleans, floats, nil", '<return SOAP-ENC:arrayType="xsd:ur-type[3]" xsi:type="SOAP-ENC:Array"><item xsi:type="xsd:boolean">true</item><item xsi:type="xsd:float">1.5</item><item xsi:nil="true"/></return>'],
        ["a map inside a map", '<return xsi:type="ns2:Map"><item><key xsi:type="xsd:string">a</key><value xsi:type="ns2:Map"><item><key xsi:type="xsd:string">b</key><value xsi:type="xsd:int">2</value></item></value></item></return>'],
        ["fast-path entries next to other ones", '<return xsi:type="ns2:Map"><item><key xsi:type="xsd:string">a</key><value xsi:type="xsd:string">1</value></item><item><key xsi:type="xsd:string">b</key><value xsi:type="xsd:int">2</value></item><item><key xsi:type="xsd:string">c</key><value xsi:nil="true"/></item><item><key xsi:type="xsd:string">d</key><value xsi:type="xsd:string">x &amp; y</value></item><item><key xsi:type="xsd:string">e</key><value xsi:type="xsd:string">p<!-- c -->q</value></item></return>'],
        ["a key named __proto__ is data", '<return xsi:type="ns2:Map"><item><key xsi:type="xsd:string">__proto__</key><value xsi:type="xsd:string">x</value></item></return>'],
        ["a '>' inside an attribute value", '<return xsi:type="xsd:string" note="a>b">q</return>'],
        ["an untyped struct (PHP object)", "<return><a>1</a><b>2</b></return>"],
    ])("%s", (_n, ret) => {
        const xml = answer(ret);
        expect(decodeResponse(xml, 200, "x")).toEqual(decodeResponseWithParser(xml, 200, "x"));
    });

    it("keeps __proto__ as an own key and never touches the prototype", () => {
        const v = decodeResponse(answer('<return xsi:type="ns2:Map"><item><key xsi:type="xsd:string">__proto__</key><value xsi:type="xsd:string">x</value></item></return>'), 200, "x") as any;
        expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
        expect(Object.keys(v)).toEqual(["__proto__"]);
    });

    it.each([
        ["mismatched tags", '<return xsi:type="xsd:string">a</retur>'],
        ["an unterminated tag", '<return xsi:type="xsd:string">a</return'],
        ["a bare ampersand", '<return xsi:type="xsd:string">a & b</return>'],
        ["an undeclared entity", '<return xsi:type="xsd:string">&nbsp;</return>'],
        ["an undeclared prefix", '<return xsi:type="xsd:string"><q:x>1</q:x></return>'],
        ["nesting 100 levels deep", '<return xsi:type="SOAP-ENC:Array">'.repeat(100) + "</return>".repeat(100)],
    ])("refuses %s as a TransportError naming the method", (_n, ret) => {
        const e = (() => {
            try {
                decodeResponse(answer(ret), 200, "x");
            } catch (err) {
                return err as TransportError;
            }
        })();
        expect(e).toBeInstanceOf(TransportError);
        expect(e!.message).toMatch(/answer to x is not a well-formed SOAP answer/);
        expect(e!.maybeApplied).toBe(true);
    });

    it("refuses a body without a response element", () => {
        const xml = '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body></SOAP-ENV:Body></SOAP-ENV:Envelope>';
        expect(() => decodeResponse(xml, 200, "x")).toThrow(/without a response element/);
        expect(() => decodeResponseWithParser(xml, 200, "x")).toThrow(/without a (body|response element)/);
    });
});

describe("hostile input is escaped or refused before any I/O", () => {
    const hostile = [`& < > " ' ]]> <![CDATA[ x ]]>`, "</value></item><item><key>x</key>", "Zoë 日本語 ☃ 🎉 \u{1F600}", "tab\tnewline\ncarriage\r", "&amp; literally", ""];
    it.each(hostile)("round-trips %j as a value, a key and inside a list", (s) => {
        const uri = "https://panel.example.com:8080/remote/";
        const xml = encodeRequest(uri, "dns_zone_add", ["sid", 0, { [`k${s}`]: s, list: [s, s] }, s]);
        const back = decodeRequest(xml);
        expect(back.method).toBe("dns_zone_add");
        // XML parsers normalise a raw CR to LF; PHP does the same. Both sides agree on it.
        const norm = (x: string) => x.replace(/\r\n?/g, "\n");
        expect(back.args).toEqual(["sid", 0, { [norm(`k${s}`)]: norm(s), list: [norm(s), norm(s)] }, norm(s)]);
        expect(xml).not.toMatch(/]]>(?!<)/);
    });

    it.each([
        ["a NUL in a value", () => ["sid", 0, { origin: "a\u0000b" }], /dns_zone_add param2\.origin contains the character U\+0000/],
        ["a control character deep in a list", () => ["sid", 0, { rows: [{ ok: "x" }, { name: "y\u001Bz" }] }], /param2\.rows\[1\]\.name contains the character U\+001B/],
        ["a lone surrogate", () => ["sid", "\uD800"], /param1 contains the character U\+D800/],
        ["U+FFFE", () => ["sid", 0, { "bad\uFFFEkey": 1 }], /param2 key contains the character U\+FFFE/],
        ["NaN", () => ["sid", NaN], /param1 is NaN/],
        ["a Date", () => ["sid", new Date(0) as any], /param1 is a Date/],
        ["a cycle", () => {
            const a: any = { x: 1 };
            a.self = a;
            return ["sid", a];
        }, /nested more than 32 levels/],
    ])("refuses %s with an InputError naming the field", (_n, args, msg) => {
        expect(() => encodeRequest("https://p/remote/", "dns_zone_add", args() as SoapValue[])).toThrow(InputError);
        expect(() => encodeRequest("https://p/remote/", "dns_zone_add", args() as SoapValue[])).toThrow(msg);
    });

    it("sends what PHP sends for the odd values", () => {
        const xml = encodeRequest("https://p/remote/", "m", [{}, [], null, true, 1.5, 2147483648, { 7: "int key" }]);
        expect(xml).toContain('<param0 SOAP-ENC:arrayType="xsd:ur-type[0]" xsi:type="SOAP-ENC:Array"/>');
        expect(xml).toContain('<param1 SOAP-ENC:arrayType="xsd:ur-type[0]" xsi:type="SOAP-ENC:Array"/>');
        expect(xml).toContain('<param2 xsi:nil="true"/>');
        expect(xml).toContain('<param3 xsi:type="xsd:boolean">true</param3>');
        expect(xml).toContain('<param4 xsi:type="xsd:float">1.5</param4>');
        expect(xml).toContain('<param5 xsi:type="xsd:int">2147483648</param5>');
        expect(xml).toContain('<item><key xsi:type="xsd:int">7</key><value xsi:type="xsd:string">int key</value></item>');
    });
});

describe("hostile answers", () => {
    const bomb =
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>' +
        answer("<return>&lol9;</return>").replace(/^<\?xml[^>]*>\n/, "");
    it.each([
        ["an entity bomb", bomb],
        ["an external entity", bomb.replace(/<!DOCTYPE[\s\S]*?\]>/, '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>').replace("&lol9;", "&xxe;")],
        ["a DOCTYPE after a comment", '<!-- hi --><!DOCTYPE x [<!ENTITY a "b">]>' + answer("<return>&a;</return>")],
        ["a DOCTYPE inside the body", answer('<!DOCTYPE x [<!ENTITY a "b">]><return>&a;</return>')],
    ])("refuses %s quickly, without expanding anything", (_n, xml) => {
        const t0 = performance.now();
        let err: unknown;
        try {
            decodeResponse(xml, 200, "x");
        } catch (e) {
            err = e;
        }
        expect(performance.now() - t0).toBeLessThan(50);
        expect(err).toBeInstanceOf(TransportError);
        expect((err as Error).message).toMatch(/DOCTYPE/);
        expect((err as Error).message).not.toMatch(/lollol/);
    });

    it("refuses an answer larger than the bound", () => {
        const big = answer(`<return xsi:type="xsd:string">${"x".repeat(MAX_RESPONSE_BYTES)}</return>`);
        expect(() => decodeResponse(big, 200, "x")).toThrow(/larger than 67108864 bytes/);
    });

    it.each([
        ["an HTML error page", 500, "<html><head><title>500 Internal Server Error</title></head><body>boom</body></html>", /HTTP 500.*500 Internal Server Error/],
        ["a proxy's 502", 502, "<html><body><h1>502 Bad Gateway</h1></body></html>", /HTTP 502.*502 Bad Gateway.*proxy/],
        ["an empty body", 200, "", /is empty \(HTTP 200\)/],
        ["a cut-off answer", 200, answer('<return xsi:type="xsd:string">abc</return>').slice(0, 300), /ends early \(truncated\?\)/],
        ["plain text", 404, "Not Found", /HTTP 404.*Not Found.*remote\/index\.php/],
    ])("%s is a TransportError with the status and a one-line start of the body", (_n, status, body, msg) => {
        let err: any;
        try {
            decodeResponse(body, status, "dns_zone_get");
        } catch (e) {
            err = e;
        }
        expect(err).toBeInstanceOf(TransportError);
        expect(err.status).toBe(status);
        expect(err.message).toMatch(msg);
        expect(err.message).not.toMatch(/\n|at .*\.[jt]s:\d+/);
        expect(err.bodyStart ?? "").not.toMatch(/\n/);
    });
});

describe("speed", () => {
    /** A dns_rr_get_all_by_zone answer of n records, each a copy of capture 38's first record. */
    function bigZone(n: number): string {
        const x = read(WIRE, "38_dns_rr_get_all_by_zone.response.xml")!;
        const open = x.indexOf('<item xsi:type="ns2:Map">');
        const close = x.lastIndexOf("</return>");
        const rows = x.slice(open, close);
        const one = rows.slice(0, rows.indexOf('<item xsi:type="ns2:Map">', 10));
        const parts: string[] = [];
        for (let i = 0; i < n; i++) parts.push(one.replace(/(<key xsi:type="xsd:string">id<\/key><value xsi:type="xsd:string">)\d+/, `$1${i + 1}`));
        // Through a Buffer, like an answer off the wire (a flat string, not a rope).
        return Buffer.from(x.slice(0, open).replace(/ns2:Map\[\d+\]/, `ns2:Map[${n}]`) + parts.join("") + x.slice(close)).toString("utf8");
    }

    it("decodes a 10,000-record zone in well under 50 ms (on a typical machine)", () => {
        const body = bigZone(10_000);
        const rows = decodeResponse(body, 200, "dns_rr_get_all_by_zone") as Record<string, string>[];
        expect(rows).toHaveLength(10_000);
        expect(rows[9_999]).toMatchObject({ id: "10000", zone: "1", name: "www", type: "" });
        // The floor on this machine: cutting every key and value out of the text with no checks.
        const bare = () => {
            const rowsOut: Record<string, string>[] = [];
            let row: Record<string, string> = {};
            let p = 0;
            for (let n = 1; ; n++) {
                const k = body.indexOf('<key xsi:type="xsd:string">', p);
                if (k < 0) break;
                const ke = body.indexOf("<", k + 27);
                const v = body.indexOf(">", ke + 6) + 1;
                const ve = body.indexOf("<", v);
                row[body.slice(k + 27, ke)] = body.slice(v, ve);
                if (n % 16 === 0) rowsOut.push((row = {}));
                p = ve;
            }
            return rowsOut;
        };
        // Interleaved, best of 10 each: both see the same machine load and heap.
        let ours = Infinity;
        let floor = Infinity;
        for (let i = 0; i < 10; i++) {
            let t = performance.now();
            decodeResponse(body, 200, "dns_rr_get_all_by_zone");
            ours = Math.min(ours, performance.now() - t);
            t = performance.now();
            bare();
            floor = Math.min(floor, performance.now() - t);
        }
        // eslint-disable-next-line no-console
        console.log(`10,000-record zone (${(body.length / 1e6).toFixed(1)} MB): decoded in ${ours.toFixed(1)} ms; bare slicing loop ${floor.toFixed(1)} ms`);
        // Under 50 ms; where the machine itself is too slow or busy for that, within 2x of the bare loop.
        expect(ours < 50 || ours < 2 * floor).toBe(true);
    });
});
