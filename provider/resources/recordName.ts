import { Failure } from "./validate";

/*
 * Record names as the panel's UI writes them (fact sheet §8): `@` becomes the zone's origin
 * (`example.com.`), `*` becomes `*.example.com.`, relative names (`www`) and absolute names
 * (`www.example.com.`) are stored as given. Users write whichever they like; we compare names
 * by what they mean in DNS, so `www` and `www.example.com.` are the same record.
 */

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/** check-time rule: lower-cases and validates; needs no zone (no network in check). */
export function recordNameRule(v: unknown, name: string): string | Failure {
    if (typeof v !== "string") return new Failure(`\`${name}\` must be a record name string such as "www", "@" or "*", got ${typeof v}`);
    if (/\s/.test(v)) return new Failure(`\`${name}\` must not contain whitespace: ${JSON.stringify(v)}`);
    const n = v.toLowerCase();
    if (n === "") return new Failure(`\`${name}\` must not be empty; use "@" for the zone's own name`);
    if (n === "@" || n === "*") return n;
    if (/[^\x00-\x7f]/.test(n)) return new Failure(`\`${name}\` ${JSON.stringify(v)} is internationalised; give it in punycode (xn--…)`);
    const body = n.endsWith(".") ? n.slice(0, -1) : n;
    if (body.length > 253) return new Failure(`\`${name}\` is ${body.length} characters long; a DNS name has at most 253`);
    for (const [i, label] of body.split(".").entries()) {
        if (i === 0 && label === "*") continue;
        if (!LABEL.test(label)) {
            return new Failure(
                `\`${name}\` ${JSON.stringify(v)} is not a valid record name: label ${JSON.stringify(label.slice(0, 70))} may only hold a-z, 0-9, '_' and '-' (1–63 characters, no '-' at its start or end)`,
            );
        }
    }
    return n;
}

/** The absolute (dotted) name a record name means inside `origin` (dotted). */
export function absoluteName(name: string, origin: string): string {
    if (name === "@") return origin;
    if (name.endsWith(".")) return name;
    return `${name}.${origin}`;
}

/** What the UI would store for `name` in the zone `origin`. */
export function storedName(name: string, origin: string): string {
    if (name === "@") return origin;
    if (name === "*") return `*.${origin}`;
    return name;
}

/** Maps a stored name back to the user's spelling when both mean the same DNS name. */
export function nameAsDeclared(stored: string, declared: string | undefined, origin: string): string {
    const s = stored.toLowerCase();
    if (declared !== undefined && absoluteName(s, origin) === absoluteName(declared, origin)) return declared;
    if (s === origin) return "@";
    if (s === `*.${origin}`) return "*";
    return s;
}
