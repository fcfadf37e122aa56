import { redactSecrets } from "./redact";
import { SoapValue } from "./value";

/*
 * What `ISPCONFIG_DEBUG=wire` prints for each call: the arguments and the answer, so an admin
 * can see what was sent to the panel and what came back. Secrets are masked by structure, not
 * by knowing them: the session id, login's password, and every field whose name says it holds a
 * secret (a mailbox's `password`, a site's `stats_password`, an `ssl_key`, …) become `***`
 * whatever their value; every string also passes the hash and known-secret mask of redact.ts.
 * So a mailbox password this layer never heard of cannot leak either.
 */

/** Field names whose values are secrets, in the panel's tables (`id_rsa`: a client's SSH private key, in every client row). */
const SECRET_FIELD = /pass|secret|ssl_key|private|token|dkim_private|id_rsa/i;
/** One call's line is cut here: a 10,000-record zone must not flood the log. */
const MAX_LINE = 4000;

function mask(v: SoapValue, knownSecrets: readonly (string | undefined)[]): unknown {
    if (typeof v === "string") return redactSecrets(v, knownSecrets);
    if (Array.isArray(v)) return v.map((x) => mask(x, knownSecrets));
    if (v && typeof v === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) out[k] = SECRET_FIELD.test(k) && x !== "" && x !== null ? "***" : mask(x as SoapValue, knownSecrets);
        return out;
    }
    return v;
}

function cut(s: string): string {
    return s.length <= MAX_LINE ? s : `${s.slice(0, MAX_LINE)}… (${s.length} chars)`;
}

/** `login(user, ***)`, `dns_a_add(<session>, 0, {…})`: the request, masked. */
export function describeRequest(method: string, args: readonly SoapValue[], knownSecrets: readonly (string | undefined)[]): string {
    const shown =
        method === "login"
            ? [mask(args[0], knownSecrets), "***"]
            : args.map((a, i) => (i === 0 ? "<session>" : mask(a, knownSecrets)));
    return cut(`${method}(${shown.map((a) => JSON.stringify(a)).join(", ")})`);
}

/** The answer, masked; login's answer is the session id. */
export function describeAnswer(method: string, value: SoapValue, knownSecrets: readonly (string | undefined)[]): string {
    return cut(method === "login" ? "<session>" : JSON.stringify(mask(value, knownSecrets)) ?? "undefined");
}
