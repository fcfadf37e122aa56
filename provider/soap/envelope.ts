import { InputError } from "./errors";
import { SoapValue, isSoapMap } from "./value";

/*
 * Builds a request exactly as PHP's SoapClient does in non-WSDL mode (every `*.request.xml`
 * capture): RPC/encoded SOAP 1.1, positional parameters `param0…`, records as Apache `ns2:Map`
 * (a plain SOAP struct breaks every `*_add` on the real panel: curl/C20, C21). The envelope
 * knows nothing of ISPConfig's functions; it only encodes values.
 */

export const NS = {
    env: "http://schemas.xmlsoap.org/soap/envelope/",
    enc: "http://schemas.xmlsoap.org/soap/encoding/",
    xsd: "http://www.w3.org/2001/XMLSchema",
    xsi: "http://www.w3.org/2001/XMLSchema-instance",
    map: "http://xml.apache.org/xml-soap",
} as const;

/** The `uri` PHP examples pass to SoapClient: the endpoint's directory, e.g. `https://panel:8080/remote/`. */
export function soapUri(endpoint: string): string {
    const u = new URL(endpoint);
    u.search = "";
    u.hash = "";
    u.pathname = u.pathname.replace(/[^/]*$/, "");
    return u.toString();
}

/** The SOAPAction header PHP sends: `"<uri>#<method>"`, quotes included. */
export function soapAction(uri: string, method: string): string {
    return `"${uri}#${method}"`;
}

// Characters XML 1.0 cannot carry at all: C0 controls other than TAB/LF/CR, lone surrogates, U+FFFE/U+FFFF.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Escapes text for element content. Quotes are escaped too, and `>` always, so `]]>` can
 * never appear and no value can close an element or start markup.
 */
export function escapeXml(s: string, where: string): string {
    const bad = FORBIDDEN.exec(s);
    if (bad) {
        const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
        throw new InputError(
            `${where} contains the character U+${code}, which XML 1.0 cannot carry; remove it from the value`,
        );
    }
    return s.replace(/[&<>"']/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&apos;"));
}

interface Ctx {
    usesMap: boolean;
}

function scalarType(v: SoapValue): string {
    if (typeof v === "string") return "xsd:string";
    if (typeof v === "boolean") return "xsd:boolean";
    if (typeof v === "number") return Number.isSafeInteger(v) ? "xsd:int" : "xsd:float";
    if (Array.isArray(v)) return "SOAP-ENC:Array";
    if (v === null) return "";
    return "ns2:Map";
}

function encodeValue(tag: string, v: SoapValue, where: string, ctx: Ctx): string {
    if (v === null || v === undefined) return `<${tag} xsi:nil="true"/>`;
    if (typeof v === "string") return `<${tag} xsi:type="xsd:string">${escapeXml(v, where)}</${tag}>`;
    if (typeof v === "boolean") return `<${tag} xsi:type="xsd:boolean">${v ? "true" : "false"}</${tag}>`;
    if (typeof v === "number") {
        if (!Number.isFinite(v)) throw new InputError(`${where} is ${v}, which cannot be sent`);
        const t = scalarType(v);
        return `<${tag} xsi:type="${t}">${t === "xsd:int" ? v.toFixed(0) : String(v)}</${tag}>`;
    }
    if (Array.isArray(v)) {
        const types = new Set(v.map(scalarType));
        const itemType = types.size === 1 && !types.has("") ? [...types][0] : "xsd:ur-type";
        const items = v.map((x, i) => encodeValue("item", x, `${where}[${i}]`, ctx)).join("");
        return `<${tag} SOAP-ENC:arrayType="${itemType}[${v.length}]" xsi:type="SOAP-ENC:Array">${items}</${tag}>`;
    }
    if (isSoapMap(v)) {
        ctx.usesMap = true;
        let items = "";
        for (const [k, x] of Object.entries(v)) {
            if (x === undefined) continue;
            items += `<item><key xsi:type="xsd:string">${escapeXml(k, `${where} key`)}</key>${encodeValue("value", x, `${where}.${k}`, ctx)}</item>`;
        }
        return `<${tag} xsi:type="ns2:Map">${items}</${tag}>`;
    }
    throw new InputError(`${where} has a type (${typeof v}) that cannot be sent`);
}

/**
 * The request body for `method(args…)`. `uri` is the ns1 namespace (see {@link soapUri}).
 * Throws InputError before any I/O when a value cannot be carried.
 */
export function encodeRequest(uri: string, method: string, args: readonly SoapValue[]): string {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(method)) throw new InputError(`not a remote function name: ${JSON.stringify(method)}`);
    const ctx: Ctx = { usesMap: false };
    const params = args.map((a, i) => encodeValue(`param${i}`, a, `parameter ${i} of ${method}`, ctx)).join("");
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${NS.env}" xmlns:ns1="${escapeXml(uri, "endpoint")}" xmlns:xsd="${NS.xsd}" xmlns:xsi="${NS.xsi}"` +
        (ctx.usesMap ? ` xmlns:ns2="${NS.map}"` : "") +
        ` xmlns:SOAP-ENC="${NS.enc}" SOAP-ENV:encodingStyle="${NS.enc}">` +
        `<SOAP-ENV:Body><ns1:${method}>${params}</ns1:${method}></SOAP-ENV:Body></SOAP-ENV:Envelope>\n`
    );
}
