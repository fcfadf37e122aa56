import { ISPConfigError } from "../soap/errors";
import { SoapMap, SoapValue, isSoapMap } from "../soap/value";

/*
 * The shifting shape of `*_get` answers (fact sheet §4 "Generic get", §6.3):
 *   - an id gives a bare Map, a missing id gives nil;
 *   - a filter gives a list even for one row, an empty list for none;
 *   - older panels (<= ~3.2.11) give a BARE Map for a one-row `mail_user_get` filter;
 *   - `mail_domain_get_by_domain('')` gives `false`.
 * Every caller goes through one of these two functions so no resource ever sees the shapes.
 */

/** A row is a Map with string keys; PHP's int-keyed arrays also arrive as Maps, but with numeric keys. */
function looksLikeRow(v: SoapMap): boolean {
    const keys = Object.keys(v);
    return keys.length > 0 && keys.some((k) => !/^\d+$/.test(k));
}

/** Normalise any get answer into a list of rows. */
export function asRowList(answer: SoapValue, method: string): SoapMap[] {
    if (answer === null || answer === false || answer === "") return [];
    if (Array.isArray(answer)) return answer.filter(isSoapMap);
    if (isSoapMap(answer)) {
        if (looksLikeRow(answer)) return [answer]; // legacy bare Map for a one-row filter
        return Object.values(answer).filter(isSoapMap); // int-keyed sparse array
    }
    throw new ISPConfigError(`${method} answered with an unexpected ${typeof answer} where rows were expected`, method);
}

/**
 * Normalise any get answer into "one record or not found". More than one row is an error:
 * callers use this only where the panel guarantees uniqueness (an id, a unique column).
 */
export function asOneRow(answer: SoapValue, method: string): SoapMap | undefined {
    const rows = asRowList(answer, method);
    if (rows.length === 0) return undefined;
    if (rows.length > 1) {
        throw new ISPConfigError(`${method} matched ${rows.length} records where at most one was expected`, method);
    }
    return rows[0];
}
