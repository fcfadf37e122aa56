import { XMLParser } from "fast-xml-parser";
import { TransportError } from "./errors";
import { faultToError } from "./faults";
import { NS } from "./envelope";
import { SoapMap, SoapValue } from "./value";
import { ScanError, Scanned, scanResponse, unescapeXml } from "./scanner";

/*
 * Reads the panel's answer. Element and type names are matched by namespace URI, never by
 * prefix: PHP's SoapServer declares its namespaces in a different order (and so with
 * different prefixes) from one response to the next.
 *
 * Two decoders with one contract. On the wire runs scanner.ts, because fast-xml-parser takes
 * seconds over a 10,000-record zone (15 MB). fast-xml-parser, set up for safety and speed
 * (no entity processing, no value parsing), is the reference: the tests run both over every
 * capture and over awkward-but-valid XML and require the same values and errors.
 *
 * Hostile or broken answers never reach a parser's edge cases: a DOCTYPE (the only way to
 * declare entities, hence entity bombs and external entities) is refused outright, only the
 * five predefined entities and character references are decoded, and anything that is not a
 * complete SOAP envelope is a TransportError quoting the start of the body — never a parser
 * stack trace.
 */

/** Answers larger than this are refused (a zone of 10,000 records, the biggest answer we plan for, is ~15 MB). */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@",
    textNodeName: "#",
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    processEntities: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    // CDATA is literal text: kept apart so that it is not unescaped a second time.
    cdataPropName: "#cdata",
    // `item` repeats in Maps and Arrays; always a list, even for one.
    isArray: (name) => name === "item",
});

type Node = Record<string, any>;

/** One line, at most 200 characters, of what came back: for error messages. */
export function bodyStart(body: string): string {
    const s = body.replace(/\s+/g, " ").trim();
    return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}


function unescape(s: string): string {
    try {
        return unescapeXml(s);
    } catch {
        throw new ScanError("a bare '&' or an undeclared entity");
    }
}

/** Namespace declarations visible at `node` (merged with the parent's). */
function scope(node: Node, parent: Record<string, string>): Record<string, string> {
    let out = parent;
    for (const k in node) {
        if (k.charCodeAt(0) !== 64 /* @ */) continue;
        if (k === "@xmlns" || k.startsWith("@xmlns:")) {
            if (out === parent) out = { ...parent };
            out[k === "@xmlns" ? "" : k.slice(7)] = node[k];
        }
    }
    return out;
}

/** `prefix:local` → [namespace URI, local]. */
function qname(name: string, ns: Record<string, string>): [string, string] {
    const i = name.indexOf(":");
    return i < 0 ? [ns[""] ?? "", name] : [ns[name.slice(0, i)] ?? "", name.slice(i + 1)];
}

function attr(node: Node, ns: Record<string, string>, uri: string, local: string): string | undefined {
    for (const k in node) {
        if (k.charCodeAt(0) !== 64 || k.startsWith("@xmlns")) continue;
        const [u, l] = qname(k.slice(1), ns);
        if (l === local && u === uri) return node[k];
    }
    return undefined;
}

function childrenNamed(node: Node, ns: Record<string, string>, uri: string | null, local: string): [string, any][] {
    const out: [string, any][] = [];
    for (const k in node) {
        if (k.charCodeAt(0) === 64 || k === "#") continue;
        const [u, l] = qname(k, ns);
        if (l === local && (uri === null || u === uri)) out.push([k, node[k]]);
    }
    return out;
}

function text(node: any): string {
    if (typeof node === "string") return unescape(node);
    if (!node || typeof node !== "object") return "";
    const cdata = node["#cdata"];
    return (typeof node["#"] === "string" ? unescape(node["#"]) : "") + (Array.isArray(cdata) ? cdata.join("") : typeof cdata === "string" ? cdata : "");
}

function decodeValue(node: any, parentNs: Record<string, string>): SoapValue {
    if (typeof node === "string") return unescape(node); // untyped text
    if (node === null || typeof node !== "object") return "";
    const ns = scope(node, parentNs);
    const nil = attr(node, ns, NS.xsi, "nil");
    if (nil === "true" || nil === "1") return null;
    const type = attr(node, ns, NS.xsi, "type");
    const [tUri, tLocal] = type ? qname(type, ns) : ["", ""];
    if (tUri === NS.map && tLocal === "Map") {
        const map: SoapMap = {};
        for (const item of (node.item as any[] | undefined) ?? []) {
            const itemNs = scope(item, ns);
            const k = text(item.key);
            const v = decodeValue(item.value ?? "", itemNs);
            if (k === "__proto__") Object.defineProperty(map, k, { value: v, enumerable: true, writable: true, configurable: true });
            else map[k] = v;
        }
        return map;
    }
    if ((tUri === NS.enc && tLocal === "Array") || attr(node, ns, NS.enc, "arrayType") !== undefined) {
        return ((node.item as any[] | undefined) ?? []).map((i) => decodeValue(i, ns));
    }
    const t = text(node);
    if (tUri === NS.xsd) {
        if (tLocal === "int" || tLocal === "integer" || tLocal === "long" || tLocal === "short") return parseInt(t, 10);
        if (tLocal === "float" || tLocal === "double" || tLocal === "decimal") return parseFloat(t);
        if (tLocal === "boolean") return t === "true" || t === "1";
    }
    if (!type && Object.keys(node).some((k) => k.charCodeAt(0) !== 64 && k !== "#" && k !== "#cdata")) {
        // A struct without a type: PHP decodes it as an object of its children.
        const o: SoapMap = {};
        for (const k in node) if (k.charCodeAt(0) !== 64 && k !== "#" && k !== "#cdata") o[k] = decodeValue(node[k], ns);
        return o;
    }
    return t;
}

/** What a status says about where the answer came from, for the message. */
function statusHint(status: number | undefined): string {
    if (status === 404) return " Check the endpoint URL: it must point at the panel's remote API (…/remote/index.php).";
    if (status === 401 || status === 403) return " Something in front of the panel (a proxy, web server auth or IP filter) refused the request.";
    if (status === 502 || status === 503 || status === 504) return " A proxy in front of the panel could not reach it, or the panel's PHP is down or overloaded.";
    return " Check the endpoint URL and whether a proxy or the panel's PHP is failing.";
}

function malformed(what: string, status: number | undefined, body: string, method?: string): TransportError {
    const start = bodyStart(body);
    return new TransportError(
        `The panel's answer${method ? ` to ${method}` : ""} is ${what}${status ? ` (HTTP ${status})` : ""}${start ? `: ${JSON.stringify(start)}` : ""}.` + statusHint(status),
        // An answer arrived, so the request reached something that may have acted on it.
        { status, bodyStart: start, maybeApplied: true, method },
    );
}

const REFUSED_DTD = "refused: it carries a DOCTYPE/ENTITY declaration, which a SOAP answer never has";

/**
 * Size, emptiness, and a DOCTYPE in the prolog (the only place XML allows one): refused before
 * the scanner runs. Searching the whole 15 MB for `<!DOCTYPE` would cost more than half the
 * time of decoding it; anywhere past the prolog it is not well-formed, and the scanner
 * refuses any `<!` markup that is not a comment or CDATA — nothing is ever expanded.
 */
function precheck(body: string, status: number | undefined, method: string | undefined): void {
    if (body.length > MAX_RESPONSE_BYTES) throw malformed(`larger than ${MAX_RESPONSE_BYTES} bytes; refused`, status, "", method);
    if (body.trim() === "") throw malformed("empty", status, body, method);
    let p = 0;
    for (;;) {
        while (p < body.length && body.charCodeAt(p) <= 32) p++;
        const end = body.startsWith("<?", p) ? body.indexOf("?>", p) : body.startsWith("<!--", p) ? body.indexOf("-->", p) : -2;
        if (end === -2) break;
        if (end < 0) return; // unterminated: the scanner reports it
        p = end + 2;
    }
    if (body.startsWith("<!DOCTYPE", p) || body.startsWith("<!ENTITY", p)) throw malformed(REFUSED_DTD, status, body, method);
}

/**
 * Decodes a response body into the value of `<return>`, or throws the typed error of its
 * Fault. `status` is the HTTP status (the panel answers faults with 500). Runs the single-pass
 * scanner (scanner.ts).
 */
export function decodeResponse(body: string, status?: number, method?: string): SoapValue {
    const r = scanAnswer(body, status, method);
    if ("fault" in r) throw faultToError(r.fault.code, r.fault.string, method);
    return r.value;
}

/** The raw outcome: `<return>`'s value or the Fault's code and string, untranslated. */
export function scanAnswer(body: string, status?: number, method?: string): Scanned {
    precheck(body, status, method);
    try {
        return scanResponse(body);
    } catch (e) {
        if (!(e instanceof ScanError)) throw e;
        if (/DOCTYPE|ENTITY/.test(e.message)) throw malformed(REFUSED_DTD, status, body, method);
        throw malformed(`not a well-formed SOAP answer (${e.message})`, status, body, method);
    }
}

/**
 * The same decoding through fast-xml-parser: the reference the scanner is checked against on
 * every capture (test/soap.captures.test.ts). Too slow for big answers (a 10,000-record zone
 * takes seconds), so not used on the wire.
 */
export function decodeResponseWithParser(body: string, status?: number, method?: string): SoapValue {
    precheck(body, status, method);
    if (/<!DOCTYPE|<!ENTITY/.test(body)) throw malformed(REFUSED_DTD, status, body, method);
    // A cut-off answer can still parse into a plausible partial tree; the closing tag says it is whole.
    if (!/<\/(?:[A-Za-z_][\w.-]*:)?Envelope\s*>\s*$/.test(body.slice(-256))) throw malformed("not a complete SOAP envelope (truncated or not SOAP)", status, body, method);
    let doc: Node;
    try {
        doc = parser.parse(body);
    } catch {
        throw malformed("not well-formed XML", status, body, method);
    }
    try {
        return walkParsed(doc, status, body, method);
    } catch (e) {
        if (e instanceof ScanError) throw malformed(`not a well-formed SOAP answer (${e.message})`, status, body, method);
        throw e;
    }
}

function walkParsed(doc: Node, status: number | undefined, body: string, method: string | undefined): SoapValue {
    const rootNs = {};
    const envs = childrenNamed(doc, scope(doc, rootNs), null, "Envelope");
    if (envs.length !== 1 || typeof envs[0][1] !== "object") throw malformed("not a SOAP envelope", status, body, method);
    const env = envs[0][1] as Node;
    const envNs = scope(env, {});
    if (qname(envs[0][0], envNs)[0] !== NS.env) throw malformed("not a SOAP 1.1 envelope", status, body, method);
    const bodies = childrenNamed(env, envNs, NS.env, "Body");
    if (bodies.length !== 1 || typeof bodies[0][1] !== "object") throw malformed("a SOAP envelope without a body (truncated?)", status, body, method);
    const b = bodies[0][1] as Node;
    const bNs = scope(b, envNs);
    const fault = childrenNamed(b, bNs, NS.env, "Fault")[0];
    if (fault) {
        const f = fault[1] as Node;
        throw faultToError(text(f.faultcode), text(f.faultstring), method);
    }
    const responses = Object.keys(b).filter((k) => k.charCodeAt(0) !== 64 && k !== "#" && qname(k, bNs)[1].endsWith("Response"));
    if (responses.length !== 1) throw malformed("a SOAP envelope without a response element (truncated?)", status, body, method);
    const resp = b[responses[0]];
    if (resp === "" || resp === undefined) return null; // a void answer: <ns1:xResponse/>
    if (typeof resp !== "object") throw malformed("a response element without a <return>", status, body, method);
    const rNs = scope(resp, bNs);
    const ret = childrenNamed(resp, rNs, null, "return")[0];
    if (!ret) return null;
    return decodeValue(ret[1], rNs);
}

/**
 * The other direction, for tests and tools: a request envelope's function name and
 * positional arguments, decoded with the same rules.
 */
export function decodeRequest(body: string): { method: string; uri: string; args: SoapValue[] } {
    if (/<!DOCTYPE|<!ENTITY/i.test(body)) throw malformed("refused: it carries a DOCTYPE/entity declaration", undefined, body);
    const doc = parser.parse(body) as Node;
    const [envName, env] = childrenNamed(doc, {}, null, "Envelope")[0] ?? [];
    if (!env) throw malformed("not a SOAP envelope", undefined, body);
    const envNs = scope(env, {});
    const b = childrenNamed(env, envNs, NS.env, "Body")[0]?.[1] as Node | undefined;
    if (!b || typeof b !== "object") throw malformed("a SOAP envelope without a body", undefined, body);
    const bNs = scope(b, envNs);
    const name = Object.keys(b).find((k) => k.charCodeAt(0) !== 64 && k !== "#");
    if (!name) throw malformed("a SOAP body without a call", undefined, body);
    const call = (b[name] && typeof b[name] === "object" ? b[name] : {}) as Node;
    const cNs = scope(call, bNs);
    const [uri, method] = qname(name, cNs);
    const args: SoapValue[] = [];
    for (const k of Object.keys(call)) {
        if (k.charCodeAt(0) === 64 || k === "#") continue;
        const v = call[k];
        for (const one of Array.isArray(v) ? v : [v]) args.push(decodeValue(one, cNs));
    }
    void envName;
    return { method, uri, args };
}
