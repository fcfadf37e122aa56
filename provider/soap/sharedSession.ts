import { createHmac, randomBytes } from "node:crypto";
import { Session, SessionOptions, createSession } from "./session";

/*
 * The process-wide session registry: every resource of every type in one provider process
 * shares one session per panel and user, so a `pulumi up` of hundreds of records logs in once.
 *
 * The key is (endpoint, username, password fingerprint), plus the connection settings that
 * change how we talk to the panel (TLS trust, timeout, concurrency): a session opened with
 * other TLS settings must not be handed out. The fingerprint is an HMAC under a key made
 * fresh in each process, so the registry holds nothing from which the password could be
 * guessed offline, and a changed password gets a fresh session rather than the remembered
 * login failure of the old one.
 */
const sessions = new Map<string, Session>();
const FINGERPRINT_KEY = randomBytes(32);
/** How long the exit hook gives the logouts before it lets the process go. */
const EXIT_LOGOUT_DEADLINE_MS = 2_000;
let exitHookInstalled = false;

function key(o: SessionOptions): string {
    const fp = createHmac("sha256", FINGERPRINT_KEY).update(o.password).digest("hex");
    return JSON.stringify([o.endpoint, o.username, fp, !!o.insecure, o.caFile ?? "", o.timeoutMs ?? null, o.maxConcurrency ?? null]);
}

function installExitHook(): void {
    if (exitHookInstalled) return;
    exitHookInstalled = true;
    // Best effort: log out when the process has nothing left to do. The logouts' own I/O keeps
    // the loop alive for at most EXIT_LOGOUT_DEADLINE_MS, then the connections are dropped and
    // beforeExit comes again with nothing registered. (The engine may also just kill the
    // plugin; the panel then ends the session itself 1800 s after login.)
    process.on("beforeExit", () => {
        if (sessions.size === 0) return;
        closeSharedSessions(EXIT_LOGOUT_DEADLINE_MS).catch(() => undefined);
    });
}

export function getSharedSession(o: SessionOptions): Session {
    const k = key(o);
    let s = sessions.get(k);
    if (!s) {
        s = createSession(o);
        sessions.set(k, s);
        installExitHook();
    }
    return s;
}

/** Logs every shared session out (best effort, each within `deadlineMs` if given) and forgets them. */
export async function closeSharedSessions(deadlineMs?: number): Promise<void> {
    const all = [...sessions.values()];
    sessions.clear();
    await Promise.all(all.map((s) => s.close({ deadlineMs }).catch(() => undefined)));
}
