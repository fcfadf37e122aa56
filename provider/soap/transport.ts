import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import * as net from "node:net";
import * as tls from "node:tls";
import { TransportError } from "./errors";
import { MAX_RESPONSE_BYTES } from "./decode";

/*
 * HTTP(S) POST of one envelope. TLS is verified unless the user says `insecure`; a self-signed
 * panel is better served by `caFile`, which adds its CA to the usual roots. Plain http is for
 * a panel on this machine (and tests): anywhere else it would carry the panel password in
 * clear, so it needs the same explicit `insecure`. Connections are kept alive (a TLS
 * handshake to a panel across the internet costs more than the call).
 *
 * Every failure says whether the request may have reached the panel (`maybeApplied`): a
 * refused connection, a failed DNS lookup or TLS handshake cannot have changed anything,
 * while a timeout or a reset after the request was written, or an answer that is not SOAP,
 * might have, and the caller must find out before it tries again.
 */

export interface TransportOptions {
    endpoint: string;
    insecure?: boolean;
    caFile?: string;
    /** Per call, from sending to the last byte of the answer. Default 30 s. */
    timeoutMs?: number;
    /** Sockets kept per panel. */
    maxSockets?: number;
    maxResponseBytes?: number;
}

export interface HttpAnswer {
    status: number;
    body: string;
}

export interface Transport {
    post(body: string, headers: Record<string, string>, method: string, opts?: { idempotent?: boolean }): Promise<HttpAnswer>;
    close(): void;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** Where the panel's remote API lives on a stock install (port 8080, https when the installer set up SSL). */
const API_PATH = "/remote/index.php";
const EXAMPLE = "https://panel.example.com:8080/remote/index.php";

/**
 * The likely cause and the fix for a request that got no HTTP answer, from the error code and
 * the URL we used. The URL is shown without user info, so no credential can end up here.
 */
export function connectHint(code: string, message: string, url: URL): string {
    const where = `${url.protocol}//${url.host}`;
    const port = url.port || (url.protocol === "https:" ? "443" : "80");
    if (/CERT|SELF_SIGNED|ALTNAME|ISSUER|LEAF/.test(code)) {
        return " The panel's TLS certificate is not trusted (a self-signed panel?): set `ispconfig:caFile` to the PEM of the CA that signed it (for a self-signed certificate, the certificate itself), or, for a throw-away test panel only, `ispconfig:insecure` true.";
    }
    if (url.protocol === "https:" && (code === "EPROTO" || /wrong version number|WRONG_VERSION|packet length too long|unknown protocol/i.test(message))) {
        return ` The server at ${where} answered in plain HTTP, not TLS: the endpoint says https:// but this port does not speak it. Use the port where the panel serves HTTPS (8080 on a stock install with SSL), or http://${url.host}${url.pathname} if the panel really serves plain HTTP (only on a network you trust: set \`ispconfig:insecure\` true unless it is this machine).`;
    }
    if (url.protocol === "http:" && (code === "ECONNRESET" || code === "EPIPE" || /socket hang up|Parse Error/i.test(message))) {
        return ` The server at ${where} dropped a plain-HTTP request: if the panel serves HTTPS on this port (the usual for 8080), the endpoint must start with https://.`;
    }
    if (code === "ECONNREFUSED") {
        return port === "8080"
            ? ` Nothing accepts connections on ${where}: is the panel (its web server) running, and does a firewall allow port 8080 from this machine?`
            : ` Nothing accepts connections on ${where}: is the port right? ISPConfig's panel and its remote API listen on port 8080 on a stock install (${EXAMPLE}).`;
    }
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") return ` The host name ${url.hostname} does not resolve: check the endpoint's spelling and this machine's DNS.`;
    if (code === "ETIMEDOUT" || code === "EHOSTUNREACH" || code === "ENETUNREACH") {
        return ` ${where} did not answer the connection: a firewall may drop it (the panel's port must be open to this machine's IP), or the host is down.`;
    }
    return "";
}

/** Apache: "You're speaking plain HTTP to an SSL-enabled server port"; nginx: "The plain HTTP request was sent to HTTPS port". */
const PLAIN_TO_TLS = /plain HTTP to an SSL-enabled server port|plain HTTP request was sent to HTTPS port/i;

/**
 * An HTTP answer that shows the URL is wrong, before any SOAP is decoded: a redirect (the panel's
 * web UI, or http→https) or a missing page. Nothing ran on the panel in either case.
 */
function wrongPlace(status: number, location: string | undefined, url: URL, method: string): TransportError | undefined {
    const shown = `${url.protocol}//${url.host}${url.pathname}`;
    if (status === 404) {
        return new TransportError(
            `${method}: ${shown} does not exist on the panel (HTTP 404). The endpoint must be the panel's remote API, ending in ${API_PATH}, e.g. ${EXAMPLE}.`,
            { status, maybeApplied: false, method },
        );
    }
    if (status >= 300 && status < 400) {
        let to = "";
        try {
            const target = new URL(location ?? "", url);
            to = ` to ${target.protocol}//${target.host}${target.pathname}`;
            if (target.protocol !== url.protocol && target.host === url.host) {
                return new TransportError(`${method}: the panel redirects ${shown}${to} (HTTP ${status}): set the endpoint to ${target.protocol}//${target.host}${target.pathname.endsWith(API_PATH) ? target.pathname : API_PATH}.`, { status, maybeApplied: false, method });
            }
        } catch {
            // No usable Location: the advice below still holds.
        }
        return new TransportError(
            `${method}: the panel redirects ${shown}${to} (HTTP ${status}), which is its web interface, not the remote API: the endpoint must end in ${API_PATH}, e.g. ${EXAMPLE}.`,
            { status, maybeApplied: false, method },
        );
    }
    return undefined;
}

function isLoopback(hostname: string): boolean {
    const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
    if (h === "localhost" || h.endsWith(".localhost")) return true;
    if (net.isIPv4(h)) return h.startsWith("127.");
    return h === "::1";
}

function readCa(caFile: string): Buffer {
    try {
        return fs.readFileSync(caFile);
    } catch (e: any) {
        throw new TransportError(`ispconfig:caFile ${JSON.stringify(caFile)} cannot be read (${e?.code ?? e?.message}); it must be the PEM file of the CA that signed the panel's certificate`, { maybeApplied: false });
    }
}

export function createTransport(opts: TransportOptions): Transport {
    let url: URL;
    try {
        url = new URL(opts.endpoint);
    } catch {
        throw new TransportError(`ispconfig:endpoint is not a URL: ${JSON.stringify(opts.endpoint.slice(0, 200))}`, { maybeApplied: false });
    }
    const isHttps = url.protocol === "https:";
    if (!isHttps && url.protocol !== "http:") {
        throw new TransportError(`ispconfig:endpoint must be an https URL, got ${url.protocol}`, { maybeApplied: false });
    }
    if (!isHttps && !isLoopback(url.hostname) && !opts.insecure) {
        throw new TransportError(
            `ispconfig:endpoint ${url.origin} is plain http, which would send the panel password in clear across the network. Use https (the panel's port 8080 speaks it), or set \`ispconfig:insecure\` true if you really mean it.`,
            { maybeApplied: false },
        );
    }
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const maxBytes = opts.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    let agent: http.Agent;
    if (isHttps) {
        // Adds to the default roots rather than replacing them, so the same setting keeps
        // working if the panel later gets a publicly trusted certificate.
        const ca = opts.caFile ? [readCa(opts.caFile), ...tls.rootCertificates] : undefined;
        agent = new https.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 8, rejectUnauthorized: !opts.insecure, ca });
    } else {
        agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 8 });
    }
    const lib = isHttps ? https : http;
    /** Set by close(): requests still out fail, and nothing is sent (or resent) any more. */
    let closed = false;

    function once(body: string, headers: Record<string, string>, method: string): Promise<HttpAnswer> {
        if (closed) return Promise.reject(new TransportError(`${method}: the connection to the panel was closed`, { maybeApplied: false, method }));
        return new Promise((resolve, reject) => {
            // Both true: the request was handed whole to a connected (for https: verified)
            // socket, so the panel may have received it.
            let finished = false;
            let connected = false;
            const written = () => finished && connected;
            let gotResponse = false;
            let settled = false;
            const finish = (e: TransportError | undefined, answer?: HttpAnswer) => {
                if (settled) return;
                settled = true;
                clearTimeout(timer);
                if (e) reject(e);
                else resolve(answer!);
            };
            const req = lib.request(
                {
                    protocol: url.protocol,
                    hostname: url.hostname.replace(/^\[|\]$/g, ""),
                    port: url.port || (isHttps ? 443 : 80),
                    path: url.pathname + url.search,
                    method: "POST",
                    agent,
                    headers: { ...headers, "Content-Length": Buffer.byteLength(body) },
                },
                (res) => {
                    gotResponse = true;
                    const status = res.statusCode ?? 0;
                    const misplaced = wrongPlace(status, res.headers.location, url, method);
                    if (misplaced) {
                        res.resume();
                        return finish(misplaced);
                    }
                    const tooBig = () => {
                        finish(new TransportError(`${method}: the panel's answer exceeds ${maxBytes} bytes; refused`, { status, maybeApplied: true, method }));
                        req.destroy();
                    };
                    const declared = Number(res.headers["content-length"]);
                    if (Number.isFinite(declared) && declared > maxBytes) return tooBig();
                    const chunks: Buffer[] = [];
                    let size = 0;
                    res.on("data", (c: Buffer) => {
                        size += c.length;
                        if (size > maxBytes) return tooBig();
                        chunks.push(c);
                    });
                    res.on("end", () => {
                        const text = Buffer.concat(chunks).toString("utf8");
                        // Apache and nginx answer plain HTTP on a TLS port with a 400 page whose
                        // reason is past the start a decode error would quote.
                        if (status === 400 && !isHttps && PLAIN_TO_TLS.test(text)) {
                            return finish(new TransportError(`${method}: ${url.protocol}//${url.host} serves HTTPS, and a plain-HTTP request was refused (HTTP 400): the endpoint must be https://${url.host}${url.pathname}.`, { status, maybeApplied: false, method }));
                        }
                        finish(undefined, { status, body: text });
                    });
                    const broke = (e?: any) =>
                        finish(
                            new TransportError(`${method}: the connection broke while the answer arrived${e?.code ? ` (${e.code})` : ""}`, {
                                status,
                                bodyStart: Buffer.concat(chunks).toString("utf8", 0, 200).replace(/\s+/g, " ").trim(),
                                maybeApplied: true,
                                method,
                            }),
                        );
                    res.on("error", broke);
                    res.on("aborted", () => broke());
                },
            );
            const timer = setTimeout(() => {
                finish(
                    new TransportError(
                        `${method}: no complete answer from the panel within ${timeoutMs} ms${written() ? "; the request was sent and may have been carried out" : ""}` +
                            (connected || (req as any).reusedSocket
                                ? ""
                                : `. No connection to ${url.protocol}//${url.host} was established in that time: a firewall dropping that port for this machine's IP, a wrong host or port, or${isHttps ? " a service there that does not speak TLS" : " the host being down"}.`),
                        { maybeApplied: written(), method },
                    ),
                );
                req.destroy();
            }, timeoutMs);
            req.on("socket", (socket) => {
                if ((req as any).reusedSocket) connected = true;
                else socket.once(isHttps ? "secureConnect" : "connect", () => (connected = true));
            });
            req.on("finish", () => (finished = true));
            req.on("error", (e: any) => {
                const code = String(e.code ?? "");
                // Refused, unresolvable, unreachable, or the TLS handshake failed: nothing got there.
                const sent = written() || gotResponse;
                // A kept-alive socket the panel closed while idle: the request never got there.
                const stale = !closed && !!(req as any).reusedSocket && (code === "ECONNRESET" || code === "EPIPE") && !gotResponse;
                finish(
                    new TransportError(
                        `${method}: ${sent ? "the connection to the panel broke after the request was sent" : "could not reach the panel"} (${code || e.message}).${(req as any).reusedSocket ? "" : connectHint(code, String(e.message ?? ""), url)}`,
                        { maybeApplied: sent || stale, method, stale },
                    ),
                );
            });
            req.end(body);
        });
    }

    return {
        async post(body, headers, method, o = {}) {
            try {
                return await once(body, headers, method);
            } catch (e: any) {
                // A kept-alive socket the panel had closed: send again on a fresh one. Not for
                // adds, which the resource layer retries only after checking nothing was stored.
                if (e instanceof TransportError && e.stale && o.idempotent) return once(body, headers, method);
                throw e;
            }
        },
        close() {
            closed = true;
            agent.destroy();
        },
    };
}
