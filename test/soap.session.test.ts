import { afterEach, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import ts from "typescript";
import { createLimiter } from "../provider/soap/limiter";
import { createSession, Session, SessionOptions } from "../provider/soap/session";
import { closeSharedSessions, getSharedSession } from "../provider/soap/sharedSession";
import { AuthError, FaultError, InputError, PermissionError, TransportError, ValidationError } from "../provider/soap/errors";

/*
 * Sessions and transport against a small fake panel: a node http(s) server that speaks just
 * enough of ISPConfig's SOAP (login, logout, a few functions, the session and lockout faults,
 * and every way an answer can go wrong) and counts what it receives. It reads requests with
 * regexes, not with the client's decoder, so the two cannot share a mistake.
 */

const PW = "ApiPass123!";
const TLS = path.join(__dirname, "fixtures", "tls");

type Injected = "html500" | "proxy502" | "empty" | "truncated" | "hang" | "drop" | "huge" | "echoPassword" | "sessionFailureLimit" | "permission" | "validation" | "database";

interface Received {
    method: string;
    sid?: string;
    fault?: string;
}

const NS_DECLS =
    'xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="/remote/index.php" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:ns2="http://xml.apache.org/xml-soap" xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/" SOAP-ENV:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"';
const ok = (method: string, ret: string) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope ${NS_DECLS}><SOAP-ENV:Body><ns1:${method}Response>${ret}</ns1:${method}Response></SOAP-ENV:Body></SOAP-ENV:Envelope>\n`;
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const faultXml = (code: string, text: string) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>${code}</faultcode><faultstring>${esc(text)}</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>\n`;

class FakePanel {
    server!: http.Server;
    url = "";
    password = PW;
    latencyMs = 0;
    /** Every session id answers session_does_not_exist, even fresh ones (a broken panel). */
    alwaysExpired = false;
    readonly sessions = new Set<string>();
    readonly received: Received[] = [];
    inFlight = 0;
    maxInFlight = 0;
    private inject = new Map<string, Injected[]>();
    private sockets = new Set<net.Socket>();
    private n = 0;

    static async start(o: { tls?: boolean; latencyMs?: number } = {}): Promise<FakePanel> {
        const p = new FakePanel();
        p.latencyMs = o.latencyMs ?? 0;
        const handler = (req: http.IncomingMessage, res: http.ServerResponse) => p.handle(req, res);
        p.server = o.tls
            ? https.createServer({ key: fs.readFileSync(path.join(TLS, "server.key")), cert: fs.readFileSync(path.join(TLS, "server.pem")) }, handler)
            : http.createServer(handler);
        p.server.on("connection", (s) => {
            p.sockets.add(s);
            s.on("close", () => p.sockets.delete(s));
        });
        p.server.on("secureConnection", (s) => {
            p.sockets.add(s);
            s.on("close", () => p.sockets.delete(s));
        });
        await new Promise<void>((r) => p.server.listen(0, "127.0.0.1", r));
        p.url = `${o.tls ? "https" : "http"}://127.0.0.1:${(p.server.address() as net.AddressInfo).port}/remote/index.php`;
        return p;
    }

    /** The next call(s) of `method` go wrong in this way, one per entry. */
    injectFault(method: string, ...kinds: Injected[]): void {
        this.inject.set(method, [...(this.inject.get(method) ?? []), ...kinds]);
    }
    expireAll(): void {
        this.sessions.clear();
    }
    count(method: string): number {
        return this.received.filter((r) => r.method === method).length;
    }
    async close(): Promise<void> {
        for (const s of this.sockets) s.destroy();
        await new Promise<void>((r) => this.server.close(() => r()));
    }

    private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
        const chunks: Buffer[] = [];
        req.on("data", (c) => chunks.push(c));
        req.on("end", async () => {
            const body = Buffer.concat(chunks).toString("utf8");
            const method = /<ns1:(\w+)>/.exec(body)?.[1] ?? "?";
            const param = (i: number) => /<param(\d+) [^>]*>([^<]*)</g.exec(body.slice(body.indexOf(`<param${i} `)))?.[2];
            const rec: Received = { method };
            this.received.push(rec);
            this.inFlight++;
            this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
            const send = (status: number, text: string, type = "text/xml; charset=utf-8") => {
                this.inFlight--;
                res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(text) });
                res.end(text);
            };
            const fault = (code: string, text: string) => {
                rec.fault = code;
                send(500, faultXml(code, text));
            };
            if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
            const kind = this.inject.get(method)?.shift();
            switch (kind) {
                case "hang":
                    return; // never answers
                case "drop":
                    this.inFlight--;
                    return req.socket.destroy();
                case "html500":
                    return send(500, "<html><head><title>500 Internal Server Error</title></head>\n<body><h1>Internal Server Error</h1></body></html>", "text/html");
                case "proxy502":
                    return send(502, "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>", "text/html");
                case "empty":
                    return send(200, "");
                case "truncated":
                    return send(200, ok(method, '<return SOAP-ENC:arrayType="xsd:ur-type[0]" xsi:type="SOAP-ENC:Array"/>').slice(0, 250));
                case "huge":
                    return send(200, ok(method, `<return xsi:type="xsd:string">${"x".repeat(10_000)}</return>`));
                case "echoPassword":
                    // A buggy panel (or proxy) that quotes the request back, password and all.
                    return send(500, `<html><body>Error while handling: ${body}</body></html>`, "text/html");
                case "sessionFailureLimit":
                    return fault("session_failure_limit", "The Session failure limit has been reached.");
                case "permission":
                    return fault("permission_denied", "You do not have the permissions to access this function.");
                case "validation":
                    return fault("data_processing_error", "server_id_error_empty<br />\r\norigin_error_regex<br />\r\n");
                case "database":
                    return fault(
                        "database_error",
                        `Duplicate entry 'x' for key 'email' INSERT INTO \`mail_user\` (\`email\`, \`password\`) VALUES ('a@b.c', '$6$rounds=5000$abcdefgh$0123456789abcdefghijklmnopqrstuvwxyz', '${this.password}')`,
                    );
            }
            if (method === "login") {
                if (param(0) !== "apiuser" || param(1) !== this.password) return fault("login_failed", "The login failed. Username or password wrong.");
                const sid = `s${(++this.n).toString(16).padStart(40, "0")}`;
                this.sessions.add(sid);
                return send(200, ok(method, `<return xsi:type="xsd:string">${sid}</return>`));
            }
            const sid = param(0);
            rec.sid = sid;
            if (method === "logout") {
                if (sid) this.sessions.delete(sid);
                return send(200, ok(method, '<return xsi:type="xsd:boolean">true</return>'));
            }
            if (this.alwaysExpired || !sid || !this.sessions.has(sid)) return fault("session_does_not_exist", "The Session is expired or does not exist.");
            switch (method) {
                case "server_get_app_version":
                    return send(200, ok(method, '<return xsi:type="ns2:Map"><item><key xsi:type="xsd:string">ispc_app_version</key><value xsi:type="xsd:string">3.2.11p2</value></item></return>'));
                case "dns_zone_get":
                    return send(200, ok(method, '<return SOAP-ENC:arrayType="xsd:ur-type[0]" xsi:type="SOAP-ENC:Array"/>'));
                case "dns_zone_delete":
                    return send(200, ok(method, '<return xsi:type="xsd:int">1</return>'));
                case "dns_a_add":
                    return send(200, ok(method, '<return xsi:type="xsd:string">42</return>'));
                case "echo": {
                    // Answers with param1 exactly as it was sent, renamed to <return>.
                    const m = /<param1([ >][\s\S]*?)<\/param1>|<param1([^>]*)\/>/.exec(body)!;
                    return send(200, ok(method, m[1] !== undefined ? `<return${m[1]}</return>` : `<return${m[2]}/>`));
                }
                default:
                    return fault("invalid_method", `Method ${method} does not exist`);
            }
        });
    }
}

let panel: FakePanel | undefined;
let opened: Session[] = [];
afterEach(async () => {
    await Promise.all(opened.map((s) => s.close({ deadlineMs: 500 })));
    opened = [];
    await panel?.close();
    panel = undefined;
});
const session = (o: Partial<SessionOptions> = {}) => {
    const s = createSession({ endpoint: panel!.url, username: "apiuser", password: PW, ...o });
    opened.push(s);
    return s;
};
const caught = async (p: Promise<unknown>): Promise<any> => {
    try {
        await p;
    } catch (e) {
        return e;
    }
    throw new Error("expected a rejection");
};

describe("session", () => {
    it("50 parallel calls log in exactly once", async () => {
        panel = await FakePanel.start({ latencyMs: 5 });
        const s = session();
        const answers = await Promise.all(Array.from({ length: 50 }, () => s.call("server_get_app_version")));
        expect(answers.every((a) => (a as any).ispc_app_version === "3.2.11p2")).toBe(true);
        expect(panel.count("login")).toBe(1);
        expect(panel.count("server_get_app_version")).toBe(50);
        expect(s.stats()).toMatchObject({ logins: 1, loginAttempts: 1, calls: 51 });
    });

    it("a session the panel ended mid-run: exactly one re-login, every call succeeds", async () => {
        panel = await FakePanel.start({ latencyMs: 5 });
        const s = session();
        await s.call("server_get_app_version");
        panel.expireAll(); // what the panel's fixed 1800 s do (captures 71_)
        const answers = await Promise.all(Array.from({ length: 30 }, () => s.call("dns_zone_get", -1)));
        expect(answers).toEqual(Array.from({ length: 30 }, () => []));
        expect(panel.count("login")).toBe(2);
        // Only calls already on the wire (at most the cap of 8) can meet the dead session; the
        // rest wait for the re-login. Well under the panel's lockout of 10.
        const dead = panel.received.filter((r) => r.fault === "session_does_not_exist").length;
        expect(dead).toBeGreaterThanOrEqual(1);
        expect(dead).toBeLessThanOrEqual(8);
        expect(s.stats().logins).toBe(2);
    });

    it("retries once, never loops: a panel that rejects every session costs two logins and two tries", async () => {
        panel = await FakePanel.start();
        panel.alwaysExpired = true;
        const s = session();
        const e = await caught(s.call("dns_zone_get", -1));
        expect(e).toBeInstanceOf(AuthError);
        expect(e.faultcode).toBe("session_does_not_exist");
        expect(panel.count("login")).toBe(2);
        expect(panel.count("dns_zone_get")).toBe(2);
    });

    it("renews a minute before the panel's fixed expiry instead of running into it", async () => {
        panel = await FakePanel.start();
        let now = 1_000_000;
        const s = session({ now: () => now });
        await s.call("server_get_app_version");
        now += 1_790_000; // 1790 s later
        await s.call("server_get_app_version");
        expect(panel.count("login")).toBe(2);
        expect(panel.received.filter((r) => r.fault).length).toBe(0);
    });

    it("a wrong password: one login attempt for 100 calls, an AuthError, and no more requests", async () => {
        panel = await FakePanel.start({ latencyMs: 5 });
        const secret = "Wrong-Secret-42";
        const s = session({ password: secret });
        const results = await Promise.allSettled(Array.from({ length: 100 }, () => s.call("dns_zone_get", -1)));
        expect(results.every((r) => r.status === "rejected")).toBe(true);
        const e = (results[0] as PromiseRejectedResult).reason;
        expect(e).toBeInstanceOf(AuthError);
        expect(e.faultcode).toBe("login_failed");
        expect(e.message).toMatch(/ispconfig:password/);
        for (const r of results) expect(String((r as PromiseRejectedResult).reason.message)).not.toContain(secret);
        expect(panel.received).toEqual([{ method: "login", fault: "login_failed" }]);
        // Later calls fail the same way without contacting the panel.
        const again = await caught(s.call("server_get_app_version"));
        expect(again).toBe(e);
        await expect(s.login()).rejects.toBe(e);
        expect(panel.received.length).toBe(1);
        expect(s.stats().loginAttempts).toBe(1);
    });

    it("a lockout fault (session_failure_limit) stops all further calls", async () => {
        panel = await FakePanel.start();
        const s = session();
        await s.login();
        panel.injectFault("dns_zone_get", "sessionFailureLimit");
        const e = await caught(s.call("dns_zone_get", -1));
        expect(e).toBeInstanceOf(AuthError);
        expect(e.message).toMatch(/wait 5 minutes/);
        const before = panel.received.length;
        await expect(s.call("server_get_app_version")).rejects.toBe(e);
        expect(panel.received.length).toBe(before);
    });

    it("caps concurrent requests at 8 by default, or at maxConcurrency", async () => {
        panel = await FakePanel.start({ latencyMs: 30 });
        const s = session();
        await Promise.all(Array.from({ length: 40 }, () => s.call("dns_zone_get", -1)));
        expect(panel.maxInFlight).toBe(8);
        expect(s.stats().peakConcurrency).toBe(8);
        await panel.close();
        panel = await FakePanel.start({ latencyMs: 30 });
        const t = session({ maxConcurrency: 2 });
        await Promise.all(Array.from({ length: 10 }, () => t.call("dns_zone_get", -1)));
        expect(panel.maxInFlight).toBe(2);
    });

    it("logs out on close, best effort when the panel is gone", async () => {
        panel = await FakePanel.start();
        const s = session();
        await s.call("server_get_app_version");
        const sid = panel.received.at(-1)!.sid;
        await s.close();
        expect(panel.received.at(-1)).toEqual({ method: "logout", sid });
        expect(panel.sessions.size).toBe(0);
        const t = session();
        await t.login();
        await panel.close();
        panel = undefined;
        await expect(t.close()).resolves.toBeUndefined();
    });

    it("reports every call to onCall and, with ISPCONFIG_DEBUG=1, to stderr: names and times, never arguments", async () => {
        panel = await FakePanel.start();
        const seen: string[] = [];
        const lines: string[] = [];
        const prev = process.env.ISPCONFIG_DEBUG;
        const write = process.stderr.write;
        process.env.ISPCONFIG_DEBUG = "1";
        (process.stderr as any).write = (chunk: unknown) => (lines.push(String(chunk)), true);
        try {
            const s = session({ onCall: (m, ms, okay) => seen.push(`${m}:${typeof ms}:${okay}`) });
            await s.call("echo", { password: "Mailbox-Secret-1" });
            await s.call("nope").catch(() => undefined);
        } finally {
            process.stderr.write = write;
            if (prev === undefined) delete process.env.ISPCONFIG_DEBUG;
            else process.env.ISPCONFIG_DEBUG = prev;
        }
        expect(seen).toEqual(["login:number:true", "echo:number:true", "nope:number:false"]);
        const log = lines.join("");
        expect(log).toMatch(/^ispconfig: login \d+ ms ok$/m);
        expect(log).toMatch(/^ispconfig: echo \d+ ms ok$/m);
        expect(log).toMatch(/^ispconfig: nope \d+ ms failed$/m);
        expect(log).not.toContain(PW);
        expect(log).not.toContain("Mailbox-Secret-1");
    });
});

describe("limiter", () => {
    it("never runs more than max, however tasks start and end", async () => {
        const limit = createLimiter(3);
        let running = 0;
        let most = 0;
        const task = async () => {
            running++;
            most = Math.max(most, running);
            for (let i = Math.floor(Math.random() * 4); i > 0; i--) await Promise.resolve();
            if (Math.random() < 0.3) await new Promise((r) => setTimeout(r, 1));
            running--;
        };
        // Calls that start from other tasks' completions, in the same microtask turn as a release.
        const all: Promise<void>[] = [];
        for (let i = 0; i < 300; i++) {
            const p = limit.run(task);
            all.push(p, p.then(() => limit.run(task)));
        }
        await Promise.all(all);
        expect(most).toBe(3);
        expect(limit.peak()).toBe(3);
    });
});

describe("errors never carry the password", () => {
    it.each([
        ["a login failure", async (s: Session, p: FakePanel) => ((p.password = "other"), s.login())],
        ["an answer quoting the request back", async (s: Session, p: FakePanel) => (await s.login(), p.injectFault("echo", "echoPassword"), s.call("echo", PW))],
        ["a database_error echoing SQL with the password and a hash", async (s: Session, p: FakePanel) => (await s.login(), p.injectFault("dns_a_add", "database"), s.call("dns_a_add", 0, { password: PW }))],
    ])("%s", async (_n, run) => {
        panel = await FakePanel.start();
        const s = session();
        const e = await caught(run(s, panel));
        const all = [e.message, e.stack, e.bodyStart, e.faultstring].filter(Boolean).join("\n");
        expect(all.length).toBeGreaterThan(0);
        expect(all).not.toContain(PW);
        expect(all).not.toMatch(/\$6\$rounds/);
        expect(all).not.toMatch(/INSERT INTO/);
    });
});

describe("faults become typed errors with messages a person can act on", () => {
    it("permission_denied names the function and the Remote Users checkbox to tick", async () => {
        panel = await FakePanel.start();
        const s = session();
        await s.login();
        panel.injectFault("dns_a_add", "permission");
        const e = await caught(s.call("dns_a_add", 0, {}));
        expect(e).toBeInstanceOf(PermissionError);
        expect(e.message).toMatch(/may not call dns_a_add/);
        expect(e.message).toMatch(/System > Remote Users.*"DNS a functions"/);
    });

    it("data_processing_error lists the fields plainly", async () => {
        panel = await FakePanel.start();
        const s = session();
        await s.login();
        panel.injectFault("dns_zone_add", "validation");
        const e = await caught(s.call("dns_zone_add", 0, { origin: "bad origin" }));
        expect(e).toBeInstanceOf(ValidationError);
        expect(e.fields).toEqual(["server_id", "origin"]);
        expect(e.keys).toEqual(["server_id_error_empty", "origin_error_regex"]);
        expect(e.message).toBe("dns_zone_add: the panel refused the values: server_id is missing or empty; origin has an invalid value.");
    });

    it("database_error keeps the database's own message only", async () => {
        panel = await FakePanel.start();
        const s = session();
        await s.login();
        panel.injectFault("dns_a_add", "database");
        const e = await caught(s.call("dns_a_add", 0, {}));
        expect(e).toBeInstanceOf(FaultError);
        expect(e.faultcode).toBe("database_error");
        expect(e.message).toBe("dns_a_add: the panel's database refused the change: Duplicate entry 'x' for key 'email' (database_error).");
    });

    it("a value XML cannot carry is refused before any request, naming the field", async () => {
        panel = await FakePanel.start();
        const s = session();
        await s.login();
        const before = panel.received.length;
        const e = await caught(s.call("dns_zone_add", 0, { origin: "a\u0001b" }));
        expect(e).toBeInstanceOf(InputError);
        expect(e.message).toMatch(/dns_zone_add param2\.origin contains the character U\+0001/);
        expect(panel.received.length).toBe(before);
    });

    it("hostile strings round-trip through the wire unchanged", async () => {
        panel = await FakePanel.start();
        const s = session();
        const v = { a: `& < > " ' ]]> <![CDATA[x]]>`, b: "</value></item><item>", c: "Zoë 日本語 🎉", d: "", e: null, f: [1, "2", true] };
        expect(await s.call("echo", v)).toEqual(v);
    });
});

describe("transport", () => {
    it("refuses a self-signed panel by default; accepts it with caFile, or with insecure", async () => {
        panel = await FakePanel.start({ tls: true });
        const e = await caught(session().call("server_get_app_version"));
        expect(e).toBeInstanceOf(TransportError);
        expect(e.maybeApplied).toBe(false);
        expect(e.message).toMatch(/ispconfig:caFile/);
        expect(panel.received.length).toBe(0);
        await expect(session({ caFile: path.join(TLS, "ca.pem") }).call("server_get_app_version")).resolves.toEqual({ ispc_app_version: "3.2.11p2" });
        await expect(session({ insecure: true }).call("server_get_app_version")).resolves.toEqual({ ispc_app_version: "3.2.11p2" });
        const missing = await caught(session({ caFile: path.join(TLS, "nope.pem") }).call("server_get_app_version"));
        expect(missing).toBeInstanceOf(TransportError);
        expect(missing.message).toMatch(/ispconfig:caFile .*nope\.pem.* cannot be read/);
    });

    it("refuses plain http to anything but this machine unless insecure, before any I/O", async () => {
        const s = createSession({ endpoint: "http://192.0.2.1/remote/index.php", username: "u", password: PW, timeoutMs: 200 });
        const t0 = Date.now();
        const e = await caught(s.call("server_get_app_version"));
        expect(Date.now() - t0).toBeLessThan(100);
        expect(e).toBeInstanceOf(TransportError);
        expect(e.maybeApplied).toBe(false);
        expect(e.message).toMatch(/plain http.*password in clear/);
    });

    it("times out a panel that never answers, quickly, as maybe applied", async () => {
        panel = await FakePanel.start();
        const s = session({ timeoutMs: 300 });
        await s.login();
        panel.injectFault("dns_zone_delete", "hang");
        const t0 = Date.now();
        const e = await caught(s.call("dns_zone_delete", 1));
        expect(Date.now() - t0).toBeLessThan(2000);
        expect(e).toBeInstanceOf(TransportError);
        expect(e.maybeApplied).toBe(true);
        expect(e.message).toMatch(/within 300 ms/);
    });

    it.each([
        ["html500", 500, /HTTP 500.*500 Internal Server Error/],
        ["proxy502", 502, /HTTP 502.*502 Bad Gateway/],
        ["empty", 200, /is empty \(HTTP 200\)/],
        ["truncated", 200, /ends early \(truncated\?\)/],
    ] as const)("%s is a TransportError with the status and the start of the body, maybe applied", async (kind, status, text) => {
        panel = await FakePanel.start();
        const s = session();
        await s.login();
        panel.injectFault("dns_zone_get", kind);
        const e = await caught(s.call("dns_zone_get", -1));
        expect(e).toBeInstanceOf(TransportError);
        expect(e.status).toBe(status);
        expect(e.maybeApplied).toBe(true);
        expect(e.message).toMatch(text);
        expect(e.message).not.toMatch(/\n|at .*\.[jt]s:\d+/); // one line, no parser stack trace
    });

    it("an add whose connection drops after sending is maybe applied and not resent; a read is resent once", async () => {
        panel = await FakePanel.start();
        const s = session();
        await s.login(); // the next calls reuse this kept-alive connection
        panel.injectFault("dns_a_add", "drop");
        const e = await caught(s.call("dns_a_add", 0, { data: "192.0.2.1" }));
        expect(e).toBeInstanceOf(TransportError);
        expect(e.maybeApplied).toBe(true);
        expect(panel.count("dns_a_add")).toBe(1);
        await s.call("dns_zone_get", -1); // a fresh kept-alive connection
        panel.injectFault("dns_zone_get", "drop");
        await expect(s.call("dns_zone_get", -1)).resolves.toEqual([]);
        expect(panel.count("dns_zone_get")).toBe(3);
    });

    it("a refused connection was not applied", async () => {
        const port = await new Promise<number>((r) => {
            const srv = net.createServer().listen(0, "127.0.0.1", () => {
                const p = (srv.address() as net.AddressInfo).port;
                srv.close(() => r(p));
            });
        });
        const e = await caught(createSession({ endpoint: `http://127.0.0.1:${port}/remote/index.php`, username: "u", password: PW }).call("dns_a_add", 0, {}));
        expect(e).toBeInstanceOf(TransportError);
        expect(e.maybeApplied).toBe(false);
        expect(e.message).toMatch(/could not reach the panel \(ECONNREFUSED\)/);
    });

    it("refuses an answer larger than the bound", async () => {
        panel = await FakePanel.start();
        const s = session({ maxResponseBytes: 5_000 });
        await s.login();
        panel.injectFault("dns_zone_get", "huge");
        const e = await caught(s.call("dns_zone_get", -1));
        expect(e).toBeInstanceOf(TransportError);
        expect(e.message).toMatch(/exceeds 5000 bytes/);
    });

    it("sends what PHP sends: POST, text/xml, a quoted SOAPAction of uri#method", async () => {
        const heads: http.IncomingHttpHeaders[] = [];
        const srv = http.createServer((req, res) => {
            heads.push(req.headers);
            req.resume();
            req.on("end", () => res.end(ok("login", '<return xsi:type="xsd:string">s1</return>')));
        });
        await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
        const port = (srv.address() as net.AddressInfo).port;
        const s = createSession({ endpoint: `http://127.0.0.1:${port}/remote/index.php`, username: "u", password: PW });
        await s.login();
        await s.close({ deadlineMs: 200 });
        await new Promise((r) => srv.close(r));
        expect(heads[0]["content-type"]).toBe("text/xml; charset=utf-8");
        expect(heads[0]["soapaction"]).toBe(`"http://127.0.0.1:${port}/remote/#login"`);
    });
});

describe("shared sessions", () => {
    afterEach(async () => {
        await closeSharedSessions();
    });

    it("one per endpoint, user and password; closeSharedSessions logs them out", async () => {
        panel = await FakePanel.start();
        const o = { endpoint: panel.url, username: "apiuser", password: PW };
        const a = getSharedSession(o);
        expect(getSharedSession({ ...o })).toBe(a);
        expect(getSharedSession({ ...o, password: "other" })).not.toBe(a);
        await Promise.all([a.call("server_get_app_version"), getSharedSession({ ...o }).call("server_get_app_version")]);
        expect(panel.count("login")).toBe(1);
        await closeSharedSessions();
        expect(panel.count("logout")).toBe(1);
        expect(getSharedSession(o)).not.toBe(a);
    });

    /** The soap layer transpiled to CommonJS for a plain node child process. */
    function buildForChild(): string {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "soap-child-"));
        const src = path.join(__dirname, "..", "provider");
        for (const rel of fs.readdirSync(path.join(src, "soap")).map((f) => `soap/${f}`).concat(["api/caller.ts"])) {
            if (!rel.endsWith(".ts")) continue;
            const js = ts.transpileModule(fs.readFileSync(path.join(src, rel), "utf8"), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
            fs.mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
            fs.writeFileSync(path.join(out, rel.replace(/\.ts$/, ".js")), js);
        }
        return out;
    }

    it.each([
        ["answers the logout", false],
        ["never answers the logout", true],
    ])("logs out as the process ends, and does not hold it up when the panel %s", async (_n, hang) => {
        panel = await FakePanel.start();
        if (hang) panel.injectFault("logout", "hang");
        const dir = buildForChild();
        const program = `
            const { getSharedSession } = require(${JSON.stringify(path.join(dir, "soap", "sharedSession.js"))});
            getSharedSession({ endpoint: process.env.URL, username: "apiuser", password: ${JSON.stringify(PW)} })
                .call("server_get_app_version").then((v) => console.log(JSON.stringify(v)));
        `;
        const t0 = Date.now();
        const child = spawn(process.execPath, ["-e", program], {
            env: { ...process.env, URL: panel.url, NODE_PATH: path.join(__dirname, "..", "node_modules") },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c) => (stdout += c));
        child.stderr.on("data", (c) => (stderr += c));
        const code = await new Promise<number | null>((r) => child.on("exit", r));
        const ms = Date.now() - t0;
        fs.rmSync(dir, { recursive: true, force: true });
        expect(stderr).toBe("");
        expect(code).toBe(0);
        expect(JSON.parse(stdout)).toEqual({ ispc_app_version: "3.2.11p2" });
        expect(panel.count("logout")).toBe(1);
        if (hang) expect(ms).toBeLessThan(8_000); // the 2 s exit deadline, plus node's start-up
    }, 20_000);
});
