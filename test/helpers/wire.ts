/*
 * Reading the captures: PHP's var_export text (`*.decoded.txt`), and XML trees compared by
 * namespace URI and local name (prefixes and the order of namespace declarations vary).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { XMLParser } from "fast-xml-parser";

/** The repo root, whether this runs from test/ (vitest) or compiled under bin/test/. */
export function repoRoot(): string {
    let d = __dirname;
    while (!fs.existsSync(path.join(d, "package.json"))) {
        const up = path.dirname(d);
        if (up === d) throw new Error("package.json not found above " + __dirname);
        d = up;
    }
    return d;
}

export const WIRE = path.join(repoRoot(), "test", "fixtures", "wire");

/** Every capture name (without extension) that has a request and a response, in order. */
export function captures(dir = WIRE): string[] {
    return fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".response.xml"))
        .map((f) => f.replace(/\.response\.xml$/, ""))
        .filter((n) => fs.existsSync(path.join(dir, `${n}.request.xml`)))
        .sort();
}

export function readCapture(name: string, dir = WIRE) {
    const r = (ext: string) => (fs.existsSync(path.join(dir, name + ext)) ? fs.readFileSync(path.join(dir, name + ext), "utf8") : undefined);
    const headers = r(".response.headers") ?? r(".response.http") ?? "";
    const status = Number(/HTTP\/1\.[01] (\d{3})/.exec(headers)?.[1] ?? 200);
    return { request: r(".request.xml")!, response: r(".response.xml")!, decoded: r(".decoded.txt"), status, requestHeaders: r(".request.headers") ?? "" };
}

export type Expected = { fault: { code: string; string: string } } | { value: unknown };

/** PHP var_export text, as the captures' `*.decoded.txt` hold it. */
class PhpReader {
    i = 0;
    constructor(readonly s: string) {}
    ws() {
        while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
    }
    expect(lit: string) {
        this.ws();
        if (!this.s.startsWith(lit, this.i)) throw new Error(`expected ${lit} at ${this.i}: ${this.s.slice(this.i, this.i + 30)}`);
        this.i += lit.length;
    }
    /** A single-quoted PHP string: only \' and \\ are escapes. */
    str(): string {
        this.expect("'");
        let out = "";
        for (;;) {
            const c = this.s[this.i++];
            if (c === undefined) throw new Error("unterminated string");
            if (c === "'") return out;
            if (c === "\\" && (this.s[this.i] === "'" || this.s[this.i] === "\\")) out += this.s[this.i++];
            else out += c;
        }
    }
    value(): unknown {
        this.ws();
        const s = this.s;
        if (s.startsWith("array (", this.i)) {
            this.i += 7;
            const entries: [string | number, unknown][] = [];
            for (;;) {
                this.ws();
                if (s[this.i] === ")") {
                    this.i++;
                    break;
                }
                const k = this.value() as string | number;
                this.expect("=>");
                entries.push([k, this.value()]);
                this.ws();
                if (s[this.i] === ",") this.i++;
            }
            // PHP has one array type; SOAP has two. A 0..n-1 list is a SOAP-ENC:Array.
            if (entries.every(([k], idx) => k === idx)) return entries.map(([, v]) => v);
            return Object.fromEntries(entries);
        }
        if (s[this.i] === "'") return this.str();
        const tok = /^(?:NULL|true|false|-?\d+(?:\.\d+)?(?:E[+-]?\d+)?)/i.exec(s.slice(this.i, this.i + 40));
        if (!tok) throw new Error(`unexpected at ${this.i}: ${s.slice(this.i, this.i + 20)}`);
        this.i += tok[0].length;
        if (tok[0] === "NULL") return null;
        if (tok[0] === "true") return true;
        if (tok[0] === "false") return false;
        return Number(tok[0]);
    }
}

/** Parses `RESULT …: <var_export>` / `FAULT faultcode='…' faultstring='…'`. */
export function parseDecoded(text: string): Expected {
    if (text.startsWith("FAULT ")) {
        const r = new PhpReader(text);
        r.expect("FAULT faultcode=");
        const code = r.str();
        r.expect("faultstring=");
        return { fault: { code, string: r.str() } };
    }
    const m = /^RESULT[^:]*:\s*/.exec(text);
    if (!m) throw new Error(`unreadable decoded.txt: ${text.slice(0, 80)}`);
    return { value: new PhpReader(text.slice(m[0].length)).value() };
}

const ordered = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: "", trimValues: false, processEntities: true, parseTagValue: false, parseAttributeValue: false });

/**
 * A namespace-resolved tree: `{uri}local` names, attributes other than xmlns declarations
 * (QName values such as xsi:type resolved too), text. Prefixes and the order of attributes and
 * declarations drop out; element order and text stay.
 */
export function canonical(xml: string): unknown {
    const walk = (nodes: any[], ns: Record<string, string>): unknown[] =>
        nodes.map((n) => {
            if ("#text" in n) return n["#text"];
            const name = Object.keys(n).find((k) => k !== ":@")!;
            const attrs: Record<string, string> = n[":@"] ?? {};
            const scope = { ...ns };
            for (const [k, v] of Object.entries(attrs)) {
                if (k === "xmlns") scope[""] = v;
                else if (k.startsWith("xmlns:")) scope[k.slice(6)] = v;
            }
            const q = (qn: string, attr = false) => {
                const i = qn.indexOf(":");
                if (i < 0) return attr ? qn : `{${scope[""] ?? ""}}${qn}`;
                return `{${scope[qn.slice(0, i)] ?? `UNBOUND:${qn.slice(0, i)}`}}${qn.slice(i + 1)}`;
            };
            const a: Record<string, string> = {};
            for (const k of Object.keys(attrs).sort()) {
                if (k === "xmlns" || k.startsWith("xmlns:")) continue;
                a[q(k, true)] = /:(type|arrayType)$/.test(k) ? q(attrs[k]) : attrs[k];
            }
            return { [q(name)]: { attrs: a, children: walk(n[name], scope) } };
        });
    return walk(ordered.parse(xml).filter((n: any) => !("?xml" in n)), {});
}
