/*
 * The test panel: an in-memory ISPConfig-compatible SOAP server on a free loopback port, with
 * hooks the tests use to move its clock, inject faults and read its tables directly.
 */
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { BadRequest, Val, faultXml, parseCall, responseXml } from "./soapxml";
import { Fault, HtmlPage, Panel, PanelOptions, RemoteUser, Row, isMutating } from "./remoting";
import "./dnsTypes"; // the 17 other record types (dns_<type>_*), kept apart from remoting.ts

export type { RemoteUser, Row } from "./remoting";

export interface EmulatorOptions extends PanelOptions {
    /** Serve HTTPS with this key and certificate instead of HTTP. */
    tls?: { key: string | Buffer; cert: string | Buffer };
    /** Added to every answer, in ms. */
    latencyMs?: number;
    /** Loopback port; 0 (default) picks a free one. */
    port?: number;
}

export type FaultKind = "html500" | "proxy502" | "emptyBody" | "truncated" | "drop" | "timeout" | "lostResponse" | "databaseError" | "expireSessions";

export interface FaultSpec {
    kind: FaultKind;
    /** Only calls of this method (or matching this pattern). */
    method?: string | RegExp;
    /** Only *_add / *_update / *_delete calls. */
    mutatingOnly?: boolean;
    /** The nth matching call (from 1). Default 1. */
    nth?: number;
}

export interface CallRecord {
    method: string;
    at: number;
    ok: boolean;
    faultcode?: string;
    injected?: FaultKind;
}

export interface Emulator {
    url: string;
    close(): Promise<void>;
    /** Live rows of a table (copies): web_domain, dns_soa, dns_rr, mail_domain, mail_user, client. */
    table(name: string): Row[];
    clock: { now(): number; advance(seconds: number): void };
    expireAllSessions(): void;
    calls: CallRecord[];
    resetCalls(): void;
    loginFailures(): number;
    setLegacy(on: boolean): void;
    setStrictSqlMode(on: boolean): void;
    setLatency(ms: number): void;
    injectFault(f: FaultSpec): void;
    clearFaults(): void;
    /** Most requests the panel was handling at the same time (login included). */
    peakInFlight(): number;
    /** Wall time (ms) during which at least one request was in flight: the time a client spent waiting on the panel. */
    busyMs(): number;
    /** The panel itself, for tests that need to reach further. */
    panel: Panel;
}

const HTML_500 = `<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1><p>PHP Fatal error: Uncaught Error: Call to a member function queryOneRecord() on null in /usr/local/ispconfig/interface/lib/classes/remoting.inc.php:92</p></body></html>\n`;
const PROXY_502 = `<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;

const NOT_FOUND = (path: string) =>
    `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL ${path.replace(/[<>&"]/g, "")} was not found on this server.</p>\n</body></html>\n`;

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
    const panel = new Panel(opts);
    let latency = opts.latencyMs ?? 0;
    const faults: (FaultSpec & { seen: number })[] = [];
    const calls: CallRecord[] = [];
    const sockets = new Set<Socket>();
    const held: http.ServerResponse[] = [];

    const pickFault = (method: string): FaultKind | undefined => {
        for (let i = 0; i < faults.length; i++) {
            const f = faults[i];
            if (f.mutatingOnly && !isMutating(method)) continue;
            if (f.method !== undefined && !(typeof f.method === "string" ? f.method === method : f.method.test(method))) continue;
            f.seen++;
            if (f.seen === (f.nth ?? 1)) {
                faults.splice(i, 1);
                return f.kind;
            }
        }
        return undefined;
    };

    let inFlight = 0;
    let peak = 0;
    let busy = 0;
    let busySince = 0;
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
        if (inFlight++ === 0) busySince = performance.now();
        peak = Math.max(peak, inFlight);
        let counted = true;
        const done = () => {
            if (!counted) return;
            counted = false;
            if (--inFlight === 0) busy += performance.now() - busySince;
        };
        res.on("close", done);
        // As the real panel: the SOAP server is remote/index.php and nothing else, so a client
        // pointed at the wrong path meets the same 404 page it would meet there.
        if ((req.url ?? "").split("?")[0] !== "/remote/index.php") {
            req.resume();
            return send(res, 404, NOT_FOUND(req.url ?? "/"), "text/html; charset=iso-8859-1");
        }
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", async () => {
            const body = Buffer.concat(chunks).toString("utf8");
            let method = "";
            let status = 200;
            let xml: string;
            let rec: CallRecord;
            try {
                const call = parseCall(body);
                method = call.method;
                rec = { method, at: panel.now(), ok: true };
                const injected = pickFault(method);
                rec.injected = injected;
                calls.push(rec);
                // The session ends just before this call is handled (the panel's 1800 s are up).
                if (injected === "expireSessions") panel.expireAllSessions();
                if (injected === "drop") return void req.socket.destroy();
                if (injected === "timeout") return void held.push(res);
                if (injected === "html500") return send(res, 500, HTML_500, "text/html; charset=UTF-8");
                if (injected === "proxy502") return send(res, 502, PROXY_502, "text/html");
                if (injected === "emptyBody") return send(res, 200, "", "text/xml; charset=utf-8");
                if (injected === "databaseError") {
                    rec.ok = false;
                    rec.faultcode = "database_error";
                    return send(res, 500, faultXml("database_error", "Lock wait timeout exceeded; try restarting transaction UPDATE `dns_rr` SET `ttl` = '3600' WHERE `id` = '1'"), "text/xml; charset=utf-8");
                }
                try {
                    xml = responseXml(method, panel.call(method, call.args as Val[]));
                } catch (e) {
                    if (e instanceof HtmlPage) {
                        rec.ok = false;
                        rec.faultcode = "html";
                        return send(res, 200, e.body, "text/html; charset=utf-8");
                    }
                    if (!(e instanceof Fault)) throw e;
                    rec.ok = false;
                    rec.faultcode = e.code;
                    status = 500;
                    xml = faultXml(e.code, e.text);
                }
                // Applied; now the answer goes missing on its way back.
                if (injected === "lostResponse") return void req.socket.destroy();
                if (injected === "truncated") return send(res, status, xml.slice(0, Math.floor(xml.length / 2)), "text/xml; charset=utf-8");
            } catch (e) {
                status = 500;
                const text = e instanceof BadRequest ? e.message : "Bad Request";
                calls.push({ method: method || "?", at: panel.now(), ok: false, faultcode: "SOAP-ENV:Client" });
                xml = faultXml("SOAP-ENV:Client", text);
            }
            if (latency > 0) await new Promise((r) => setTimeout(r, latency));
            send(res, status, xml!, "text/xml; charset=utf-8");
        });
    };

    const send = (res: http.ServerResponse, status: number, body: string, type: string) => {
        if (res.destroyed) return;
        res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(body), "X-Powered-By": "PHP/8.2.36" });
        res.end(body);
    };

    const server = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : http.createServer(handler);
    server.keepAliveTimeout = 5000; // Apache's default
    server.on("connection", (s: Socket) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    server.on("secureConnection", (s: Socket) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;

    return {
        url: `${opts.tls ? "https" : "http"}://127.0.0.1:${port}/remote/index.php`,
        async close() {
            for (const r of held) r.destroy();
            for (const s of sockets) s.destroy();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
        table: (name) => (panel.tables[name] ?? []).map((r) => {
            const { __userid, __groupid, ...rest } = r as any;
            return { ...rest };
        }),
        clock: { now: () => panel.now(), advance: (s) => void (panel.clockOffset += s) },
        expireAllSessions: () => panel.expireAllSessions(),
        calls,
        resetCalls: () => void calls.splice(0),
        loginFailures: () => panel.loginFailures(),
        setLegacy: (on) => void (panel.legacy = on),
        setStrictSqlMode: (on) => void (panel.strict = on),
        setLatency: (ms) => void (latency = ms),
        injectFault: (f) => void faults.push({ ...f, seen: 0 }),
        clearFaults: () => void faults.splice(0),
        peakInFlight: () => peak,
        busyMs: () => busy + (inFlight > 0 ? performance.now() - busySince : 0),
        panel,
    };
}
