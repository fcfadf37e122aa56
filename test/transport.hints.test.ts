import { afterEach, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as path from "node:path";
import { createSession } from "../provider/soap/session";
import { AuthError, ISPConfigError, TransportError } from "../provider/soap/errors";
import { missingConnection } from "../provider/connection";
import { Emulator, startEmulator } from "./emulator";

/*
 * Every way of pointing the provider at the wrong place, against real servers on loopback: the
 * message must name the likely cause and the fix (issue 15, point 5), and never the password.
 */
const TLS = path.join(__dirname, "fixtures", "tls");
const PW = "ApiPass123!";
const tls = { key: fs.readFileSync(path.join(TLS, "server.key")), cert: fs.readFileSync(path.join(TLS, "server.pem")) };

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
    for (const c of closers.splice(0)) await c();
});

async function panel(opts: { tls?: boolean } = {}): Promise<Emulator> {
    const emu = await startEmulator(opts.tls ? { tls } : {});
    closers.push(() => emu.close());
    return emu;
}

/** The error a first call gets with this endpoint (the login is the first request). */
async function failure(endpoint: string, extra: { caFile?: string; password?: string } = {}): Promise<ISPConfigError> {
    const s = createSession({ endpoint, username: "apiuser", password: extra.password ?? PW, caFile: extra.caFile, timeoutMs: 5000 });
    closers.push(() => s.close());
    const e = await s.call("server_get_app_version").then(
        () => undefined,
        (x) => x,
    );
    expect(e, "the call should have failed").toBeInstanceOf(ISPConfigError);
    for (const text of [e.message, e.stack ?? ""]) expect(text.includes(extra.password ?? PW), "the password in the error").toBe(false);
    return e;
}

function swap(url: string, from: string, to: string): string {
    return url.replace(from, to);
}

async function listen(handler: http.RequestListener): Promise<string> {
    const server = http.createServer(handler);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    closers.push(() => new Promise<void>((r) => server.close(() => r())));
    return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

describe("transport errors name the cause and the fix", () => {
    it("https:// against a plain-HTTP panel: not 'EPROTO' alone, but that the port speaks plain HTTP", async () => {
        const emu = await panel();
        const e = await failure(swap(emu.url, "http://", "https://"));
        expect(e).toBeInstanceOf(TransportError);
        expect(e.message).toMatch(/EPROTO/);
        expect(e.message).toMatch(/answered in plain HTTP, not TLS: the endpoint says https:\/\/ but this port does not speak it/);
        expect(e.message).toContain(`http://127.0.0.1:${new URL(emu.url).port}/remote/index.php`);
        expect((e as TransportError).maybeApplied).toBe(false);
    });

    it("http:// against an HTTPS panel: the endpoint must start with https://", async () => {
        const emu = await panel({ tls: true });
        const e = await failure(swap(emu.url, "https://", "http://"));
        expect(e).toBeInstanceOf(TransportError);
        expect(e.message).toMatch(/dropped a plain-HTTP request: if the panel serves HTTPS on this port .*the endpoint must start with https:\/\//);
    });

    it.each([
        ["Apache", `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>400 Bad Request</title>\n</head><body>\n<h1>Bad Request</h1>\n<p>Your browser sent a request that this server could not understand.<br />\nReason: You're speaking plain HTTP to an SSL-enabled server port.<br />\n Instead use the HTTPS scheme to access this URL, please.<br />\n</p>\n</body></html>\n`],
        ["nginx", `<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>The plain HTTP request was sent to HTTPS port</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`],
    ])("http:// against %s serving HTTPS on that port (its 400 page): the endpoint must be https://", async (_server, page) => {
        const base = await listen((_q, r) => {
            r.writeHead(400, { "Content-Type": "text/html; charset=iso-8859-1" });
            r.end(page);
        });
        const e = await failure(`${base}/remote/index.php`);
        expect(e.message).toMatch(/^login: http:\/\/127\.0\.0\.1:(\d+) serves HTTPS, and a plain-HTTP request was refused \(HTTP 400\): the endpoint must be https:\/\/127\.0\.0\.1:\1\/remote\/index\.php\.$/);
    });

    it("a certificate we do not trust (self-signed panel): set ispconfig:caFile", async () => {
        const emu = await panel({ tls: true });
        const e = await failure(emu.url);
        expect(e.message).toMatch(/not trusted \(a self-signed panel\?\): set `ispconfig:caFile`/);
        // The fix it names works.
        const s = createSession({ endpoint: emu.url, username: "apiuser", password: PW, caFile: path.join(TLS, "ca.pem") });
        closers.push(() => s.close());
        await expect(s.call("server_get_app_version")).resolves.toMatchObject({ ispc_app_version: expect.any(String) });
    });

    it.each([["/remote/"], ["/index.php"], ["/remote/json.php"], ["/"]])("a wrong path (%s) on the panel: the endpoint must end in /remote/index.php", async (p) => {
        const emu = await panel();
        const e = await failure(new URL(p, emu.url).href);
        expect(e).toBeInstanceOf(TransportError);
        expect(e.message).toMatch(/does not exist on the panel \(HTTP 404\)\. The endpoint must be the panel's remote API, ending in \/remote\/index\.php/);
        expect((e as TransportError).maybeApplied).toBe(false);
        expect(emu.calls).toHaveLength(0);
    });

    it("the test panel answers only on /remote/index.php, as the real one", async () => {
        const emu = await panel();
        const other = await fetch(new URL("/remote/", emu.url), { method: "POST", body: "<x/>" });
        expect(other.status).toBe(404);
        expect(await other.text()).toMatch(/Not Found/);
        const right = await fetch(`${emu.url}?wsdl=0`, { method: "POST", body: "<x/>" });
        expect(right.status).toBe(500); // a SOAP fault for the bad envelope: the SOAP server answered
        expect(await right.text()).toMatch(/SOAP-ENV:Client/);
    });

    it("the panel's web interface (a redirect to its login page): the endpoint must end in /remote/index.php", async () => {
        const base = await listen((_q, r) => {
            r.writeHead(302, { Location: "/login/" });
            r.end();
        });
        const e = await failure(`${base}/`);
        expect(e.message).toMatch(/redirects http:\/\/127\.0\.0\.1:\d+\/ to http:\/\/127\.0\.0\.1:\d+\/login\/ \(HTTP 302\), which is its web interface, not the remote API: the endpoint must end in \/remote\/index\.php/);
    });

    it("a redirect from http to https: names the https endpoint to set", async () => {
        const base = await listen((q, r) => {
            r.writeHead(301, { Location: `https://${q.headers.host}${q.url}` });
            r.end();
        });
        const e = await failure(`${base}/remote/index.php`);
        expect(e.message).toMatch(/redirects http:\/\/127\.0\.0\.1:(\d+)\/remote\/index\.php to https:\/\/127\.0\.0\.1:\1\/remote\/index\.php \(HTTP 301\): set the endpoint to https:\/\/127\.0\.0\.1:\1\/remote\/index\.php/);
    });

    it("connection refused on another port: ISPConfig listens on 8080", async () => {
        const port = await new Promise<number>((r) => {
            const s = net.createServer().listen(0, "127.0.0.1", () => {
                const p = (s.address() as net.AddressInfo).port;
                s.close(() => r(p));
            });
        });
        const e = await failure(`http://127.0.0.1:${port}/remote/index.php`);
        expect(e.message).toMatch(/could not reach the panel \(ECONNREFUSED\)/);
        expect(e.message).toMatch(/Nothing accepts connections on http:\/\/127\.0\.0\.1:\d+: is the port right\? ISPConfig's panel and its remote API listen on port 8080/);
        expect((e as TransportError).maybeApplied).toBe(false);
    });

    it("a port that takes the connection but never completes the TLS handshake: names the firewall, the port, the scheme", async () => {
        const silent = net.createServer(() => undefined);
        await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
        const sockets: net.Socket[] = [];
        silent.on("connection", (c) => sockets.push(c));
        closers.push(() => new Promise<void>((r) => (sockets.forEach((c) => c.destroy()), silent.close(() => r()))));
        const port = (silent.address() as net.AddressInfo).port;
        const s = createSession({ endpoint: `https://127.0.0.1:${port}/remote/index.php`, username: "apiuser", password: PW, timeoutMs: 300 });
        closers.push(() => s.close());
        const e = await s.call("server_get_app_version").then(() => undefined, (x) => x);
        expect(e).toBeInstanceOf(TransportError);
        expect(e.message).toMatch(/within 300 ms\. No connection to https:\/\/127\.0\.0\.1:\d+ was established in that time: a firewall dropping that port for this machine's IP, a wrong host or port, or a service there that does not speak TLS\./);
        expect(e.maybeApplied).toBe(false);
        expect(e.message).not.toContain(PW);
    });

    it("a refused login: the remote user's IP restriction is named among the causes, and the lockout", async () => {
        const emu = await panel();
        const e = await failure(emu.url, { password: "Wrong-Password-1" });
        expect(e).toBeInstanceOf(AuthError);
        expect(e.message).toMatch(/may log in from this machine's IP \(System > Remote Users\)/);
    });

    it("credentials in the endpoint URL never reach a message", async () => {
        const emu = await panel();
        const withUserInfo = swap(emu.url, "http://", `https://apiuser:${encodeURIComponent(PW)}@`);
        const e = await failure(withUserInfo);
        expect(e.message).not.toContain(encodeURIComponent(PW));
    });
});

describe("a missing connection setting", () => {
    it("names every missing key and its env var, in one message", () => {
        const e = missingConnection(() => undefined, {});
        expect(e?.message).toBe(
            "ISPConfig connection is not configured: `ispconfig:endpoint` (or env ISPCONFIG_ENDPOINT), `ispconfig:username` (or env ISPCONFIG_USERNAME), " +
                "`ispconfig:password` (or env ISPCONFIG_PASSWORD) missing. Set them with `pulumi config set <key> <value>` (the password with `--secret`).",
        );
    });

    it("takes the environment as a fallback (an inline program passing env vars), and empty counts as missing", () => {
        const config: Record<string, string> = { "ispconfig:endpoint": "https://panel.example.com:8080/remote/index.php", "ispconfig:username": "" };
        const e = missingConnection((k) => config[k], { ISPCONFIG_PASSWORD: "x" });
        expect(e?.message).toMatch(/^ISPConfig connection is not configured: `ispconfig:username` \(or env ISPCONFIG_USERNAME\) missing\./);
        expect(missingConnection((k) => config[k], { ISPCONFIG_USERNAME: "deployer", ISPCONFIG_PASSWORD: "x" })).toBeUndefined();
    });
});
