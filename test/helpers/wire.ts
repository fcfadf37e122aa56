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

/** Parses `RESULT …: <var_export>` / `FAULT faultcode='…' faultstring='…'`. */
export function parseDecoded(text: string): Expected {
    const fault = /^FAULT faultcode='((?:[^'\\]|\\.)*)' faultstring='((?:[^'\\]|\\.)*)'/s.exec(text);
    if (fault) return { fault: { code: unq(fault[1]), string: unq(fault[2]) } };
    const m = /^RESULT[^:]*:\s*/.exec(text);
    if (!m) throw new Error(`unreadable decoded.txt: ${text.slice(0, 80)}`);
    const p = new VarExport(text.slice(m[0].length));
    return { value: p.value() };
}

function unq(s: string): string {
    return s.replace(/\\(['\\])/g, "$1");
}

class VarExport {
    i = 0;
    constructor(readonly s: string) {}
    ws() {
        while (/\s/.test(this.s[this.i] ?? "")) this.i++;
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
                this.ws();
                if (!s.startsWith("=>", this.i)) throw new Error(`expected => at ${this.i}`);
                this.i += 2;
                const v = this.value();
                entries.push([k, v]);
                this.ws();
                if (s[this.i] === ",") this.i++;
            }
            const list = entries.every(([k], idx) => k === idx);
            return list && entries.length > 0 ? entries.map(([, v]) => v) : entries.length === 0 ? [] : Object.fromEntries(entries);
        }
        if (s[this.i] === "'") {
            let out = "";
            this.i++;
            while (s[this.i] !== "'") {
                if (s[this.i] === "\\" && (s[this.i + 1] === "'" || s[this.i + 1] === "\\")) this.i++;
                out += s[this.i++];
            }
            this.i++;
            return out;
        }
        const tok = /^(NULL|true|false|-?\d+(?:\.\d+)?(?:E[+-]?\d+)?)/i.exec(s.slice(this.i));
        if (!tok) throw new Error(`unexpected at ${this.i}: ${s.slice(this.i, this.i + 20)}`);
        this.i += tok[0].length;
        if (tok[0] === "NULL") return null;
        if (tok[0] === "true") return true;
        if (tok[0] === "false") return false;
        return Number(tok[0]);
    }
}

const ordered = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: "", trimValues: false, processEntities: true, parseTagValue: false, parseAttributeValue: false });

/**
 * A namespace-resolved tree: `{uri}local` names, attributes other than xmlns declarations
 * (QName values such as xsi:type resolved too), text. Prefixes and declaration order drop out.
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
                return `{${scope[qn.slice(0, i)] ?? qn.slice(0, i)}}${qn.slice(i + 1)}`;
            };
            const a: Record<string, string> = {};
            for (const [k, v] of Object.entries(attrs)) {
                if (k === "xmlns" || k.startsWith("xmlns:")) continue;
                const isQNameValue = /:(type|arrayType)$/.test(k);
                a[q(k, true)] = isQNameValue ? q(v) : v;
            }
            return { [q(name)]: { attrs: a, children: walk(n[name], scope) } };
        });
    return walk(ordered.parse(xml).filter((n: any) => !("?xml" in n)), {});
}
