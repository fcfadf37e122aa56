import { domainToASCII } from "node:url";
import { isUnknown } from "./unknown";

/*
 * Input validation for `check`. Every rule here mirrors a refusal of the panel (or a
 * convention of its UI), so bad input fails in preview, with a message that names the field
 * and the fix, before any call is made — never halfway through an `up`.
 */

export interface CheckFailure {
    property: string;
    reason: string;
}

/** Collects failures and normalised values for one resource's inputs. */
export class InputChecker {
    readonly failures: CheckFailure[] = [];
    readonly out: Record<string, unknown> = {};
    constructor(private readonly news: Record<string, unknown>) {}

    fail(property: string, reason: string): void {
        this.failures.push({ property, reason });
    }

    /**
     * Runs `rule` on the input (or its default when absent) and stores the normalised value.
     * Unknown (preview) values pass through untouched.
     */
    field<T>(name: string, rule: (v: unknown, name: string) => T | Failure, opts: { required?: boolean; default?: T } = {}): void {
        let v = this.news[name];
        if (v === undefined || v === null) {
            if (opts.default !== undefined) {
                this.out[name] = opts.default;
                return;
            }
            if (opts.required) this.fail(name, `\`${name}\` is required`);
            return;
        }
        if (isUnknown(v)) {
            this.out[name] = v;
            return;
        }
        const r = rule(v, name);
        if (r instanceof Failure) this.fail(name, r.reason);
        else this.out[name] = r;
    }
}

export class Failure {
    constructor(readonly reason: string) {}
}
const bad = (reason: string) => new Failure(reason);

export function str(opts: { maxLength?: number; allowEmpty?: boolean } = {}) {
    return (v: unknown, name: string): string | Failure => {
        if (typeof v !== "string") return bad(`\`${name}\` must be a string, got ${typeof v}`);
        if (!opts.allowEmpty && v.trim() === "") return bad(`\`${name}\` must not be empty`);
        if (opts.maxLength !== undefined && v.length > opts.maxLength) {
            return bad(`\`${name}\` is ${v.length} characters long; at most ${opts.maxLength} are allowed`);
        }
        return v;
    };
}

export function bool() {
    return (v: unknown, name: string): boolean | Failure =>
        typeof v === "boolean" ? v : bad(`\`${name}\` must be true or false, got ${JSON.stringify(v)}`);
}

/** An integer in [min, max]; numeric strings are accepted (config values arrive as strings). */
export function int(min: number, max: number, unit = "") {
    return (v: unknown, name: string): number | Failure => {
        const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
        if (!Number.isInteger(n)) return bad(`\`${name}\` must be a whole number${unit ? ` (${unit})` : ""}, got ${JSON.stringify(v)}`);
        if (n < min || n > max) {
            return bad(`\`${name}\` must be between ${min} and ${max}${unit ? ` ${unit}` : ""}, got ${n}`);
        }
        return n;
    };
}

export function oneOf<T extends string>(allowed: readonly T[]) {
    return (v: unknown, name: string): T | Failure =>
        typeof v === "string" && (allowed as readonly string[]).includes(v)
            ? (v as T)
            : bad(`\`${name}\` must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, got ${JSON.stringify(v)}`);
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A DNS name: lower-cased, trailing dot removed (callers add it back where the panel wants
 * it), every label 1–63 of a–z 0–9 '-', at least two labels, at most 253 characters.
 * Internationalised names must be given in punycode; the message shows the right spelling.
 */
export function domainName(opts: { allowWildcard?: boolean } = {}) {
    return (v: unknown, name: string): string | Failure => {
        if (typeof v !== "string") return bad(`\`${name}\` must be a domain name string, got ${typeof v}`);
        if (v !== v.trim() || /\s/.test(v)) return bad(`\`${name}\` must not contain whitespace: ${JSON.stringify(v)}`);
        let d = v.toLowerCase();
        if (d.endsWith(".")) d = d.slice(0, -1);
        if (d === "") return bad(`\`${name}\` must not be empty`);
        if (/[^\x00-\x7f]/.test(d)) {
            const puny = domainToASCII(d);
            return bad(`\`${name}\` ${JSON.stringify(v)} is an internationalised name; the panel needs its punycode form${puny ? ` ${JSON.stringify(puny)}` : ""}`);
        }
        if (d.length > 253) return bad(`\`${name}\` is ${d.length} characters long; a domain name has at most 253`);
        const labels = d.split(".");
        if (labels.length < 2) return bad(`\`${name}\` ${JSON.stringify(v)} needs at least two labels, e.g. "example.com"`);
        for (const [i, l] of labels.entries()) {
            if (opts.allowWildcard && i === 0 && l === "*") continue;
            if (l.length > 63) return bad(`\`${name}\`: label ${JSON.stringify(l.slice(0, 20) + "…")} is ${l.length} characters long; at most 63 are allowed`);
            if (!LABEL.test(l)) {
                return bad(`\`${name}\` ${JSON.stringify(v)} is not a valid domain name: label ${JSON.stringify(l)} may only hold a-z, 0-9 and '-' (not at its start or end)`);
            }
        }
        if (/^\d+$/.test(labels[labels.length - 1])) return bad(`\`${name}\` ${JSON.stringify(v)} looks like an IP address, not a domain name`);
        return d;
    };
}

/** A dotted-quad IPv4 address without leading zeros. */
export function ipv4() {
    return (v: unknown, name: string): string | Failure => {
        if (typeof v !== "string") return bad(`\`${name}\` must be an IPv4 address string, got ${typeof v}`);
        const parts = v.split(".");
        const ok = parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
        return ok ? v : bad(`\`${name}\` must be an IPv4 address like 192.0.2.10, got ${JSON.stringify(v)}`);
    };
}

/** A client id of the panel: 0 is the admin, > 0 a client. */
export const clientIdRule = int(0, 2147483647, "(0 = admin)");
/** A server id of the panel (Server → Servers). */
export const serverIdRule = int(1, 2147483647);
/** TTLs and SOA timers: the panel refuses anything below 60 seconds. */
export const secondsRule = int(60, 2147483647, "seconds");

/** The SOA mailbox, as an address (`hostmaster@example.com`) or in zone form; returned in zone form with its dot. */
export function soaMailboxRule(v: unknown, name: string): string | Failure {
    if (typeof v === "string" && v.includes("@")) {
        const parts = v.split("@");
        if (parts.length !== 2 || !/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/i.test(parts[0])) {
            return bad(`\`${name}\` ${JSON.stringify(v)} is not a mailbox like hostmaster@example.com`);
        }
        const d = domainName()(parts[1], name);
        return typeof d === "string" ? `${parts[0].toLowerCase()}.${d}.` : d;
    }
    const d = domainName()(v, name);
    return typeof d === "string" ? `${d}.` : d;
}
