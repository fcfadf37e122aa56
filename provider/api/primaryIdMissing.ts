import { TransportError } from "../soap/errors";

/*
 * Quirk "Primary ID fehlt" (issue 11 #8): with update_serial the panel's `increase_serial`
 * looks the zone up — from the call's own `zone` param, or for a delete from the stored
 * record — and when it finds none, ISPConfig's form layer prints its UI error box and exits.
 * The answer is HTTP 200 text/html "Primary ID fehlt!", not SOAP (our transport reports it as
 * a TransportError). Seen for dns_*_delete of a record that is already gone (nothing is
 * deleted), and for dns_*_update/add whose `zone` is missing or names no zone (the row is
 * written first, only the serial is lost).
 */
export function isPrimaryIdMissingPage(e: unknown): boolean {
    return e instanceof TransportError && e.status === 200 && /Primary ID fehlt/.test(e.bodyStart ?? "");
}
