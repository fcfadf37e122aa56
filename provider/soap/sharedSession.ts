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

/**
 * True in the engine's dynamic-provider plugin process (`node …/cmd/dynamic-provider/index.js
 * <engine>`), the only process whose signals we may take over: in a program, a test runner or an
 * Automation API host, SIGINT belongs to them.
 */
export function inProviderPlugin(main: string | undefined = require.main?.filename ?? process.argv[1]): boolean {
    return typeof main === "string" && /[\\/]cmd[\\/]dynamic-provider(?:[\\/]index(?:\.js)?)?$/.test(main);
}

/**
 * Log out, then die of the same signal as if we had not been listening. The engine ends every
 * plugin it started by sending SIGINT to its process group and waiting up to 5 s before a SIGKILL
 * (sdk/go/common/resource/plugin/plugin.go, `kill`; `cmdutil.InterruptChildren`), after
 * closing its gRPC connection: with Node's default action the process died at once and
 * `beforeExit` never came, so every run left its session open on the panel.
 */
export function onTerminationSignal(signal: NodeJS.Signals): void {
    process.removeListener("SIGINT", onTerminationSignal);
    process.removeListener("SIGTERM", onTerminationSignal);
    closeSharedSessions(EXIT_LOGOUT_DEADLINE_MS)
        .catch(() => undefined)
        .finally(() => process.kill(process.pid, signal));
}

function installExitHook(): void {
    if (exitHookInstalled) return;
    exitHookInstalled = true;
    // Best effort: log out when the process has nothing left to do. The logouts' own I/O keeps
    // the loop alive for at most EXIT_LOGOUT_DEADLINE_MS, then the connections are dropped and
    // beforeExit comes again with nothing registered.
    process.on("beforeExit", () => {
        if (sessions.size === 0) return;
        closeSharedSessions(EXIT_LOGOUT_DEADLINE_MS).catch(() => undefined);
    });
    // In the plugin, the engine's SIGINT is how a run ends (see onTerminationSignal).
    if (inProviderPlugin()) {
        process.on("SIGINT", onTerminationSignal);
        process.on("SIGTERM", onTerminationSignal);
    }
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
