import { Caller } from "./caller";
import { MAX_RESPONSE_BYTES, decodeResponse } from "./decode";
import { encodeRequest, soapAction, soapUri } from "./envelope";
import { AuthError, ISPConfigError } from "./errors";
import { createLimiter } from "./limiter";
import { redactSecrets } from "./redact";
import { describeAnswer, describeRequest } from "./wireLog";
import { createTransport, Transport } from "./transport";
import { SoapValue } from "./value";

/*
 * One remote session for every call in the process.
 *
 * - Login is lazy and single-flight: however many calls start at once, one login goes out.
 * - The panel ends a session 1800 s after login, however busy it is (fact sheet §5), and every
 *   call on a dead session counts toward its lockout (10 failures in 5 minutes lock the IP,
 *   valid sessions included). So we renew a minute early rather than run into the wall; if
 *   the panel ends it anyway (`session_does_not_exist`, 70_/71_: expiry and a bogus id look
 *   the same), one re-login is shared by all the calls that saw it and each retries once. The
 *   session check happens before the panel does anything, so retrying a write there is safe.
 * - A login the panel refused is never retried: its error is kept and every later call fails
 *   with it without contacting the panel. The same for the lockout faults: more calls would
 *   only keep the IP locked.
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
    /** Requests sent, logins and logouts included. */
    calls: number;
    /** Highest number of calls in flight at once. */
    peakConcurrency: number;
}

export interface Session extends Caller {
    login(): Promise<void>;
    logout(): Promise<void>;
    stats(): SessionStats;
    /**
     * Logs out (best effort) and closes the kept-alive connections. With `deadlineMs`, gives
     * the logout that long and then drops the connection whatever its state (process exit).
     */
    close(o?: { deadlineMs?: number }): Promise<void>;
}

/**
 * 8: a small panel serves its UI and this API from one PHP-FPM pool of a handful of workers
 * (Debian's default pm.max_children is 5; ISPConfig's own pool config uses 10). Pulumi starts
 * every independent resource at once; more than the pool can take only queues in the web
 * server (or fails with 502/503 when its backlog fills) and slows the panel for its users,
 * while 8 still hides most of the round-trip latency of a remote panel.
 */
export const DEFAULT_MAX_CONCURRENCY = 8;
export const SESSION_LIFETIME_MS = 1800_000;
const RENEW_MARGIN_MS = 60_000;

/** Every call but an add leaves the same end state when sent twice (a delete of a gone row answers 0). */
const NOT_REPEATABLE = /_add$/;

/** Faults after which talking to the panel again can only make things worse. */
const LOCKED_OUT = new Set(["login_failure_limit", "session_failure_limit"]);

export function createSession(opts: SessionOptions): Session {
    const uri = soapUri(opts.endpoint);
    const now = opts.now ?? Date.now;
    const limiter = createLimiter(opts.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY);
    // ISPCONFIG_DEBUG=1: method names and timings; =wire: also each call's arguments and answer,
    // with secrets masked by structure (wireLog.ts).
    const debugSetting = (process.env.ISPCONFIG_DEBUG ?? "").toLowerCase();
    const wire = debugSetting === "wire";
    const debug = wire || /^(1|true|yes)$/.test(debugSetting);
    let transport: Transport | undefined;
    let sessionId: string | undefined;
    let loginAt = 0;
    let pendingLogin: Promise<string> | undefined;
    /** A refused login or a lockout: every later call fails with it, without I/O. */
    let fatal: AuthError | undefined;
    const stats: SessionStats = { logins: 0, loginAttempts: 0, calls: 0, peakConcurrency: 0 };

    /** Whatever layer made the error, the password (and any hash an answer carried) leaves masked. */
    const clean = (e: unknown) => {
        if (e instanceof Error) {
            const secrets = [opts.password];
            e.message = redactSecrets(e.message, secrets);
            if (e.stack) e.stack = redactSecrets(e.stack, secrets);
            for (const k of ["bodyStart", "faultstring"]) {
                const v = (e as any)[k];
                if (typeof v === "string") (e as any)[k] = redactSecrets(v, secrets);
            }
        }
        return e;
    };

    function getTransport(): Transport {
        return (transport ??= createTransport({
            endpoint: opts.endpoint,
            insecure: opts.insecure,
            caFile: opts.caFile,
            timeoutMs: opts.timeoutMs,
            maxSockets: opts.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY,
            maxResponseBytes: opts.maxResponseBytes,
        }));
    }

    /** One request and its answer; callers decide whether it takes a concurrency slot. */
    async function raw(method: string, args: SoapValue[]): Promise<SoapValue> {
        const started = now();
        let ok = false;
        let answer = "";
        if (wire) process.stderr.write(`ispconfig: > ${describeRequest(method, args, [opts.password])}\n`);
        try {
            // Encoding first: a value XML cannot carry fails here, before any I/O.
            const body = encodeRequest(uri, method, args);
            const t = getTransport();
            stats.calls++;
            const res = await t.post(
                body,
                { "Content-Type": "text/xml; charset=utf-8", SOAPAction: soapAction(uri, method), "User-Agent": "pulumi-ispconfig" },
                method,
                { idempotent: !NOT_REPEATABLE.test(method) },
            );
            const value = decodeResponse(res.body, res.status, method);
            ok = true;
            if (wire) answer = ` < ${describeAnswer(method, value, [opts.password])}`;
            return value;
        } catch (e) {
            const c = clean(e);
            if (wire && c instanceof Error) answer = ` < ${c.name}: ${c.message}`;
            throw c;
        } finally {
            stats.peakConcurrency = limiter.peak();
            const ms = now() - started;
            opts.onCall?.(method, ms, ok);
            // Names and timings; with `wire`, the masked answer too (arguments carry passwords).
            if (debug) process.stderr.write(`ispconfig: ${method} ${ms} ms ${ok ? "ok" : "failed"}${answer}\n`);
        }
    }

    function ensureSession(): Promise<string> {
        if (fatal) return Promise.reject(fatal);
        if (sessionId && now() - loginAt < SESSION_LIFETIME_MS - RENEW_MARGIN_MS) return Promise.resolve(sessionId);
        if (!pendingLogin) {
            const started = now();
            stats.loginAttempts++;
            pendingLogin = raw("login", [opts.username, opts.password])
                .then((sid) => {
                    if (typeof sid !== "string" || sid === "") throw new AuthError("login: the panel answered without a session id", "login_failed", "login");
                    sessionId = sid;
                    loginAt = started;
                    stats.logins++;
                    return sid;
                })
                .catch((e) => {
                    // The panel refused the credentials (or the IP is locked): never try again.
                    // A network failure is not remembered: the panel did not count it.
                    if (e instanceof AuthError) fatal = e;
                    throw e;
                })
                .finally(() => {
                    pendingLogin = undefined;
                });
        }
        return pendingLogin;
    }

    function noteLockout(e: unknown): void {
        if (e instanceof AuthError && LOCKED_OUT.has(e.faultcode)) fatal ??= e;
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
                noteLockout(e);
                if (!(e instanceof AuthError) || e.faultcode !== "session_does_not_exist") throw e;
                // Ended on the panel: forget it unless another call already renewed it, then retry
                // once. A second session_does_not_exist is thrown: never a loop of session faults.
                if (sessionId === sid) sessionId = undefined;
                try {
                    return await raw(method, [await ensureSession(), ...args]);
                } catch (again) {
                    noteLockout(again);
                    throw again;
                }
            }
        });
    }

    async function logout(): Promise<void> {
        const sid = sessionId;
        sessionId = undefined;
        if (!sid) return;
        try {
            await limiter.run(() => raw("logout", [sid]));
        } catch (e) {
            // Best effort: the panel ends the session itself 1800 s after login.
            if (!(e instanceof ISPConfigError)) throw e;
        }
    }

    return {
        call,
        async login() {
            await ensureSession();
        },
        logout,
        stats: () => ({ ...stats }),
        async close(o = {}) {
            const out = logout().catch(() => undefined);
            if (o.deadlineMs === undefined) await out;
            else {
                let timer: NodeJS.Timeout | undefined;
                const deadline = new Promise<void>((r) => {
                    timer = setTimeout(r, o.deadlineMs);
                    timer.unref();
                });
                await Promise.race([out, deadline]);
                clearTimeout(timer);
            }
            transport?.close();
            transport = undefined;
        },
    };
}
