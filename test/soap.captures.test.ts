import { describe, expect, it } from "vitest";
import * as path from "node:path";
import { decodeRequest, decodeResponse, decodeResponseWithParser } from "../provider/soap/decode";
import { encodeRequest } from "../provider/soap/envelope";
import { faultToError } from "../provider/soap/faults";
import { WIRE, canonical, captures, parseDecoded, readCapture } from "./helpers/wire";

/*
 * The client against the real panel's bytes: every captured answer decodes to what PHP's
 * SoapClient made of it, and every captured request is rebuilt by our encoder into the same
 * XML (compared by namespace URI, so prefixes and declaration order do not matter).
 */
const DIRS = [WIRE, path.join(WIRE, "minimal"), path.join(WIRE, "strict-sql-mode")];
const all = DIRS.flatMap((d) => captures(d).map((n) => [path.relative(WIRE, path.join(d, n)), d, n] as const));

describe("captured responses decode as PHP's SoapClient decoded them", () => {
    const withDecoded = all.filter(([, d, n]) => readCapture(n, d).decoded !== undefined);
    it("covers every capture with a decoded.txt", () => {
        expect(withDecoded.length).toBeGreaterThanOrEqual(145);
    });
    it.each(withDecoded)("%s", (_label, dir, name) => {
        const c = readCapture(name, dir);
        const expected = parseDecoded(c.decoded!);
        const method = /<(?:[\w-]+:)?(\w+)Response>/.exec(c.response)?.[1];
        if ("fault" in expected) {
            let thrown: unknown;
            try {
                decodeResponse(c.response, c.status, method);
            } catch (e) {
                thrown = e;
            }
            const want = faultToError(expected.fault.code, expected.fault.string, method);
            expect(thrown).toBeInstanceOf(want.constructor);
            expect((thrown as Error).message).toBe(want.message);
            // The reference decoder agrees.
            expect(() => decodeResponseWithParser(c.response, c.status, method)).toThrow(want.message);
        } else {
            expect(decodeResponse(c.response, c.status, method)).toEqual(expected.value);
            expect(decodeResponseWithParser(c.response, c.status, method)).toEqual(expected.value);
        }
    });
});

describe("requests are encoded as PHP's SoapClient encoded them", () => {
    // curl/ holds hand-made requests (untyped, plain structs) that SoapClient never sends.
    it.each(all)("%s", (_label, dir, name) => {
        const c = readCapture(name, dir);
        const { method, uri, args } = decodeRequest(c.request);
        const ours = encodeRequest(uri, method, args);
        expect(canonical(ours)).toEqual(canonical(c.request));
        const action = /SOAPAction: (.*)/.exec(c.requestHeaders)?.[1]?.trim();
        if (action) expect(action).toBe(`"${uri}#${method}"`);
    });
});

describe("the fast scanner agrees with the reference parser on awkward but valid XML", () => {
    const env = (ret: string, decl = 'xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:ns2="http://xml.apache.org/xml-soap" xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/"') =>
        `<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope ${decl}><SOAP-ENV:Body><ns1:xResponse xmlns:ns1="/remote/index.php">${ret}</ns1:xResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>\n`;
    it.each([
        ["entities and char refs", '<return xsi:type="xsd:string">a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#233;&#x1F389; ]]&gt;</return>'],
        ["CDATA", '<return xsi:type="xsd:string"><![CDATA[<not> & markup]]></return>'],
        ["comments and whitespace", '<!-- c --><return xsi:type="xsd:int" >42</return  >'],
        ["other prefixes", '<return a:type="b:Map" xmlns:a="http://www.w3.org/2001/XMLSchema-instance" xmlns:b="http://xml.apache.org/xml-soap"><item><key a:type="c:string" xmlns:c="http://www.w3.org/2001/XMLSchema">k</key><value a:nil="true"/></item></return>'],
        ["nested array of maps", '<return SOAP-ENC:arrayType="ns2:Map[2]" xsi:type="SOAP-ENC:Array"><item xsi:type="ns2:Map"><item><key xsi:type="xsd:string">x</key><value xsi:type="xsd:string"></value></item></item><item xsi:type="ns2:Map"/></return>'],
        ["booleans and floats", '<return SOAP-ENC:arrayType="xsd:ur-type[3]" xsi:type="SOAP-ENC:Array"><item xsi:type="xsd:boolean">true</item><item xsi:type="xsd:float">1.5</item><item xsi:nil="true"/></return>'],
        ["single-quoted attributes", "<return xsi:type='xsd:string'>q</return>"],
    ])("%s", (_n, ret) => {
        const xml = env(ret);
        expect(decodeResponse(xml, 200, "x")).toEqual(decodeResponseWithParser(xml, 200, "x"));
    });
    it.each([
        ["mismatched tags", '<return xsi:type="xsd:string">a</retur>'],
        ["unterminated tag", '<return xsi:type="xsd:string">a</return'],
    ])("refuses %s as a TransportError", (_n, ret) => {
        expect(() => decodeResponse(env(ret), 200, "x")).toThrow(/answer to x is/);
    });
    it("refuses a body without a response element", () => {
        const xml = '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body></SOAP-ENV:Body></SOAP-ENV:Envelope>';
        expect(() => decodeResponse(xml, 200, "x")).toThrow(/without a (body|response element)/);
        expect(() => decodeResponseWithParser(xml, 200, "x")).toThrow(/without a (body|response element)/);
    });
});
