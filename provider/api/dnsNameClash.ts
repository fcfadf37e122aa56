import { DnsRecordRow } from "./dnsRr";

/*
 * Name clashes the panel's UI refuses and its API does not (dns_cname_edit.php, dns_alias_edit.php,
 * dns_edit_base.php:checkDuplicate; `dt/14_dns_cname_add__clash_with_a` is accepted by the API):
 * a CNAME beside any other record of the same name. BIND rejects such a zone ("CNAME and other
 * data", bind C:cname-clash) and the panel keeps serving the last good version of the whole zone,
 * so every later change silently never goes live. ALIAS rows are written as CNAMEs
 * (bind_pri.domain.master), so they count as CNAMEs here.
 */

const CNAME_LIKE = new Set(["CNAME", "ALIAS"]);

/** The absolute name a stored name means in `origin` (dotted): '' and '@' are the apex. */
export function absoluteStoredName(stored: string, origin: string): string {
    const s = stored.toLowerCase();
    if (s === "" || s === "@") return origin;
    if (s.endsWith(".")) return s;
    return `${s}.${origin}`;
}

/**
 * The row a new or renamed record of `type` at `absName` would clash with, if any. `selfId` is
 * the record itself (an update); rows of the empty type count by what they were meant to be
 * unknown, so they count as "other data".
 */
export function findNameClash(type: string, absName: string, rows: DnsRecordRow[], origin: string, selfId?: number): DnsRecordRow | undefined {
    const same = rows.filter((r) => r.id !== selfId && absoluteStoredName(r.name, origin) === absName);
    if (CNAME_LIKE.has(type)) return same[0];
    return same.find((r) => CNAME_LIKE.has(r.type));
}

export function clashMessage(type: string, absName: string, other: DnsRecordRow): string {
    const otherType = other.type || "(empty type)";
    const why =
        CNAME_LIKE.has(type) || CNAME_LIKE.has(other.type)
            ? "a CNAME (an ALIAS is served as one) cannot share its name with any other record: BIND would reject the whole zone and keep serving its last good version"
            : "the names clash";
    return `cannot add a ${type} record at ${absName}: the zone already has a ${otherType} record there (id ${other.id}, data ${JSON.stringify(other.data)}); ${why}. Remove one of them (in the panel, or from the program) first — nothing was written.`;
}

/** Serialises the check-then-write of records with the same name, so two parallel creates cannot both pass. */
const locks = new Map<string, Promise<unknown>>();
export async function withNameLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = locks.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    locks.set(key, tail);
    try {
        return await run;
    } finally {
        if (locks.get(key) === tail) locks.delete(key);
    }
}
