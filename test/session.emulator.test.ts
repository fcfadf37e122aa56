/*
 * The session and transport against the test panel (the emulator), where the panel's own rules
 * apply: its 1800 s expiry on its clock, its lockout counter, its permission check, its TLS.
 * (test/soap.session.test.ts covers the same module against a minimal fake panel.)
 */
import { afterEach, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { startEmulator, Emulator } from "./emulator";
import { createSession, Session } from "../provider/soap/session";
import { AuthError, PermissionError, TransportError, ValidationError, FaultError, InputError } from "../provider/soap/errors";
import { decodeResponse } from "../provider/soap/decode";

const PW = "ApiPass123!";
const TLS = path.join(__dirname, "fixtures", "tls");
let emu: Emulator | undefined;
let sessions: Session[] = [];
afterEach(async () => {
    await Promise.all(sessions.map((s) => s.close()));
    sessions = [];
    await emu?.close();
    emu = undefined;
});
const session = (o: Partial<Parameters<typeof createSession>[0]> = {}) => {
    const s = createSession({ endpoint: emu!.url, username: "apiuser", password: PW, ...o });
    sessions.push(s);
    return s;
};
const logins = () => emu!.calls.filter((c) => c.method === "login").length;

describe("session", () => {
    it("50 parallel calls log in exactly once", async () => {
        emu = await startEmulator();
        const s = session();
        const answers = await Promise.all(Array.from({ length: 50 }, () => s.call("server_get_app_version")));
        expect(answers.every((a) => (a as any).ispc_app_version === "3.2.11p2")).toBe(true);
        expect(logins()).toBe(1);
        expect(emu.calls.filter((c) => c.method === "server_get_app_version").length).toBe(50);
    });

    it("a session the panel expired mid-run: one re-login, the call succeeds, no lockout", async () => {
        emu = await startEmulator();
        const s = session();
        await s.call("server_get_app_version");
        emu.clock.advance(1801); // the panel's 1800 s are up
        const answers = await Promise.all(Array.from({ length: 20 }, () => s.call("dns_zone_get", -1)));
        expect(answers.every(Array.isArray)).toBe(true);
        expect(logins()).toBe(2);
        // Only calls already on the wire (at most the concurrency cap, 8) can hit the dead
        // session; the rest wait for the re-login. Well under the panel's lockout of 10.
        expect(emu.loginFailures()).toBeLessThanOrEqual(8);
        expect(emu.calls.filter((c) => c.faultcode === "session_does_not_exist").length).toBeLessThanOrEqual(8);
        expect(s.stats().logins).toBe(2);
    });

    it("renews before the panel's fixed expiry instead of running into it", async () => {
        emu = await startEmulator();
        let now = 1_000_000;
        const s = session({ now: () => now });
        await s.call("server_get_app_version");
        now += 1790_000; // our clock: 1790 s later; the panel's clock is not moved
        await s.call("server_get_app_version");
        expect(logins()).toBe(2);
        expect(emu.calls.filter((c) => c.faultcode === "session_does_not_exist").length).toBe(0);
    });

    it("a wrong password: exactly one login attempt for many calls, an AuthError, no lockout, no password in the message", async () => {
        emu = await startEmulator();
        const s = session({ password: "Wrong-Secret-42" });
        const results = await Promise.allSettled(Array.from({ length: 100 }, () => s.call("dns_zone_get", -1)));
        expect(results.every((r) => r.status === "rejected")).toBe(true);
        const e = (results[0] as PromiseRejectedResult).reason;
        expect(e).toBeInstanceOf(AuthError);
        expect(e.faultcode).toBe("login_failed");
        expect(e.message).toMatch(/ispconfig:password/);
        expect(e.message).not.toContain("Wrong-Secret-42");
        expect(logins()).toBe(1);
        // Later calls fail without contacting the panel.
        await expect(s.call("dns_zone_get", -1)).rejects.toBeInstanceOf(AuthError);
        expect(emu.calls.length).toBe(1);
        expect(emu.loginFailures()).toBe(1);
    });

    it("reproduces the panel's lockout: 10 failures lock out even the right password and valid sessions", async () => {
        emu = await startEmulator();
        const good = session();
        await good.call("server_get_app_version");
        for (let i = 0; i < 10; i++) await session({ password: `wrong-${i}` }).call("server_get_app_version").catch(() => undefined);
        const e = await session().call("server_get_app_version").catch((x) => x);
        expect(e).toBeInstanceOf(AuthError);
        expect(e.faultcode).toBe("login_failure_limit");
        expect(e.message).toMatch(/wait 5 minutes/);
        const v = await good.call("server_get_app_version").catch((x) => x);
        expect(v.faultcode).toBe("session_failure_limit");
        emu.clock.advance(301); // the window passes
        await expect(session().call("server_get_app_version")).resolves.toBeTruthy();
    });

    it("caps concurrent calls (default 8, configurable)", async () => {
        emu = await startEmulator({ latencyMs: 20 });
        const s = session();
        await Promise.all(Array.from({ length: 40 }, () => s.call("dns_zone_get", -1)));
        expect(s.stats().peakConcurrency).toBe(8);
        const t = session({ maxConcurrency: 2 });
        await Promise.all(Array.from({ length: 10 }, () => t.call("dns_zone_get", -1)));
        expect(t.stats().peakConcurrency).toBe(2);
    });

    /** What the session writes to stderr while `fn` runs with ISPCONFIG_DEBUG=`setting`. */
    async function debugLog(setting: string, fn: () => Promise<unknown>): Promise<string> {
        const prev = process.env.ISPCONFIG_DEBUG;
        process.env.ISPCONFIG_DEBUG = setting;
        const lines: string[] = [];
        const orig = process.stderr.write.bind(process.stderr);
        (process.stderr as any).write = (chunk: any) => (lines.push(String(chunk)), true);
        try {
            await fn();
        } finally {
            (process.stderr as any).write = orig;
            if (prev === undefined) delete process.env.ISPCONFIG_DEBUG;
            else process.env.ISPCONFIG_DEBUG = prev;
        }
        return lines.join("");
    }

    it("ISPCONFIG_DEBUG=wire shows what was sent and what came back, with every secret masked", async () => {
        emu = await startEmulator();
        const log = await debugLog("wire", async () => {
            const s = session();
            const clientId = await s.call("client_add", 0, { username: "wiredbg", contact_name: "Wire & <Debug>", password: "Cl1ent-Secret-77", email: "w@example.net" });
            await s.call("client_get", Number(clientId));
            await s.call("dns_zone_add", 0, { origin: "" }).catch(() => undefined);
        });
        const hash = String(emu.table("client").find((c) => c.username === "wiredbg")!.password);
        const sids = log.match(/p[0-9a-f]{40}/g) ?? []; // the test panel's session id shape
        // What an admin needs to see: the call, its data, the answer, the panel's complaint.
        expect(log).toContain(`ispconfig: > login("apiuser", "***")`);
        expect(log).toMatch(/ispconfig: > client_add\("<session>", 0, \{"username":"wiredbg","contact_name":"Wire & <Debug>","password":"\*\*\*"/);
        expect(log).toMatch(new RegExp(`ispconfig: client_get \\d+ ms ok < \\{.*"username":"wiredbg"`));
        expect(log).toMatch(/ispconfig: dns_zone_add \d+ ms failed < ValidationError: /);
        // And nothing it must not: the password, the hash the panel keeps, the session id.
        expect(hash.length).toBeGreaterThan(20);
        for (const secret of [PW, "Cl1ent-Secret-77", hash]) expect(log).not.toContain(secret);
        expect(sids).toEqual([]);
    });

    it("debug logging (ISPCONFIG_DEBUG=1) shows methods and timings, never arguments", async () => {
        emu = await startEmulator();
        const log = await debugLog("1", () => session().call("client_add", 0, { username: "dbg", contact_name: "x", password: "Cl1ent-Secret-77" }));
        expect(log).toMatch(/ispconfig: login \d+ ms ok/);
        expect(log).toMatch(/ispconfig: client_add \d+ ms ok/);
        expect(log).not.toContain(PW);
        expect(log).not.toContain("Cl1ent-Secret-77");
    });

    it("logs out on close", async () => {
        emu = await startEmulator();
        const s = session();
        await s.call("server_get_app_version");
        await s.close();
        expect(emu.calls.at(-1)?.method).toBe("logout");
        expect(emu.panel.sessions.size).toBe(0);
    });
});

describe("faults become typed errors", () => {
    it("permission_denied names the function to grant", async () => {
        emu = await startEmulator({ users: [{ username: "limited", password: PW, functions: ["dns_zone_get"] }] });
        const s = session({ username: "limited" });
        await expect(s.call("dns_zone_get", -1)).resolves.toEqual([]);
        const e = await s.call("sites_web_domain_get", -1).catch((x) => x);
        expect(e).toBeInstanceOf(PermissionError);
        expect(e.message).toMatch(/sites_web_domain_get/);
        expect(e.message).toMatch(/System > Remote Users.*"Sites Domain functions"/);
    });

    it("data_processing_error lists the fields plainly", async () => {
        emu = await startEmulator();
        const e = await session().call("dns_zone_add", 0, { origin: "bad origin" }).catch((x) => x);
        expect(e).toBeInstanceOf(ValidationError);
        expect(e.fields).toEqual(expect.arrayContaining(["server_id", "origin", "ns", "mbox", "ttl"]));
        expect(e.message).toMatch(/server_id is missing or empty; origin has an invalid value/);
    });

    it("database_error is cut to the database's own message (no SQL, no values)", async () => {
        emu = await startEmulator({ strictSqlMode: true });
        const e = await session().call("dns_a_add", 0, { server_id: 1, zone: 1, name: "www", data: "192.0.2.1", ttl: 3600 }).catch((x) => x);
        expect(e).toBeInstanceOf(FaultError);
        expect(e.faultcode).toBe("database_error");
        expect(e.message).toMatch(/Data truncated for column 'type'/);
        expect(e.message).not.toMatch(/INSERT|VALUES|192\.0\.2\.1/);
    });
});

describe("transport", () => {
    const tls = () => ({ key: fs.readFileSync(path.join(TLS, "server.key")), cert: fs.readFileSync(path.join(TLS, "server.pem")) });

    it("refuses a self-signed panel by default, accepts it with caFile or insecure", async () => {
        emu = await startEmulator({ tls: tls() });
        const e = await session().call("server_get_app_version").catch((x) => x);
        expect(e).toBeInstanceOf(TransportError);
        expect(e.maybeApplied).toBe(false);
        expect(e.message).toMatch(/ispconfig:caFile/);
        await expect(session({ caFile: path.join(TLS, "ca.pem") }).call("server_get_app_version")).resolves.toBeTruthy();
        await expect(session({ insecure: true }).call("server_get_app_version")).resolves.toBeTruthy();
    });

    it("times out a panel that never answers", async () => {
        emu = await startEmulator();
        const s = session({ timeoutMs: 300 });
        await s.login();
        emu.injectFault({ kind: "timeout", method: "dns_zone_get" });
        const t0 = Date.now();
        const e = await s.call("dns_zone_get", -1).catch((x) => x);
        expect(Date.now() - t0).toBeLessThan(2000);
        expect(e).toBeInstanceOf(TransportError);
        expect(e.maybeApplied).toBe(true);
        expect(e.message).toMatch(/300 ms/);
    });

    it.each([
        ["html500", 500, /Internal Server Error/],
        ["proxy502", 502, /502 Bad Gateway/],
        ["emptyBody", 200, /empty/],
        ["truncated", 200, /truncated|not a complete/],
    ] as const)("%s is a TransportError with the status and the start of the body", async (kind, status, text) => {
        emu = await startEmulator();
        const s = session();
        await s.login();
        emu.injectFault({ kind, method: "dns_zone_get" });
        const e = await s.call("dns_zone_get", -1).catch((x) => x);
        expect(e).toBeInstanceOf(TransportError);
        expect(e.status).toBe(status);
        expect(e.message).toMatch(text);
        expect(e.message).not.toMatch(/at .*\.js:\d+/); // no parser stack trace
    });

    it("a dropped connection after sending may have been applied; a refused one was not", async () => {
        emu = await startEmulator();
        const s = session();
        await s.login();
        // An add: a reused kept-alive socket that breaks is not resent by the transport.
        emu.injectFault({ kind: "drop", method: "dns_zone_add" });
        const e = await s.call("dns_zone_add", 0, { origin: "x.example.com." }).catch((x) => x);
        expect(e).toBeInstanceOf(TransportError);
        expect(e.maybeApplied).toBe(true);
        expect(e.stale).toBe(true);
        // Anything else is resent once on a fresh connection (same end state when sent twice).
        await s.call("server_get_app_version"); // a kept-alive socket again
        emu.injectFault({ kind: "drop", method: "dns_zone_delete" });
        await expect(s.call("dns_zone_delete", 1)).resolves.toBe(0);
        expect(emu.calls.filter((c) => c.method === "dns_zone_delete")).toHaveLength(2);
        const port = await new Promise<number>((r) => {
            const srv = net.createServer().listen(0, "127.0.0.1", () => {
                const p = (srv.address() as net.AddressInfo).port;
                srv.close(() => r(p));
            });
        });
        const refused = await createSession({ endpoint: `http://127.0.0.1:${port}/remote/index.php`, username: "u", password: PW }).call("x").catch((x) => x);
        expect(refused).toBeInstanceOf(TransportError);
        expect(refused.maybeApplied).toBe(false);
    });
});

describe("hostile input and answers", () => {
    it("strings with XML metacharacters and non-ASCII round-trip unchanged", async () => {
        emu = await startEmulator();
        const s = session();
        await s.call("client_add", 0, { username: "hostile", contact_name: `& < > " ' ]]> Zoë 日本 🎉`, company_name: "</value></item><item>", password: "Cl1ent-Pass!2024" });
        const row = (await s.call("client_get", { username: "hostile" })) as any[];
        expect(row[0].contact_name).toBe(`& < > " ' ]]> Zoë 日本 🎉`);
        expect(row[0].company_name).toBe("</value></item><item>");
    });

    it("a character XML cannot carry is refused before sending, naming the field", async () => {
        emu = await startEmulator();
        const s = session();
        const e = await s.call("dns_zone_get", { origin: "a\u0001b" }).catch((x) => x);
        expect(e).toBeInstanceOf(InputError);
        expect(e.message).toMatch(/origin.*U\+0001/);
        expect(emu.calls.map((c) => c.method)).toEqual(["login"]);
    });

    it("a DOCTYPE / entity bomb answer is refused without expansion, quickly", () => {
        const bomb =
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
            '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>' +
            '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><ns1:xResponse xmlns:ns1="u"><return>&lol3;</return></ns1:xResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>';
        const t0 = performance.now();
        expect(() => decodeResponse(bomb, 200, "x")).toThrow(TransportError);
        const ext = bomb.replace(/<!DOCTYPE[^\]]*\]>/, '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>');
        expect(() => decodeResponse(ext, 200, "x")).toThrow(/DOCTYPE/);
        expect(performance.now() - t0).toBeLessThan(50);
    });

    it("an answer larger than the bound is refused rather than buffered", async () => {
        emu = await startEmulator();
        const e = await session({ maxResponseBytes: 1000 }).call("get_function_list").catch((x) => x);
        expect(e).toBeInstanceOf(TransportError);
        expect(e.message).toMatch(/exceeds 1000 bytes/);
    });
});
