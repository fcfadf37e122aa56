import { NS } from "./envelope";
import { SoapMap, SoapValue } from "./value";

/*
 * A single-pass decoder for the panel's answers, written for speed: a zone of 10,000 records is
 * a 15 MB answer, which a general XML parser (fast-xml-parser: ~4 s and ~770 MB of heap here)
 * cannot turn around while `pulumi refresh` waits. This one walks the text once with indexOf,
 * builds the values directly (no tree), and resolves names by namespace URI like the general
 * decoder it replaces — which stays as the reference the tests compare it with on every capture.
 *
 * It understands exactly what SOAP 1.1 RPC/encoded answers use: elements, attributes,
 * namespace declarations, text with the predefined entities and character references, CDATA,
 * comments, the XML declaration. DOCTYPEs are refused before it runs (decode.ts).
 */

export class ScanError extends Error {}

export type Scanned = { fault: { code: string; string: string } } | { value: SoapValue };

const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));/g;
const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
function unescape(s: string): string {
    if (s.indexOf("&") < 0) return s;
    return s.replace(ENTITY, (_m, name, dec, hex) => {
        if (name) return NAMED[name];
        const cp = dec ? parseInt(dec, 10) : parseInt(hex, 16);
        return cp <= 0x10ffff ? String.fromCodePoint(cp) : "\uFFFD";
    });
}

const ATTR = /([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

interface Frame {
    /** Element name as written (prefix:local). */
    name: string;
    ns: Record<string, string>;
    /** What this element becomes. */
    kind: "skip" | "map" | "array" | "scalar" | "item" | "key" | "value" | "fault" | "faultfield";
    type?: string; // scalar: xsd local type
    nil?: boolean;
    text: string;
    map?: SoapMap;
    list?: SoapValue[];
    key?: string;
    value?: SoapValue;
    hasValue?: boolean;
    /** untyped element with children: a struct. */
    struct?: SoapMap;
}

interface Tag {
    name: string;
    attrs?: Record<string, string>;
    ns: Record<string, string>;
    uri: string;
    local: string;
    /** Resolved once per distinct tag text: what a value element with these attributes is. */
    info?: { nil: boolean; typeUri: string; typeLocal: string; array: boolean };
}

function parseTag(inner: string, scope: Record<string, string>): Tag {
    let sp = 0;
    while (sp < inner.length) {
        const ch = inner.charCodeAt(sp);
        if (ch === 32 || ch === 9 || ch === 10 || ch === 13) break;
        sp++;
    }
    const tag: Tag = { name: inner.slice(0, sp), ns: scope, uri: "", local: "" };
    if (sp < inner.length) {
        const attrs: Record<string, string> = {};
        ATTR.lastIndex = 0;
        const rest = inner.slice(sp);
        let m: RegExpExecArray | null;
        while ((m = ATTR.exec(rest))) {
            const v = unescape(m[2] ?? m[3] ?? "");
            if (m[1] === "xmlns" || m[1].startsWith("xmlns:")) {
                if (tag.ns === scope) tag.ns = { ...scope };
                tag.ns[m[1] === "xmlns" ? "" : m[1].slice(6)] = v;
            } else attrs[m[1]] = v;
        }
        tag.attrs = attrs;
    }
    [tag.uri, tag.local] = resolve(tag.name, tag.ns);
    return tag;
}

function resolve(qn: string, ns: Record<string, string>): [string, string] {
    const i = qn.indexOf(":");
    return i < 0 ? [ns[""] ?? "", qn] : [ns[qn.slice(0, i)] ?? "", qn.slice(i + 1)];
}

/** Decodes `<return>` (or the Fault) of a SOAP answer. Throws ScanError when it is not one. */
export function scanResponse(xml: string): Scanned {
    const len = xml.length;
    let pos = 0;
    const stack: Frame[] = [];
    let depth = 0; // Envelope=1, Body=2, response/Fault=3, return=4
    let result: SoapValue | undefined;
    let haveReturn = false;
    let sawResponse = false;
    let sawEnvelopeEnd = false;
    let fault: { code: string; string: string } | undefined;
    let rootNs: Record<string, string> = {};
    const tagCache = new Map<Record<string, string>, Map<string, Tag>>();

    const finishValue = (f: Frame): SoapValue => {
        if (f.nil) return null;
        if (f.kind === "map") return f.map!;
        if (f.kind === "array") return f.list!;
        if (f.struct) return f.struct;
        const t = unescape(f.text);
        switch (f.type) {
            case "int": case "integer": case "long": case "short": case "byte":
                return parseInt(t, 10);
            case "float": case "double": case "decimal":
                return parseFloat(t);
            case "boolean":
                return t === "true" || t === "1";
            default:
                return t;
        }
    };

    /** Hand a finished value to whoever holds the element that just closed. */
    const deliver = (parent: Frame | undefined, child: Frame, v: SoapValue) => {
        if (!parent) return;
        if (parent.kind === "array") parent.list!.push(v);
        else if (parent.kind === "item") {
            if (child.kind === "key") parent.key = typeof v === "string" ? v : String(v);
            else {
                parent.value = v;
                parent.hasValue = true;
            }
        } else if (parent.kind === "scalar") {
            // An untyped element with element children: PHP makes an object of them.
            parent.struct ??= {};
            parent.struct[resolve(child.name, child.ns)[1]] = v;
        }
    };

    while (pos < len) {
        const lt = xml.indexOf("<", pos);
        if (lt < 0) {
            if (stack.length) stack[stack.length - 1].text += xml.slice(pos);
            break;
        }
        if (lt > pos && stack.length) {
            const top = stack[stack.length - 1];
            if (top.kind === "scalar" || top.kind === "key" || top.kind === "value" || top.kind === "faultfield") top.text = top.text === "" ? xml.slice(pos, lt) : top.text + xml.slice(pos, lt);
        }
        const c1 = xml.charCodeAt(lt + 1);
        if (c1 === 63 /* ? */) {
            const e = xml.indexOf("?>", lt + 2);
            if (e < 0) throw new ScanError("unterminated declaration");
            pos = e + 2;
            continue;
        }
        if (c1 === 33 /* ! */) {
            if (xml.startsWith("<!--", lt)) {
                const e = xml.indexOf("-->", lt + 4);
                if (e < 0) throw new ScanError("unterminated comment");
                pos = e + 3;
                continue;
            }
            if (xml.startsWith("<![CDATA[", lt)) {
                const e = xml.indexOf("]]>", lt + 9);
                if (e < 0) throw new ScanError("unterminated CDATA");
                // CDATA is literal: escape it so the later unescape leaves it as it was.
                if (stack.length) stack[stack.length - 1].text += xml.slice(lt + 9, e).replace(/&/g, "&amp;");
                pos = e + 3;
                continue;
            }
            throw new ScanError("unexpected markup declaration");
        }
        const gt = xml.indexOf(">", lt + 1);
        if (gt < 0) throw new ScanError("unterminated tag");
        if (c1 === 47 /* / */) {
            const name = xml.slice(lt + 2, gt).trim();
            const f = stack.pop();
            if (!f || f.name !== name) throw new ScanError(`mismatched </${name}>`);
            depth--;
            close(f);
            if (depth === 0) sawEnvelopeEnd = true;
            pos = gt + 1;
            continue;
        }
        const selfClosing = xml.charCodeAt(gt - 1) === 47;
        const inner = xml.slice(lt + 1, selfClosing ? gt - 1 : gt);
        const parent = stack[stack.length - 1];
        const scope = parent ? parent.ns : rootNs;
        // The same few tag texts repeat hundreds of thousands of times in a big answer.
        let byScope = tagCache.get(scope);
        if (!byScope) tagCache.set(scope, (byScope = new Map()));
        let tag = byScope.get(inner);
        if (!tag) {
            tag = parseTag(inner, scope);
            if (tag.ns === scope) byScope.set(inner, tag);
        }
        const { name, attrs, ns } = tag;
        depth++;
        const f = open(name, ns, attrs, parent, tag);
        if (depth === 1) rootNs = ns;
        if (selfClosing) {
            depth--;
            close(f);
            if (depth === 0) sawEnvelopeEnd = true;
        } else stack.push(f);
        pos = gt + 1;
    }

    function attrOf(attrs: Record<string, string> | undefined, ns: Record<string, string>, uri: string, local: string): string | undefined {
        if (!attrs) return undefined;
        for (const k in attrs) {
            const [u, l] = resolve(k, ns);
            if (l === local && u === uri) return attrs[k];
        }
        return undefined;
    }

    function valueFrame(name: string, ns: Record<string, string>, attrs: Record<string, string> | undefined, kind: Frame["kind"], tag?: Tag): Frame {
        const f: Frame = { name, ns, kind, text: "" };
        let info = tag?.info;
        if (!info) {
            const nil = attrOf(attrs, ns, NS.xsi, "nil");
            const t = attrOf(attrs, ns, NS.xsi, "type");
            const [typeUri, typeLocal] = t ? resolve(t, ns) : ["", ""];
            info = { nil: nil === "true" || nil === "1", typeUri, typeLocal, array: attrOf(attrs, ns, NS.enc, "arrayType") !== undefined };
            if (tag) tag.info = info;
        }
        if (info.nil) f.nil = true;
        const tu = info.typeUri;
        const tl = info.typeLocal;
        if (tu === NS.map && tl === "Map") {
            f.kind = "map";
            f.map = {};
        } else if ((tu === NS.enc && tl === "Array") || info.array) {
            f.kind = "array";
            f.list = [];
        } else if (kind !== "key") {
            f.kind = kind === "value" ? "value" : "scalar";
            if (tu === NS.xsd) f.type = tl;
        }
        return f;
    }

    function open(name: string, ns: Record<string, string>, attrs: Record<string, string> | undefined, parent: Frame | undefined, tag: Tag): Frame {
        const { uri, local } = tag;
        if (depth === 1) {
            if (local !== "Envelope" || uri !== NS.env) throw new ScanError("not a SOAP 1.1 envelope");
            return { name, ns, kind: "skip", text: "" };
        }
        if (depth === 2) return { name, ns, kind: "skip", text: "" }; // Body (checked on close) or Header
        if (depth === 3) {
            if (local === "Fault" && uri === NS.env) {
                fault = { code: "", string: "" };
                return { name, ns, kind: "fault", text: "" };
            }
            if (local.endsWith("Response")) sawResponse = true;
            return { name, ns, kind: "skip", text: "" };
        }
        if (depth === 4) {
            if (parent?.kind === "fault") return { name, ns, kind: "faultfield", text: "" };
            if (local === "return" && !haveReturn) return valueFrame(name, ns, attrs, "scalar", tag);
            return { name, ns, kind: "skip", text: "" };
        }
        if (!parent || parent.kind === "skip" || parent.kind === "fault" || parent.kind === "faultfield") return { name, ns, kind: "skip", text: "" };
        if (parent.kind === "map") return { name, ns, kind: "item", text: "" };
        if (parent.kind === "item") return local === "key" ? valueFrame(name, ns, attrs, "key", tag) : valueFrame(name, ns, attrs, "value", tag);
        return valueFrame(name, ns, attrs, "scalar", tag);
    }

    function close(f: Frame) {
        const parent = stack[stack.length - 1];
        switch (f.kind) {
            case "item":
                if (parent?.kind === "map" && f.key !== undefined) parent.map![f.key] = f.hasValue ? f.value! : "";
                return;
            case "faultfield": {
                const local = resolve(f.name, f.ns)[1];
                if (fault && local === "faultcode") fault.code = unescape(f.text);
                if (fault && local === "faultstring") fault.string = unescape(f.text);
                return;
            }
            case "skip":
            case "fault":
                return;
            default: {
                const v = f.kind === "key" ? unescape(f.text) : finishValue(f);
                if (depth === 3 && parent && !haveReturn && resolve(f.name, f.ns)[1] === "return") {
                    result = v;
                    haveReturn = true;
                    return;
                }
                deliver(parent, f, v);
            }
        }
    }

    if (stack.length > 0 || !sawEnvelopeEnd) throw new ScanError("the envelope is not complete (truncated?)");
    if (fault) return { fault };
    if (!sawResponse) throw new ScanError("a SOAP envelope without a response element");
    return { value: haveReturn ? result! : null };
}
