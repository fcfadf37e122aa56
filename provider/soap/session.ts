import { Caller } from "../api/caller";
import { MAX_RESPONSE_BYTES, decodeResponse } from "./decode";
import { encodeRequest, soapAction, soapUri } from "./envelope";
import { AuthError, ISPConfigError } from "./errors";
import { createLimiter } from "./limiter";
import { redactSecrets } from "./redact";
import { createTransport, Transport } from "./transport";
import { SoapValue } from "./value";

/*
 * One remote session for every call in the process.
 *
 * - Login is lazy and single-flight: however many calls start at once, one login goes out.
 * - The panel ends a session 1800 s after login, however busy it is (fact sheet §5), and every
 *   call on a dead session counts toward its lockout (10 failures in 5 minutes lock the IP,
 *   valid sessions included). So we renew a minute early rather than run into the wall; if
 *   the panel ends it anyway (`session_does_not_exist`), one re-login is shared by all the
 *   calls that saw it and each retries once. The session check happens before the panel does
 *   anything, so retrying a write there is safe.
 * - A failed login is never retried: its error is kept and every later call fails with it
 *   without contacting the panel.
 */

export interface SessionOptions {
    endpoint: string;
    username: string;
    password: string;
    insecure?: boolean;
    caFile?: string;
    timeoutMs?: number;
    /** Most calls in flight at once. Default {@link DEFAULT_MAX_CONCURRENCY}. */
    maxConcurrency?: number;
    /** Observer of every call made (benchmarks, tests); never sees the arguments. */
    onCall?: (method: string, ms: number, ok: boolean) => void;
    /** Answers larger than this are refused. Default {@link MAX_RESPONSE_BYTES}. */
    maxResponseBytes?: number;
    /** Clock in ms, for tests. */
    now?: () => number;
}

export interface SessionStats {
    /** Successful logins. */
    logins: number;
    loginAttempts: number;
    calls: number;
    /** Highest number of calls in flight at once. */
    peakConcurrency: number;
}

export interface Session extends Caller {
    login(): Promise<void>;
    logout(): Promise<void>;
    stats(): SessionStats;
    /** Logs out (best effort) and closes the kept-alive connections. */
    close(): Promise<void>;
}

/**
 * 8: a small panel runs a handful of PHP-FPM workers for its UI and API together; 8 keeps it
 * responsive while still hiding most of the round-trip latency of a remote panel.
 */
export const DEFAULT_MAX_CONCURRENCY = 8;
export const SESSION_LIFETIME_MS = 1800_000;
const RENEW_MARGIN_MS = 60_000;

/** Every call but an add leaves the same end state when sent twice (a delete of a gone row answers 0). */
const NOT_REPEATABLE = /_add$/;

export function createSession(opts: SessionOptions): Session {
    const uri = soapUri(opts.endpoint);
    const now = opts.now ?? Date.now;
    const limiter = createLimiter(opts.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY);
    const debug = /^(1|true)$/i.test(process.env.ISPCONFIG_DEBUG ?? "");
    let transport: Transport | undefined;
    let sessionId: string | undefined;
    let loginAt = 0;
    let pendingLogin: Promise<string> | undefined;
    let loginFailure: Error | undefined;
    const stats: SessionStats = { logins: 0, loginAttempts: 0, calls: 0, peakConcurrency: 0 };

    const clean = (e: unknown) => {
        if (e instanceof Error) {
            e.message = redactSecrets(e.message, [opts.password]);
            if (e.stack) e.stack = redactSecrets(e.stack, [opts.password]);
        }
        return e;
    };

    /** One request/answer; callers decide whether it takes a concurrency slot. */
    async function raw(method: string, args: SoapValue[]): Promise<SoapValue> {
        const body = encodeRequest(uri, method, args);
        transport ??= createTransport({
            endpoint: opts.endpoint,
            insecure: opts.insecure,
            caFile: opts.caFile,
            timeoutMs: opts.timeoutMs,
            maxSockets: opts.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY,
            maxResponseBytes: opts.maxResponseBytes,
        });
        const t = transport;
        {
            const started = now();
            let ok = false;
            stats.calls++;
            try {
                const res = await t.post(
                    body,
                    { "Content-Type": "text/xml; charset=utf-8", SOAPAction: soapAction(uri, method), "User-Agent": "pulumi-ispconfig" },
                    method,
                    { idempotent: !NOT_REPEATABLE.test(method) },
                );
                const value = decodeResponse(res.body, res.status, method);
                ok = true;
                return value;
            } catch (e) {
                throw clean(e);
            } finally {
                stats.peakConcurrency = limiter.peak();
                const ms = now() - started;
                opts.onCall?.(method, ms, ok);
                // Method names and timings only: arguments carry passwords.
                if (debug) process.stderr.write(`ispconfig: ${method} ${ms} ms ${ok ? "ok" : "failed"}\n`);
            }
        }
    }

    function ensureSession(): Promise<string> {
        if (loginFailure) return Promise.reject(loginFailure);
        if (sessionId && now() - loginAt < SESSION_LIFETIME_MS - RENEW_MARGIN_MS) return Promise.resolve(sessionId);
        if (!pendingLogin) {
            const started = now();
            stats.loginAttempts++;
            pendingLogin = raw("login", [opts.username, opts.password])
                .then((sid) => {
                    if (typeof sid !== "string" || sid === "") throw new AuthError("login answered without a session id", "login_failed", "login");
                    sessionId = sid;
                    loginAt = started;
                    stats.logins++;
                    return sid;
                })
                .catch((e) => {
                    // The panel refused the credentials (or the IP is locked): never try again.
                    if (e instanceof AuthError) loginFailure = e;
                    throw e;
                })
                .finally(() => {
                    pendingLogin = undefined;
                });
        }
        return pendingLogin;
    }

    /**
     * The session id is taken inside the concurrency slot, right before sending: calls queued
     * behind an expiry then wait for the one re-login instead of each sending the dead id
     * (every such call counts toward the panel's lockout). Login itself takes no slot, so
     * queued calls can never starve it.
     */
    function call(method: string, ...args: SoapValue[]): Promise<SoapValue> {
        return limiter.run(async () => {
            const sid = await ensureSession();
            try {
                return await raw(method, [sid, ...args]);
            } catch (e) {
                if (!(e instanceof AuthError) || e.faultcode !== "session_does_not_exist") throw e;
                // Ended on the panel: forget it unless another call already renewed it, then retry once.
                if (sessionId === sid) sessionId = undefined;
                return raw(method, [await ensureSession(), ...args]);
            }
        });
    }

    return {
        call,
        async login() {
            await ensureSession();
        },
        async logout() {
            const sid = sessionId;
            sessionId = undefined;
            if (!sid) return;
            try {
                await limiter.run(() => raw("logout", [sid]));
            } catch (e) {
                if (!(e instanceof ISPConfigError)) throw e;
            }
        },
        stats: () => ({ ...stats }),
        async close() {
            await this.logout().catch(() => undefined);
            transport?.close();
            transport = undefined;
        },
    };
}
