import { describe, expect, it } from "vitest";
import * as path from "node:path";
import { decodeRequest, decodeResponse } from "../provider/soap/decode";
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
        } else {
            expect(decodeResponse(c.response, c.status, method)).toEqual(expected.value);
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
