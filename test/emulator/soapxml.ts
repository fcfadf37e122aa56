/*
 * The test panel's own reading and writing of SOAP, written apart from provider/soap so the
 * emulator is an independent witness of the wire format (it is checked against the captures,
 * not against our client). Encodes values the way PHP's SoapServer does.
 */
import { XMLParser } from "fast-xml-parser";

export type Val = string | number | boolean | null | Val[] | { [k: string]: Val };

const ENV = "http://schemas.xmlsoap.org/soap/envelope/";
const ENC = "http://schemas.xmlsoap.org/soap/encoding/";
const XSI = "http://www.w3.org/2001/XMLSchema-instance";
const MAP = "http://xml.apache.org/xml-soap";

const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@",
    textNodeName: "#",
    parseTagValue: false,
    trimValues: false,
    processEntities: false,
    isArray: (n) => n === "item",
});

const unesc = (s: string) =>
    s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_m, e: string) =>
        e[0] === "#" ? String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" } as any)[e],
    );

export class BadRequest extends Error {}

/** Parses a call: method name and positional arguments (xsd types honoured; untyped → string). */
export function parseCall(xml: string): { method: string; args: Val[] } {
    if (/<!DOCTYPE/i.test(xml)) throw new BadRequest("DTD are not supported by SOAP");
    let doc: any;
    try {
        doc = parser.parse(xml);
    } catch {
        throw new BadRequest("Bad Request");
    }
    const nsOf = (node: any, parent: Record<string, string>) => {
        const ns = { ...parent };
        for (const k of Object.keys(node ?? {})) if (k.startsWith("@xmlns:")) ns[k.slice(7)] = node[k];
        return ns;
    };
    const local = (q: string) => q.slice(q.indexOf(":") + 1);
    const envKey = Object.keys(doc).find((k) => local(k) === "Envelope");
    if (!envKey) throw new BadRequest("Bad Request");
    const env = doc[envKey];
    const ns0 = nsOf(env, {});
    const bodyKey = Object.keys(env).find((k) => local(k) === "Body" && ns0[k.split(":")[0]] === ENV);
    if (!bodyKey || typeof env[bodyKey] !== "object") throw new BadRequest("Bad Request");
    const body = env[bodyKey];
    const ns1 = nsOf(body, ns0);
    const callKey = Object.keys(body).find((k) => !k.startsWith("@") && k !== "#");
    if (!callKey) throw new BadRequest("Bad Request");
    const call = typeof body[callKey] === "object" ? body[callKey] : {};
    const ns2 = nsOf(call, ns1);
    const value = (n: any, ns: Record<string, string>): Val => {
        if (typeof n === "string") return unesc(n);
        if (!n || typeof n !== "object") return "";
        ns = nsOf(n, ns);
        const attr = (uri: string, name: string) => {
            for (const k of Object.keys(n)) if (k.startsWith("@") && local(k.slice(1)) === name && ns[k.slice(1).split(":")[0]] === uri) return n[k] as string;
            return undefined;
        };
        if (attr(XSI, "nil") === "true") return null;
        const t = attr(XSI, "type") ?? "";
        const [tp, tl] = t.includes(":") ? [ns[t.split(":")[0]], local(t)] : ["", t];
        const text = typeof n["#"] === "string" ? unesc(n["#"]) : "";
        if (tp === MAP && tl === "Map") {
            const o: Record<string, Val> = {};
            for (const it of n.item ?? []) o[String(value(it.key, ns))] = value(it.value ?? "", ns);
            return o;
        }
        if (tp === ENC && tl === "Array") return (n.item ?? []).map((i: any) => value(i, ns));
        if (tl === "int" || tl === "integer" || tl === "long") return parseInt(text, 10);
        if (tl === "float" || tl === "double") return parseFloat(text);
        if (tl === "boolean") return text === "true" || text === "1";
        if (tl === "string") return text;
        // Untyped: a struct (plain child elements) or text.
        const kids = Object.keys(n).filter((k) => !k.startsWith("@") && k !== "#");
        if (kids.length > 0 && !t) {
            const o: Record<string, Val> = {};
            for (const k of kids) o[local(k)] = value(n[k], ns);
            return o;
        }
        return text;
    };
    const args: Val[] = [];
    for (const k of Object.keys(call)) {
        if (k.startsWith("@") || k === "#") continue;
        const v = call[k];
        for (const one of Array.isArray(v) ? v : [v]) args.push(value(one, ns2));
    }
    return { method: local(callKey), args };
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#13;");

function enc(tag: string, v: Val, used: Set<string>): string {
    if (v === null || v === undefined) return `<${tag} xsi:nil="true"/>`;
    if (typeof v === "string") return `<${tag} xsi:type="xsd:string">${esc(v)}</${tag}>`;
    if (typeof v === "boolean") return `<${tag} xsi:type="xsd:boolean">${v}</${tag}>`;
    if (typeof v === "number") return Number.isInteger(v) ? `<${tag} xsi:type="xsd:int">${v}</${tag}>` : `<${tag} xsi:type="xsd:float">${v}</${tag}>`;
    if (Array.isArray(v)) {
        used.add("enc");
        if (v.length === 0) return `<${tag} SOAP-ENC:arrayType="xsd:ur-type[0]" xsi:type="SOAP-ENC:Array"/>`;
        const allMaps = v.every((x) => x !== null && typeof x === "object" && !Array.isArray(x));
        const allStrings = v.every((x) => typeof x === "string");
        const t = allMaps ? "ns2:Map" : allStrings ? "xsd:string" : "xsd:ur-type";
        if (allMaps) used.add("map");
        return `<${tag} SOAP-ENC:arrayType="${t}[${v.length}]" xsi:type="SOAP-ENC:Array">${v.map((x) => enc("item", x, used)).join("")}</${tag}>`;
    }
    used.add("map");
    const items = Object.entries(v)
        .map(([k, x]) => `<item>${enc("key", /^\d+$/.test(k) ? Number(k) : k, used)}${enc("value", x, used)}</item>`)
        .join("");
    return `<${tag} xsi:type="ns2:Map">${items}</${tag}>`;
}

export function responseXml(method: string, v: Val): string {
    const used = new Set<string>();
    const ret = enc("return", v, used);
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${ENV}" xmlns:ns1="/remote/index.php" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="${XSI}"` +
        (used.has("map") ? ` xmlns:ns2="${MAP}"` : "") +
        ` xmlns:SOAP-ENC="${ENC}" SOAP-ENV:encodingStyle="${ENC}">` +
        `<SOAP-ENV:Body><ns1:${method}Response>${ret}</ns1:${method}Response></SOAP-ENV:Body></SOAP-ENV:Envelope>\n`
    );
}

export function faultXml(code: string, text: string): string {
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${ENV}"><SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>${esc(code)}</faultcode><faultstring>${esc(text)}</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>\n`
    );
}
