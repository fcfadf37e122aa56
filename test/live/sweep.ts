/*
 * Finding and removing what the suites made on the panel: every zone, record, site, mail
 * domain and mailbox whose name ends in TEST_DOMAIN, and nothing else (each row is checked
 * by its exact name again after the LIKE filter). Used before a run (refuse, or clean when
 * told to) and after it (also after a failure).
 */
import type { Caller } from "../../provider/api/caller";
import { TEST_DOMAIN } from "./config";

type Row = Record<string, any>;
const rows = (v: unknown): Row[] => (Array.isArray(v) ? v : v && typeof v === "object" ? [v as Row] : []);
const ours = (name: unknown) => {
    const n = String(name ?? "").toLowerCase().replace(/\.$/, "");
    return n === TEST_DOMAIN || n.endsWith(`.${TEST_DOMAIN}`);
};

export interface Leftovers {
    zones: Row[];
    records: Row[];
    sites: Row[];
    mailDomains: Row[];
    mailboxes: Row[];
}

export async function findLeftovers(c: Caller): Promise<Leftovers> {
    const zones = rows(await c.call("dns_zone_get", { origin: `%${TEST_DOMAIN}%` })).filter((z) => ours(z.origin));
    const records: Row[] = [];
    for (const z of zones) records.push(...rows(await c.call("dns_rr_get_all_by_zone", Number(z.id))));
    // Records named under the test domain in any zone (or none: an add whose zone was missing).
    for (const r of rows(await c.call("dns_a_get", { name: `%${TEST_DOMAIN}%` }))) {
        if (ours(r.name) && !records.some((x) => String(x.id) === String(r.id))) records.push(r);
    }
    const sites = rows(await c.call("sites_web_domain_get", { domain: `%${TEST_DOMAIN}` })).filter((s) => ours(s.domain));
    const mailDomains = rows(await c.call("mail_domain_get", { domain: `%${TEST_DOMAIN}` })).filter((d) => ours(d.domain));
    const mailboxes = rows(await c.call("mail_user_get", { email: `%@%${TEST_DOMAIN}` })).filter((m) => ours(String(m.email).split("@")[1]));
    // By login too: a mail_domain_update without `domain` rewrites addresses to `local@` (mailDomain.ts).
    for (const m of rows(await c.call("mail_user_get", { login: `%@%${TEST_DOMAIN}` }))) {
        if (ours(String(m.login).split("@")[1]) && !mailboxes.some((x) => String(x.mailuser_id) === String(m.mailuser_id))) mailboxes.push(m);
    }
    return { zones, records, sites, mailDomains, mailboxes };
}

export function describeLeftovers(l: Leftovers): string {
    const parts = [
        ...l.zones.map((z) => `zone ${z.origin} (id ${z.id})`),
        ...l.records.map((r) => `record ${r.name} ${r.type} (id ${r.id})`),
        ...l.sites.map((s) => `site ${s.domain} (id ${s.domain_id})`),
        ...l.mailDomains.map((d) => `mail domain ${d.domain} (id ${d.domain_id})`),
        ...l.mailboxes.map((m) => `mailbox ${m.email} (id ${m.mailuser_id})`),
    ];
    return parts.join(", ");
}

export const count = (l: Leftovers) => l.zones.length + l.records.length + l.sites.length + l.mailDomains.length + l.mailboxes.length;

/** Deletes them, children first (the API's deletes do not cascade). Returns what was found. */
export async function sweep(c: Caller): Promise<Leftovers> {
    const l = await findLeftovers(c);
    for (const m of l.mailboxes) await c.call("mail_user_delete", Number(m.mailuser_id));
    for (const d of l.mailDomains) await c.call("mail_domain_delete", Number(d.domain_id));
    for (const s of l.sites) await c.call("sites_web_domain_delete", Number(s.domain_id));
    // Without update_serial: the zone goes next, and a serial bump could hit a missing zone.
    for (const r of l.records) await c.call("dns_a_delete", Number(r.id), false);
    for (const z of l.zones) await c.call("dns_zone_delete", Number(z.id));
    return l;
}

/**
 * Before a run: nothing of ours may be on the panel (it would mean an earlier run did not
 * clean up, or that someone else uses the names); with `clean` it is removed instead.
 */
export async function ensureNoLeftovers(c: Caller, clean: boolean, who: string): Promise<void> {
    const l = await findLeftovers(c);
    if (count(l) === 0) return;
    if (!clean) {
        throw new Error(
            `${who}: the panel already holds objects under *.${TEST_DOMAIN} from an earlier run: ${describeLeftovers(l)}. ` +
                `Set ISPCONFIG_LIVE_CLEAN=1 to delete them, or remove them in the panel.`,
        );
    }
    await sweep(c);
    process.stdout.write(`${who}: removed ${count(l)} leftover objects of an earlier run\n`);
}
