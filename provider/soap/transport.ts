import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import * as tls from "node:tls";
import { TransportError } from "./errors";
import { MAX_RESPONSE_BYTES } from "./decode";

/*
 * HTTP(S) POST of one envelope. TLS is verified unless the user says `insecure`; a self-signed
 * panel is better served by `caFile`, which adds its CA to the usual roots. Connections are
 * kept alive (a TLS handshake to a panel across the internet costs more than the call).
 *
 * Every failure says whether the request may have reached the panel (`maybeApplied`): a
 * refused connection or a failed handshake cannot have changed anything, while a timeout or
 * a reset after the request was written might have, and the caller must find out before it
 * tries again.
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

const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "CERT_HAS_EXPIRED", "DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "ERR_TLS_CERT_ALTNAME_INVALID", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"]);

function tlsHint(code: string): string {
    if (!/CERT|SELF_SIGNED|ALTNAME|ISSUER|LEAF/.test(code)) return "";
    return " The panel's TLS certificate is not trusted: set `ispconfig:caFile` to the PEM of the CA that signed it (or, for a throw-away test panel only, `ispconfig:insecure` true).";
}

export function createTransport(opts: TransportOptions): Transport {
    const url = new URL(opts.endpoint);
    const isHttps = url.protocol === "https:";
    if (!isHttps && url.protocol !== "http:") {
        throw new TransportError(`ispconfig:endpoint must be an http(s) URL, got ${url.protocol}`, { maybeApplied: false });
    }
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const maxBytes = opts.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    let agent: http.Agent;
    if (isHttps) {
        const ca = opts.caFile ? [fs.readFileSync(opts.caFile), ...tls.rootCertificates] : undefined;
        agent = new https.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 8, rejectUnauthorized: !opts.insecure, ca });
    } else {
        agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 8 });
    }
    const lib = isHttps ? https : http;

    function once(body: string, headers: Record<string, string>, method: string): Promise<HttpAnswer & { retryable?: boolean }> {
        return new Promise((resolve, reject) => {
            let written = false;
            let settled = false;
            let gotResponse = false;
            const fail = (e: TransportError) => {
                if (settled) return;
                settled = true;
                reject(e);
            };
            const req = lib.request(
                {
                    protocol: url.protocol,
                    hostname: url.hostname,
                    port: url.port || (isHttps ? 443 : 80),
                    path: url.pathname + url.search,
                    method: "POST",
                    agent,
                    headers: { ...headers, "Content-Length": Buffer.byteLength(body) },
                },
                (res) => {
                    gotResponse = true;
                    const chunks: Buffer[] = [];
                    let size = 0;
                    res.on("data", (c: Buffer) => {
                        size += c.length;
                        if (size > maxBytes) {
                            req.destroy();
                            fail(new TransportError(`${method}: the panel's answer exceeds ${maxBytes} bytes; refused`, { status: res.statusCode, maybeApplied: true, method }));
                            return;
                        }
                        chunks.push(c);
                    });
                    res.on("end", () => {
                        if (settled) return;
                        settled = true;
                        clearTimeout(timer);
                        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") });
                    });
                    res.on("error", (e: any) =>
                        fail(new TransportError(`${method}: the connection broke while the answer arrived (${e.code ?? e.message})`, { status: res.statusCode, maybeApplied: true, method })),
                    );
                    res.on("aborted", () =>
                        fail(new TransportError(`${method}: the connection broke while the answer arrived`, { status: res.statusCode, maybeApplied: true, method })),
                    );
                },
            );
            const timer = setTimeout(() => {
                fail(new TransportError(`${method}: no complete answer from the panel within ${timeoutMs} ms`, { maybeApplied: written, method }));
                req.destroy();
            }, timeoutMs);
            req.on("finish", () => (written = true));
            req.on("error", (e: any) => {
                clearTimeout(timer);
                const code = String(e.code ?? "");
                const sent = written && !NOT_SENT.has(code);
                // A kept-alive socket the panel closed while idle: the request never got there.
                const stale = !!(req as any).reusedSocket && (code === "ECONNRESET" || code === "EPIPE") && !gotResponse;
                fail(new TransportError(
                    `${method}: ${sent ? "the connection to the panel broke after the request was sent" : "could not reach the panel"} (${code || e.message}).${tlsHint(code)}`,
                    { maybeApplied: sent, method, stale },
                ));
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
            agent.destroy();
        },
    };
}
