/*
 * Data (not behaviour) the test panel takes from the real panel's captures: the rows a minimal
 * add stored (column order and the "no defaults" values), a client row, the server config
 * sections, the function list. Read once from test/fixtures/wire.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { WIRE, parseDecoded } from "../helpers/wire";
import { Val, parseCall } from "./soapxml";


function storedRow(capture: string): Record<string, Val> {
    const text = fs.readFileSync(path.join(WIRE, `${capture}.db.txt`), "utf8");
    const json = text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1);
    return JSON.parse(json);
}

function decoded(capture: string): any {
    const e = parseDecoded(fs.readFileSync(path.join(WIRE, `${capture}.decoded.txt`), "utf8"));
    if (!("value" in e)) throw new Error(`${capture} is a fault`);
    return e.value;
}

/** What each table stores for a column nobody sent (fact sheet §7: the panel applies no defaults). */
export const BLANK_ROWS: Record<string, Record<string, Val>> = {
    web_domain: storedRow("90_sites_web_domain_add__minimal"),
    dns_soa: storedRow("91_dns_zone_add__minimal"),
    dns_rr: storedRow("92_dns_a_add__minimal"),
    mail_domain: storedRow("93_mail_domain_add__minimal"),
    mail_user: storedRow("94_mail_user_add__minimal"),
};

/** A client row as client_get returns it (all strings). */
export const CLIENT_ROW: Record<string, Val> = decoded("07_client_get");

export const SERVER_CONFIG: Record<string, Record<string, Val>> = {
    mail: decoded("95_server_get__mail"),
    web: decoded("95_server_get__web"),
    dns: decoded("95_server_get__dns"),
};

export const FUNCTION_LIST: Val[] = decoded("08_get_function_list");

/** The columns the captured client_add request set (the rest show the panel's defaults). */
export const CLIENT_ADD_SENT = new Set(Object.keys(parseCall(fs.readFileSync(path.join(WIRE, "04_client_add.request.xml"), "utf8")).args[2] as object));
