import { createHash } from "node:crypto";
import { Session, SessionOptions, createSession } from "./session";

/*
 * The process-wide session registry: every resource of every type in one provider process
 * shares one session per panel and user, so a `pulumi up` of hundreds of records logs in once.
 * Keyed by a fingerprint of the password (never the password itself), so a changed password
 * gets a fresh session instead of the remembered login failure.
 */
const sessions = new Map<string, Session>();
let exitHookInstalled = false;

function key(o: SessionOptions): string {
    const fp = createHash("sha256").update(o.password).digest("hex").slice(0, 16);
    return [o.endpoint, o.username, fp, o.insecure ? 1 : 0, o.caFile ?? "", o.timeoutMs ?? "", o.maxConcurrency ?? ""].join("|");
}

function installExitHook(): void {
    if (exitHookInstalled) return;
    exitHookInstalled = true;
    let closing = false;
    // Best effort: log out when the process has nothing left to do. (The engine may also just
    // kill the plugin; the panel then ends the session itself after 1800 s.)
    process.on("beforeExit", () => {
        if (closing || sessions.size === 0) return;
        closing = true;
        void closeSharedSessions();
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

/** Logs every shared session out and forgets them (tests, process end). */
export async function closeSharedSessions(): Promise<void> {
    const all = [...sessions.values()];
    sessions.clear();
    await Promise.all(all.map((s) => s.close().catch(() => undefined)));
}
