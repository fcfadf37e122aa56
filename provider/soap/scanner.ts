import { NS } from "./envelope";
import { SoapMap, SoapValue } from "./value";

/*
 * The decoder that runs on the wire, written for speed: a zone of 10,000 records is a 15 MB
 * answer, which fast-xml-parser needs ~4 s and ~770 MB of heap for, while `pulumi refresh`
 * waits. This one is a recursive-descent reader of exactly what SOAP 1.1 RPC/encoded answers
 * contain, building the values directly (no tree). fast-xml-parser stays in decode.ts as the
 * reference it is checked against on every capture.
 *
 * Speed comes from one observation: PHP's SoapServer writes every Map entry with the same
 * bytes, `<item><key xsi:type="xsd:string">K</key><value xsi:type="xsd:string">V</value></item>`,
 * and every row of a list as `<item xsi:type="ns2:Map">…</item>`. Where the prefixes in scope
 * are bound to the right namespace URIs (checked once per scope, so matching stays by URI,
 * never by prefix), runs of such entries are taken by one sticky regex; anything else (other
 * prefixes, comments, CDATA, entities, nested values) goes through the general path, which
 * reads any well-formed encoding of the same values. The tests hold both paths to the
 * reference on every capture, respelled with other prefixes, whitespace and comments.
 *
 * Understood: elements, attributes (either quote), namespace declarations, text with the five
 * predefined entities and character references, CDATA, comments, processing instructions.
 * DOCTYPE/ENTITY declarations are refused before this runs (decode.ts) and again here.
 */

export class ScanError extends Error {}

export type Scanned = { fault: { code: string; string: string } } | { value: SoapValue };

/** Nested Maps/Arrays deeper than this are refused rather than recursed into. */
const MAX_DEPTH = 64;

class Scope {
    /** `<item><key xsi:type="xsd:string">` and friends mean what they say here. */
    readonly fastEntry: boolean;
    /** `<item xsi:type="ns2:Map">` means what it says here. */
    readonly fastMapItem: boolean;
    constructor(readonly prefixes: Record<string, string>) {
        this.fastEntry = prefixes.xsi === NS.xsi && prefixes.xsd === NS.xsd;
        this.fastMapItem = prefixes.xsi === NS.xsi && prefixes.ns2 === NS.map;
    }
}

const ROOT_SCOPE = new Scope({ xml: "http://www.w3.org/XML/1998/namespace" });

interface StartTag {
    name: string;
    uri: string;
    local: string;
    scope: Scope;
    /** Attributes other than namespace declarations, as written. */
    attrs: [string, string][] | undefined;
    selfClosing: boolean;
}

type Kind = "map" | "array" | "int" | "float" | "boolean" | "string" | "untyped";

/**
 * One Map entry exactly as PHP writes it, string or nil value; used only where xsi/xsd mean
 * what they say. A key `__proto__`, and text with `&` (or anything else), take the general path.
 */
const ENTRY = /<item><key xsi:type="xsd:string">(?!__proto__<)([^<&]*)<\/key>(?:<value xsi:type="xsd:string">([^<&]*)<\/value>|<value xsi:nil="true"\/>)<\/item>/y;
const MAP_ITEM = '<item xsi:type="ns2:Map">';
const MAP_ITEM_TAG: Omit<StartTag, "scope"> = { name: "item", uri: "", local: "item", attrs: undefined, selfClosing: false };

const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));/g;
const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Decodes references in text; a `&` that starts no valid reference is not XML. */
export function unescapeXml(s: string): string {
    if (s.indexOf("&") < 0) return s;
    let seen = 0;
    const out = s.replace(ENTITY, (_m, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
        seen++;
        if (name) return NAMED[name];
        const cp = dec !== undefined ? parseInt(dec, 10) : parseInt(hex!, 16);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp === 0) throw new ScanError(`invalid character reference &#${dec ?? "x" + hex};`);
        return String.fromCodePoint(cp);
    });
    let amps = 0;
    for (let i = s.indexOf("&"); i >= 0; i = s.indexOf("&", i + 1)) amps++;
    if (amps !== seen) throw new ScanError("a bare '&' or an undeclared entity");
    return out;
}

function nextIndex(xml: string, s: string, from: number): number {
    const i = xml.indexOf(s, from);
    return i < 0 ? Infinity : i;
}

/**
 * "Does `literal` start at p?" for positions that only move forward. Remembers where the
 * literal next occurs, so the searches for one literal scan the answer once in all (a plain
 * `indexOf(literal, p) === p` would rescan to the next occurrence on every miss).
 */
class Finder {
    private next = -Infinity;
    constructor(private readonly xml: string, private readonly literal: string) {}
    at(p: number): boolean {
        if (this.next < p) this.next = nextIndex(this.xml, this.literal, p);
        return this.next === p;
    }
}

/**
 * `s.startsWith(lit, p)`, which costs ~250 ns a call on Node 20 where this charCodeAt loop
 * costs a few: it runs for every element on the general path.
 */
function at(s: string, p: number, lit: string): boolean {
    const n = lit.length;
    if (p < 0 || p + n > s.length) return false;
    for (let i = 0; i < n; i++) if (s.charCodeAt(p + i) !== lit.charCodeAt(i)) return false;
    return true;
}

function isSpace(c: number): boolean {
    return c === 32 || c === 10 || c === 13 || c === 9;
}

class Reader {
    pos = 0;
    private depth = 0;
    private readonly mapItem: Finder;
    constructor(private readonly xml: string) {
        this.mapItem = new Finder(xml, MAP_ITEM);
    }

    fail(what: string): never {
        throw new ScanError(this.pos >= this.xml.length ? `${what}: the answer ends early (truncated?)` : `${what} at offset ${this.pos}`);
    }

    /** Skips whitespace, comments and processing instructions; stops at anything else. */
    skipMisc(): void {
        const xml = this.xml;
        for (;;) {
            while (this.pos < xml.length && isSpace(xml.charCodeAt(this.pos))) this.pos++;
            if (at(xml, this.pos, "<!--")) {
                const e = xml.indexOf("-->", this.pos + 4);
                if (e < 0) this.fail("an unterminated comment");
                this.pos = e + 3;
            } else if (at(xml, this.pos, "<?")) {
                const e = xml.indexOf("?>", this.pos + 2);
                if (e < 0) this.fail("an unterminated processing instruction");
                this.pos = e + 2;
            } else return;
        }
    }

    /** Reads the start tag at `pos` (which is at `<`) and moves past it. */
    startTag(parent: Scope): StartTag {
        const xml = this.xml;
        let p = this.pos + 1;
        const nameStart = p;
        while (p < xml.length) {
            const c = xml.charCodeAt(p);
            if (isSpace(c) || c === 62 /* > */ || c === 47 /* / */) break;
            p++;
        }
        const name = xml.slice(nameStart, p);
        if (name === "" || name.charCodeAt(0) === 33 /* ! */) {
            this.pos = nameStart;
            this.fail(name.startsWith("!DOCTYPE") || name.startsWith("!ENTITY") ? "a DOCTYPE/ENTITY declaration" : "unexpected markup");
        }
        let attrs: [string, string][] | undefined;
        let decls: Record<string, string> | undefined;
        let selfClosing = false;
        for (;;) {
            while (p < xml.length && isSpace(xml.charCodeAt(p))) p++;
            if (p >= xml.length) {
                this.pos = p;
                this.fail("an unterminated tag");
            }
            const c = xml.charCodeAt(p);
            if (c === 62) {
                p++;
                break;
            }
            if (c === 47 && xml.charCodeAt(p + 1) === 62) {
                selfClosing = true;
                p += 2;
                break;
            }
            const an = p;
            while (p < xml.length) {
                const d = xml.charCodeAt(p);
                if (isSpace(d) || d === 61 /* = */ || d === 62 || d === 47) break;
                p++;
            }
            const attrName = xml.slice(an, p);
            while (p < xml.length && isSpace(xml.charCodeAt(p))) p++;
            if (attrName === "" || xml.charCodeAt(p) !== 61) {
                this.pos = p;
                this.fail("a malformed attribute");
            }
            p++;
            while (p < xml.length && isSpace(xml.charCodeAt(p))) p++;
            const q = xml.charCodeAt(p);
            if (q !== 34 && q !== 39) {
                this.pos = p;
                this.fail("an unquoted attribute value");
            }
            const e = xml.indexOf(q === 34 ? '"' : "'", p + 1);
            if (e < 0) {
                this.pos = xml.length;
                this.fail("an unterminated attribute value");
            }
            const raw = xml.slice(p + 1, e);
            if (raw.indexOf("<") >= 0) {
                this.pos = p;
                this.fail("a '<' inside an attribute value");
            }
            const value = unescapeXml(raw);
            p = e + 1;
            if (attrName === "xmlns" || attrName.startsWith("xmlns:")) (decls ??= {})[attrName === "xmlns" ? "" : attrName.slice(6)] = value;
            else (attrs ??= []).push([attrName, value]);
        }
        this.pos = p;
        const scope = decls ? new Scope({ ...parent.prefixes, ...decls }) : parent;
        const [uri, local] = this.resolve(name, scope, true);
        return { name, uri, local, scope, attrs, selfClosing };
    }

    resolve(qname: string, scope: Scope, element: boolean): [string, string] {
        const i = qname.indexOf(":");
        if (i < 0) return [element ? (scope.prefixes[""] ?? "") : "", qname];
        const uri = scope.prefixes[qname.slice(0, i)];
        if (uri === undefined) this.fail(`an undeclared namespace prefix in ${JSON.stringify(qname.slice(0, 40))}`);
        return [uri, qname.slice(i + 1)];
    }

    /** Moves past `</name>` at `pos`, or fails. */
    endTag(name: string): void {
        const xml = this.xml;
        if (!at(xml, this.pos, "</") || !at(xml, this.pos + 2, name)) this.fail(`a missing </${name}>`);
        let p = this.pos + 2 + name.length;
        while (p < xml.length && isSpace(xml.charCodeAt(p))) p++;
        if (xml.charCodeAt(p) !== 62) this.fail(`a missing </${name}>`);
        this.pos = p + 1;
    }

    attr(tag: StartTag, uri: string, local: string): string | undefined {
        if (!tag.attrs) return undefined;
        for (const [k, v] of tag.attrs) {
            const i = k.indexOf(":");
            if (i < 0 || k.slice(i + 1) !== local) continue;
            if (this.resolve(k, tag.scope, false)[0] === uri) return v;
        }
        return undefined;
    }

    kind(tag: StartTag): Kind | "nil" {
        if (!tag.attrs) return "untyped";
        const nil = this.attr(tag, NS.xsi, "nil");
        if (nil === "true" || nil === "1") return "nil";
        const type = this.attr(tag, NS.xsi, "type");
        if (type !== undefined) {
            const [u, l] = this.resolve(type, tag.scope, true);
            if (u === NS.map && l === "Map") return "map";
            if (u === NS.enc && l === "Array") return "array";
            if (u === NS.xsd) {
                switch (l) {
                    case "int": case "integer": case "long": case "short": case "byte":
                    case "unsignedInt": case "unsignedLong": case "unsignedShort": case "unsignedByte":
                        return "int";
                    case "float": case "double": case "decimal":
                        return "float";
                    case "boolean":
                        return "boolean";
                    default:
                        return "string";
                }
            }
        }
        if (this.attr(tag, NS.enc, "arrayType") !== undefined) return "array";
        return type === undefined ? "untyped" : "string";
    }

    /** The value the element whose start tag was just read stands for; moves past its end tag. */
    value(tag: StartTag): SoapValue {
        const kind = this.kind(tag);
        if (kind === "map" || kind === "array") {
            if (++this.depth > MAX_DEPTH) this.fail(`values nested deeper than ${MAX_DEPTH} levels`);
            const v = kind === "map" ? this.map(tag) : this.array(tag);
            this.depth--;
            return v;
        }
        if (tag.selfClosing) return kind === "nil" ? null : scalar(kind, "");
        const t = this.content(tag);
        if (kind === "nil") return null;
        return typeof t === "string" ? scalar(kind, t) : t;
    }

    /**
     * Text of a leaf element, or (an untyped element with element children, which PHP decodes
     * as an object) the object of its children.
     */
    content(tag: StartTag): string | SoapMap {
        const xml = this.xml;
        const start = this.pos;
        const lt = xml.indexOf("<", start);
        if (lt < 0) {
            this.pos = xml.length;
            this.fail(`an unterminated <${tag.name}>`);
        }
        if (xml.charCodeAt(lt + 1) === 47) {
            // The common case: plain text, then the end tag.
            this.pos = lt;
            this.endTag(tag.name);
            return unescapeXml(xml.slice(start, lt));
        }
        let text = "";
        let struct: SoapMap | undefined;
        this.pos = start;
        for (;;) {
            const l = xml.indexOf("<", this.pos);
            if (l < 0) {
                this.pos = xml.length;
                this.fail(`an unterminated <${tag.name}>`);
            }
            text += unescapeXml(xml.slice(this.pos, l));
            this.pos = l;
            if (at(xml, l, "</")) {
                this.endTag(tag.name);
                return struct ?? text;
            }
            if (at(xml, l, "<![CDATA[")) {
                const e = xml.indexOf("]]>", l + 9);
                if (e < 0) this.fail("an unterminated CDATA section");
                text += xml.slice(l + 9, e);
                this.pos = e + 3;
                continue;
            }
            if (at(xml, l, "<!--") || at(xml, l, "<?")) {
                this.skipMisc();
                continue;
            }
            const child = this.startTag(tag.scope);
            (struct ??= {});
            setKey(struct, child.local, this.value(child));
        }
    }

    /** A Map's entries until its end tag (into `map`, which may hold the first ones already). */
    map(tag: StartTag, map: SoapMap = {}): SoapMap {
        if (tag.selfClosing) return map;
        const xml = this.xml;
        const fast = tag.scope.fastEntry;
        for (;;) {
            if (fast) this.pos = takeEntries(xml, this.pos, map);
            this.skipMisc();
            if (this.pos >= xml.length) this.fail(`an unterminated <${tag.name}>`);
            if (xml.charCodeAt(this.pos + 1) === 47 /* </ */ && xml.charCodeAt(this.pos) === 60) {
                this.endTag(tag.name);
                return map;
            }
            if (xml.charCodeAt(this.pos) !== 60) this.fail("text where Map items were expected");
            const item = this.startTag(tag.scope);
            if (item.local !== "item") {
                this.skip(item);
                continue;
            }
            this.entry(item, map);
        }
    }

    /** One `<item><key/><value/></item>` of a Map, in any spelling. */
    entry(item: StartTag, map: SoapMap): void {
        if (item.selfClosing) return;
        const xml = this.xml;
        let key: string | undefined;
        let value: SoapValue = "";
        for (;;) {
            this.skipMisc();
            if (this.pos >= xml.length) this.fail(`an unterminated <${item.name}>`);
            if (at(xml, this.pos, "</")) {
                this.endTag(item.name);
                break;
            }
            if (xml.charCodeAt(this.pos) !== 60) this.fail("text where a key or value was expected");
            const child = this.startTag(item.scope);
            if (child.local === "key") {
                const k = this.value(child);
                key = k === null ? "" : String(k);
            } else if (child.local === "value") value = this.value(child);
            else this.skip(child);
        }
        if (key !== undefined) setKey(map, key, value);
    }

    array(tag: StartTag): SoapValue[] {
        const list: SoapValue[] = [];
        if (tag.selfClosing) return list;
        const xml = this.xml;
        const fast = tag.scope.fastMapItem;
        for (;;) {
            if (fast && this.mapItem.at(this.pos)) {
                // A row of a list answer, as PHP writes it: no tag to parse, and when all its
                // entries are plain, no general path at all.
                const row: SoapMap = {};
                let p = this.pos + MAP_ITEM.length;
                if (tag.scope.fastEntry) p = takeEntries(xml, p, row);
                if (xml.charCodeAt(p) === 60 && at(xml, p, "</item>")) {
                    list.push(row);
                    this.pos = p + 7;
                    continue;
                }
                this.pos = p;
                if (++this.depth > MAX_DEPTH) this.fail(`values nested deeper than ${MAX_DEPTH} levels`);
                list.push(this.map({ ...MAP_ITEM_TAG, scope: tag.scope }, row));
                this.depth--;
                continue;
            }
            this.skipMisc();
            if (this.pos >= xml.length) this.fail(`an unterminated <${tag.name}>`);
            if (at(xml, this.pos, "</")) {
                this.endTag(tag.name);
                return list;
            }
            if (xml.charCodeAt(this.pos) !== 60) this.fail("text where Array items were expected");
            list.push(this.value(this.startTag(tag.scope)));
        }
    }

    /** Moves past an element we have no use for (a Header, an unknown child). */
    skip(tag: StartTag): void {
        if (tag.selfClosing) return;
        const xml = this.xml;
        for (;;) {
            const l = xml.indexOf("<", this.pos);
            if (l < 0) {
                this.pos = xml.length;
                this.fail(`an unterminated <${tag.name}>`);
            }
            this.pos = l;
            if (at(xml, l, "</")) {
                this.endTag(tag.name);
                return;
            }
            if (at(xml, l, "<![CDATA[")) {
                const e = xml.indexOf("]]>", l + 9);
                if (e < 0) this.fail("an unterminated CDATA section");
                this.pos = e + 3;
            } else if (at(xml, l, "<!--") || at(xml, l, "<?")) this.skipMisc();
            else {
                if (++this.depth > MAX_DEPTH) this.fail(`elements nested deeper than ${MAX_DEPTH} levels`);
                this.skip(this.startTag(tag.scope));
                this.depth--;
            }
        }
    }

    /** Children of `parent` until its end tag, one callback per child start tag. */
    children(parent: StartTag, each: (child: StartTag) => void): void {
        if (parent.selfClosing) return;
        const xml = this.xml;
        for (;;) {
            this.skipMisc();
            if (this.pos >= xml.length) this.fail(`an unterminated <${parent.name}>`);
            if (at(xml, this.pos, "</")) {
                this.endTag(parent.name);
                return;
            }
            if (xml.charCodeAt(this.pos) !== 60) this.fail(`text inside <${parent.name}>`);
            each(this.startTag(parent.scope));
        }
    }
}

/**
 * The shape PHP writes for every column of every row, taken whole by one sticky regex
 * (irregexp matches the fixed framing in native code, where String startsWith costs ~250 ns a
 * call on Node 20 and a long indexOf ~100 ns). Small on purpose: it is the one hot loop.
 * Returns where the first entry it could not take starts.
 */
function takeEntries(xml: string, p: number, map: SoapMap): number {
    ENTRY.lastIndex = p;
    let m: RegExpExecArray | null;
    while ((m = ENTRY.exec(xml)) !== null) {
        map[m[1]] = m[2] === undefined ? null : m[2];
        p = ENTRY.lastIndex;
    }
    return p;
}

function scalar(kind: Kind, t: string): SoapValue {
    switch (kind) {
        case "int": {
            const s = t.trim();
            return s === "" ? 0 : parseInt(s, 10);
        }
        case "float":
            return t.trim() === "" ? 0 : parseFloat(t);
        case "boolean": {
            const s = t.trim();
            return s === "true" || s === "1";
        }
        default:
            return t;
    }
}

/** A key named `__proto__` is data here, not the object's prototype. */
function setKey(map: SoapMap, key: string, value: SoapValue): void {
    if (key === "__proto__") Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
    else map[key] = value;
}

/** Decodes `<return>` (or the Fault) of a SOAP 1.1 answer. Throws ScanError when it is not one. */
export function scanResponse(xml: string): Scanned {
    const r = new Reader(xml);
    r.skipMisc();
    if (r.pos >= xml.length || xml.charCodeAt(r.pos) !== 60) r.fail("no XML element");
    const env = r.startTag(ROOT_SCOPE);
    if (env.local !== "Envelope" || env.uri !== NS.env) r.fail(env.local === "Envelope" ? "not a SOAP 1.1 envelope" : "not a SOAP envelope");
    let fault: { code: string; string: string } | undefined;
    let value: SoapValue | undefined;
    let sawBody = false;
    let sawResponse = false;
    r.children(env, (child) => {
        if (child.local !== "Body" || child.uri !== NS.env) return r.skip(child);
        sawBody = true;
        r.children(child, (el) => {
            if (el.local === "Fault" && el.uri === NS.env) {
                fault = { code: "", string: "" };
                r.children(el, (f) => {
                    if (f.local === "faultcode" || f.local === "faultstring") {
                        const t = f.selfClosing ? "" : r.content(f);
                        if (typeof t === "string") fault![f.local === "faultcode" ? "code" : "string"] = t;
                    } else r.skip(f);
                });
            } else if (el.local.endsWith("Response") && !sawResponse) {
                sawResponse = true;
                r.children(el, (ret) => {
                    if (ret.local === "return" && value === undefined) value = r.value(ret);
                    else r.skip(ret);
                });
            } else r.skip(el);
        });
    });
    r.skipMisc();
    if (r.pos < xml.length) r.fail("content after the envelope");
    if (fault) return { fault };
    if (!sawBody) throw new ScanError("a SOAP envelope without a body");
    if (!sawResponse) throw new ScanError("a SOAP envelope without a response element");
    return { value: value === undefined ? null : value };
}
