import { InputError } from "./errors";
import { SoapValue } from "./value";

/*
 * Builds a request exactly as PHP's SoapClient does in non-WSDL mode (every `*.request.xml`
 * capture): RPC/encoded SOAP 1.1, positional parameters `param0…`, records as Apache `ns2:Map`
 * (a plain SOAP struct breaks every `*_add` on the real panel: curl/C20, C21). The envelope
 * knows nothing of ISPConfig's functions; it only encodes values.
 *
 * Every value is checked before a byte is sent: a character XML 1.0 cannot carry would make
 * the panel answer `SOAP-ENV:Client Bad Request` (or, worse, store a cut value), so it is
 * refused here with the path of the field that holds it.
 */

export const NS = {
    env: "http://schemas.xmlsoap.org/soap/envelope/",
    enc: "http://schemas.xmlsoap.org/soap/encoding/",
    xsd: "http://www.w3.org/2001/XMLSchema",
    xsi: "http://www.w3.org/2001/XMLSchema-instance",
    map: "http://xml.apache.org/xml-soap",
} as const;

/** Maps and arrays nested deeper than this are refused (and a cycle cannot recurse forever). */
const MAX_DEPTH = 32;

/**
 * The `uri` option ISPConfig's own examples pass to SoapClient: the endpoint's directory,
 * e.g. `https://panel:8080/remote/` for `https://panel:8080/remote/index.php`. It becomes the
 * ns1 namespace and the SOAPAction prefix (01_login.request.*). The server ignores both.
 */
export function soapUri(endpoint: string): string {
    const u = new URL(endpoint);
    u.search = "";
    u.hash = "";
    u.username = "";
    u.password = "";
    u.pathname = u.pathname.replace(/[^/]*$/, "");
    return u.toString();
}

/** The SOAPAction header PHP sends: `"<uri>#<method>"`, quotes included. */
export function soapAction(uri: string, method: string): string {
    return `"${uri}#${method}"`;
}

// Characters XML 1.0 cannot carry at all: C0 controls other than TAB/LF/CR, lone surrogates, U+FFFE/U+FFFF.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const SPECIAL = /[&<>"']/g;
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/**
 * Escapes text for element content or an attribute value. `>` is always escaped, so `]]>`
 * can never appear, and quotes too, so the same function is safe in attributes. `where`
 * names the value in the error (e.g. `dns_zone_add param2.origin`).
 */
export function escapeXml(s: string, where: string): string {
    const bad = FORBIDDEN.exec(s);
    if (bad) {
        const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
        throw new InputError(`${where} contains the character U+${code} at position ${bad.index}, which XML 1.0 cannot carry; remove it from the value`);
    }
    return s.replace(SPECIAL, (c) => ESCAPES[c]);
}

/** PHP turns a decimal-integer string key into an int key, and sends it as `xsd:int`. */
const INT_KEY = /^(?:0|-?[1-9][0-9]{0,17})$/;

function isPlainObject(v: object): boolean {
    const proto = Object.getPrototypeOf(v);
    return proto === Object.prototype || proto === null;
}

/** The xsi:type of a value as an array item, for the array's arrayType. */
function itemType(v: SoapValue): string {
    if (typeof v === "string") return "xsd:string";
    if (typeof v === "boolean") return "xsd:boolean";
    if (typeof v === "number") return Number.isSafeInteger(v) ? "xsd:int" : "xsd:float";
    if (v === null || v === undefined) return "";
    if (Array.isArray(v)) return "SOAP-ENC:Array";
    return Object.keys(v).length === 0 ? "SOAP-ENC:Array" : "ns2:Map";
}

class Encoder {
    usesMap = false;
    constructor(private readonly method: string) {}

    value(tag: string, v: SoapValue | undefined, path: string, depth: number): string {
        if (v === null || v === undefined) return `<${tag} xsi:nil="true"/>`;
        if (typeof v === "string") return `<${tag} xsi:type="xsd:string">${escapeXml(v, `${this.method} ${path}`)}</${tag}>`;
        if (typeof v === "boolean") return `<${tag} xsi:type="xsd:boolean">${v ? "true" : "false"}</${tag}>`;
        if (typeof v === "number") {
            if (!Number.isFinite(v)) throw new InputError(`${this.method} ${path} is ${v}, which cannot be sent`);
            // PHP sends every int as xsd:int, even past 2^31 (fact sheet §3).
            return Number.isSafeInteger(v) ? `<${tag} xsi:type="xsd:int">${v.toFixed(0)}</${tag}>` : `<${tag} xsi:type="xsd:float">${String(v)}</${tag}>`;
        }
        if (typeof v !== "object") throw new InputError(`${this.method} ${path} is a ${typeof v}, which cannot be sent`);
        if (depth >= MAX_DEPTH) throw new InputError(`${this.method} ${path} is nested more than ${MAX_DEPTH} levels deep (a cycle?)`);
        if (Array.isArray(v)) return this.array(tag, v, path, depth);
        if (!isPlainObject(v)) throw new InputError(`${this.method} ${path} is a ${(v as object).constructor?.name ?? "non-plain object"}, which cannot be sent; pass a plain object`);
        const entries = Object.entries(v).filter(([, x]) => x !== undefined);
        // An empty PHP array is a list as far as SoapClient can tell (14_, 74_).
        if (entries.length === 0) return this.array(tag, [], path, depth);
        this.usesMap = true;
        let items = "";
        for (const [k, x] of entries) {
            const keyType = INT_KEY.test(k) ? "xsd:int" : "xsd:string";
            items += `<item><key xsi:type="${keyType}">${escapeXml(k, `${this.method} ${path} key`)}</key>${this.value("value", x, `${path}.${k}`, depth + 1)}</item>`;
        }
        return `<${tag} xsi:type="ns2:Map">${items}</${tag}>`;
    }

    array(tag: string, v: readonly SoapValue[], path: string, depth: number): string {
        if (v.length === 0) return `<${tag} SOAP-ENC:arrayType="xsd:ur-type[0]" xsi:type="SOAP-ENC:Array"/>`;
        const types = new Set(v.map(itemType));
        const t = types.size === 1 && !types.has("") ? [...types][0] : "xsd:ur-type";
        const items = v.map((x, i) => this.value("item", x, `${path}[${i}]`, depth + 1)).join("");
        if (t === "ns2:Map") this.usesMap = true;
        return `<${tag} SOAP-ENC:arrayType="${t}[${v.length}]" xsi:type="SOAP-ENC:Array">${items}</${tag}>`;
    }
}

/**
 * The request body for `method(args…)`, args positional (the session id first, where the
 * function takes one). `uri` is the ns1 namespace (see {@link soapUri}). Throws InputError,
 * before any I/O, when a value cannot be carried; the message names the parameter and key,
 * e.g. `dns_zone_add param2.origin contains the character U+0001 …`.
 */
export function encodeRequest(uri: string, method: string, args: readonly SoapValue[]): string {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(method)) throw new InputError(`not a remote function name: ${JSON.stringify(method.slice(0, 80))}`);
    const enc = new Encoder(method);
    const params = args.map((a, i) => enc.value(`param${i}`, a, `param${i}`, 0)).join("");
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${NS.env}" xmlns:ns1="${escapeXml(uri, "the endpoint URL")}" xmlns:xsd="${NS.xsd}" xmlns:xsi="${NS.xsi}"` +
        (enc.usesMap ? ` xmlns:ns2="${NS.map}"` : "") +
        ` xmlns:SOAP-ENC="${NS.enc}" SOAP-ENV:encodingStyle="${NS.enc}">` +
        `<SOAP-ENV:Body><ns1:${method}>${params}</ns1:${method}></SOAP-ENV:Body></SOAP-ENV:Envelope>\n`
    );
}
