/*
 * The call sequence of the differential test. Most of it is the provider's own API layer
 * (provider/api/*) doing what the resources do: the calls it makes, with the parameters it
 * builds, in success and failure cases. The rest are raw calls for the panel behaviour the
 * API layer depends on: missing ids, duplicates, invalid fields, update_serial variants,
 * the strict sql_mode create path. Each case is labelled; the known-differences file refers
 * to those labels.
 *
 * The script only reads the answers to decide what to do next where the API layer does
 * (so both panels get the same calls as long as they answer alike); ids come from each
 * panel's own answers.
 */
import * as api from "../../provider/api";
import type { SoapValue } from "../../provider/soap/value";
import { TEST_DOMAIN } from "./config";
import type { RecordingPanel } from "./rawPanel";
import { TYPE_CASES } from "../dnsTypes.fixtures";

export interface SequenceOptions {
    clientId: number;
    serverId: number;
}

const ZONE = `diff.${TEST_DOMAIN}`;
const SITE = `www.diff.${TEST_DOMAIN}`;
const MAIL = `mail.diff.${TEST_DOMAIN}`;
const PW = "Diff-Mailb0x-Secret!";
/** One instant for both panels: the serials and stamps the API layer computes are then the same. */
const NOW = new Date();

/** Runs `fn`, keeping going whatever it throws (the recorded answers are what is compared). */
async function attempt(p: RecordingPanel, label: string, fn: () => Promise<unknown>): Promise<unknown> {
    p.case(label);
    try {
        return await fn();
    } catch {
        return undefined;
    }
}

/** The A record values the ARecord resource sends (resources/aRecord.ts toPanel). */
function aValues(zone: number, serverId: number, name: string, data: string, ttl = 3600) {
    return { server_id: serverId, zone, name, data, ttl, active: true };
}

export async function runSequence(p: RecordingPanel, o: SequenceOptions): Promise<void> {
    const S = o.serverId;
    const C = o.clientId;
    p.case("login");
    await p.login();
    await attempt(p, "app version", () => api.appVersion(p));
    await attempt(p, "client exists", () => api.clientExists(p, C));
    await attempt(p, "client exists, missing", () => api.clientExists(p, 987654));
    await attempt(p, "client of the admin user", () => api.clientIdOfSysUser(p, 1));
    await attempt(p, "client of a missing sys_user (API)", () => api.clientIdOfSysUser(p, 987654));
    await attempt(p, "mail layout", () => api.mailServerConfig(p, S));
    await attempt(p, "owner of client", () => api.groupIdOfClient(p, C));
    await attempt(p, "client of an owner group", async () => api.ownerOfGroup(p, (await api.groupIdOfClient(p, C).catch(() => 0)) || 1));
    await attempt(p, "owner of admin", () => p.call("client_get_groupid", 0));
    await attempt(p, "owner of a missing client", () => p.call("client_get_groupid", 987654));
    await attempt(p, "client of a missing sys_user", () => p.call("client_get_id", 987654));

    // ---- DnsZone -------------------------------------------------------------------------
    await attempt(p, "zone lookup, absent", () => api.dnsZoneIdByOrigin(p, ZONE));
    await attempt(p, "zone lookup with a trailing dot", () => p.call("dns_zone_get_id", `${ZONE}.`));
    const zoneValues = {
        server_id: S, origin: `${ZONE}.`, ns: `ns1.${ZONE}.`, mbox: `hostmaster.${ZONE}.`,
        refresh: 7200, retry: 540, expire: 604800, minimum: 3600, ttl: 3600, active: true, xfer: "", also_notify: "",
    };
    const zoneId = (await attempt(p, "zone add", () => api.addDnsZone(p, C, zoneValues, NOW))) as number | undefined;
    await attempt(p, "zone add, duplicate origin", () => api.addDnsZone(p, C, zoneValues, NOW));
    await attempt(p, "zone add, invalid mbox and ttl", () => p.call("dns_zone_add", C, { ...zoneValues, origin: `bad.${ZONE}.`, mbox: "host@master", ttl: 5 }));
    await attempt(p, "zone add, empty params", () => p.call("dns_zone_add", C, {}));
    await attempt(p, "zone get", () => api.getDnsZone(p, zoneId ?? 0));
    await attempt(p, "zone get, missing id", () => api.getDnsZone(p, 987654321));
    await attempt(p, "zone get, id 0", () => p.call("dns_zone_get", 0));
    await attempt(p, "zone lookup, present", () => api.dnsZoneIdByOrigin(p, ZONE));
    await attempt(p, "zone lookup, prefix", () => p.call("dns_zone_get_id", ZONE.slice(0, -2)));
    await attempt(p, "zone find by origin", () => api.findDnsZoneByOrigin(p, ZONE));
    await attempt(p, "zone update", () => api.updateDnsZone(p, zoneId ?? 0, { ttl: 7200, refresh: 3600 }, api.KEEP_OWNER, NOW));
    await attempt(p, "zone update, missing id", () => p.call("dns_zone_update", 0, 987654321, { ttl: 7200 }));
    await attempt(p, "zone get after update", () => p.call("dns_zone_get", zoneId ?? 0));

    // ---- ARecord -------------------------------------------------------------------------
    const z = zoneId ?? 0;
    const www = (await attempt(p, "a add, update_serial (admin zone)", () => api.addARecord(p, api.KEEP_OWNER, aValues(z, S, "www", "192.0.2.10"), NOW))) as number | undefined;
    const owned = (await attempt(p, "a add as a client, serial moved separately", () => api.addARecord(p, C, aValues(z, S, "mail", "192.0.2.25"), NOW, false))) as number | undefined;
    await attempt(p, "a add without type", () => p.call("dns_a_add", 0, { server_id: S, zone: z, name: "notype", data: "192.0.2.30", ttl: 3600, active: "Y", stamp: api.stampNow(NOW) }, false));
    await attempt(p, "a add without stamp", () => p.call("dns_a_add", 0, { server_id: S, zone: z, name: "nostamp", type: "A", data: "192.0.2.31", ttl: 3600, active: "Y" }, false));
    await attempt(p, "a add, invalid address and ttl", () => p.call("dns_a_add", 0, { server_id: S, zone: z, name: "bad", type: "A", data: "300.1.2.3", ttl: 10, active: "Y", stamp: api.stampNow(NOW) }, true));
    // Stored in no zone at all: named under the test domain so the sweep finds it too.
    const lost = { server_id: S, zone: 987654321, name: `lost.${ZONE}.`, type: "A", data: "192.0.2.32", ttl: 3600, active: "Y", stamp: api.stampNow(NOW) };
    await attempt(p, "a add, update_serial to a missing zone", () => p.call("dns_a_add", 0, lost, true));
    await attempt(p, "a find the record stored without a zone", async () => {
        for (const r of await api.findARecords(p, lost.zone, lost.name, lost.data)) await api.deleteZoneRecord(p, r.id);
    });
    await attempt(p, "a get", () => api.getDnsRecord(p, www ?? 0));
    await attempt(p, "a get, missing id", () => api.getDnsRecord(p, 987654321));
    await attempt(p, "a get, non-numeric id", () => p.call("dns_a_get", "abc"));
    await attempt(p, "a find by name and address", () => api.findARecords(p, z, "www", "192.0.2.10"));
    await attempt(p, "records of the zone", () => api.listZoneRecords(p, z));
    await attempt(p, "records of a missing zone", () => api.listZoneRecords(p, 987654321));
    await attempt(p, "a update", () => api.updateARecord(p, www ?? 0, aValues(z, S, "www", "192.0.2.11", 7200)));
    await attempt(p, "a update without zone (reads it first)", () => api.updateARecord(p, www ?? 0, { ttl: 3600 }));
    await attempt(p, "a update, raw, update_serial and no zone", () => p.call("dns_a_update", 0, www ?? 0, { ttl: 1800, type: "A" }, true));
    for (const [variant, flag] of [["true", true], ["false", false], ["int 1", 1], ["int 0", 0], ["string '1'", "1"], ["string '0'", "0"], ["string 'false'", "false"], ["null", null]] as [string, SoapValue][]) {
        await attempt(p, `a update, update_serial ${variant}`, () => p.call("dns_a_update", 0, www ?? 0, { zone: z, ttl: 3600 + 60 * String(variant).length, type: "A" }, flag));
        await attempt(p, `zone serial after update_serial ${variant}`, async () => ((await api.getDnsZone(p, z)) ?? {}).serial);
    }
    await attempt(p, "a update, missing id, full valid params", () => p.call("dns_a_update", 0, 987654321, { ...aValues(z, S, "www", "192.0.2.12"), type: "A", active: "Y" }, false));
    await attempt(p, "a update, missing id, full valid params, update_serial", () => p.call("dns_a_update", 0, 987654321, { ...aValues(z, S, "www", "192.0.2.12"), type: "A", active: "Y" }, true));
    await attempt(p, "a update, missing id, partial params", () => p.call("dns_a_update", 0, 987654321, { ttl: 3600 }, true));
    await attempt(p, "a update through the API, missing id", () => api.updateARecord(p, 987654321, aValues(z, S, "www", "192.0.2.12")));
    await attempt(p, "a update, invalid address", () => api.updateARecord(p, www ?? 0, aValues(z, S, "www", "1.2.3")));
    await attempt(p, "a delete", () => api.deleteARecord(p, owned ?? 0));
    await attempt(p, "a delete again (already gone)", () => api.deleteARecord(p, owned ?? 0));
    await attempt(p, "a delete, raw, missing id, no update_serial", () => p.call("dns_a_delete", 987654321, false));
    await attempt(p, "a delete, raw, missing id, update_serial", () => p.call("dns_a_delete", 987654321, true));
    await attempt(p, "a delete, raw, missing id, update_serial int 1", () => p.call("dns_a_delete", 987654321, 1));
    await attempt(p, "a delete, raw, missing id, no flag", () => p.call("dns_a_delete", 987654321));
    await attempt(p, "zone records before the zone delete", () => api.listZoneRecords(p, z));
    for (const r of ((await attempt(p, "zone cascade: list", () => api.listZoneRecords(p, z))) as api.DnsRecordRow[] | undefined) ?? []) {
        await attempt(p, "zone cascade: record delete", () => api.deleteZoneRecord(p, r.id));
    }
    await attempt(p, "zone delete", () => api.deleteDnsZone(p, z));
    await attempt(p, "zone delete again", () => api.deleteDnsZone(p, z));
    await attempt(p, "a delete after its zone is gone", () => api.deleteARecord(p, www ?? 0));

    // ---- DnsZoneRecords (api/zoneBatch.ts) ----------------------------------------------
    // Every type written with update_serial off and the serial moved once, one listing, the
    // undo after a refused write; one write at a time so both panels get the same order.
    const SET = `set.${ZONE}.`;
    const sz = ((await attempt(p, "set: zone add", () => api.addDnsZone(p, C, { ...zoneValues, origin: SET, ns: `ns1.${SET}`, mbox: `hostmaster.${SET}` }, NOW))) as number | undefined) ?? 0;
    const bz = { id: sz, serverId: S, clientId: C };
    const ONE = { concurrency: 1 };
    const adds: api.BatchOp[] = TYPE_CASES.map((tc) => {
        const st = tc.stored(SET);
        return { op: "add", key: tc.type, type: tc.type as api.DnsRecordType, columns: { name: st.name, data: st.data, ...(st.aux !== undefined ? { aux: st.aux } : {}), ttl: st.ttl ?? 3600, active: true } };
    });
    await attempt(p, "set: add 18 types, serial once", () => api.writeZoneBatch(p, bz, adds, ONE));
    const listed = ((await attempt(p, "set: listing", () => api.listZoneRecords(p, sz))) as api.DnsRecordRow[] | undefined) ?? [];
    const rowOf = (t: string) => listed.find((r) => r.type === t);
    const updates: api.BatchOp[] = TYPE_CASES.flatMap((tc) => {
        const b = rowOf(tc.type);
        const ch = tc.changed(SET);
        return b ? [{ op: "update", key: tc.type, type: tc.type as api.DnsRecordType, before: b, changes: { data: ch.data, ...(ch.aux !== undefined ? { aux: ch.aux } : {}), ttl: 600 } }] : [];
    });
    await attempt(p, "set: update 18 types, serial once", () => api.writeZoneBatch(p, bz, updates, ONE));
    await attempt(p, "set: listing after the updates", () => api.listZoneRecords(p, sz));
    // A write the panel refuses halfway (an update of a record deleted meanwhile): the writes before it are undone.
    const txt = rowOf("TXT");
    const cname = rowOf("CNAME");
    if (txt && cname) {
        await attempt(p, "set: a record deleted behind the batch", () => p.call("dns_cname_delete", cname.id, false));
        await attempt(p, "set: refused halfway, undone", () =>
            api.writeZoneBatch(p, bz, [
                { op: "delete", key: "TXT", type: "TXT", before: txt },
                { op: "add", key: "extra", type: "A", columns: { name: "extra", data: "192.0.2.99", ttl: 3600, active: true } },
                { op: "update", key: "CNAME", type: "CNAME", before: cname, changes: { data: "web.example.org." } },
            ], ONE),
        );
        await attempt(p, "set: listing after the undo", () => api.listZoneRecords(p, sz));
    }
    for (const [t, params] of [["txt", { data: "x" }], ["mx", { data: "mx.example.net.", aux: 5 }], ["srv", { data: "5 5060 sip.example.net." }]] as const) {
        await attempt(p, `set: raw ${t} update of a missing id, partial params, update_serial off`, () => p.call(`dns_${t}_update`, 0, 987654321, { server_id: S, zone: sz, type: t.toUpperCase(), ...params }, false));
        await attempt(p, `set: raw ${t} delete of a missing id, update_serial off`, () => p.call(`dns_${t}_delete`, 987654321, false));
    }
    // update_serial on the other types (DnsRecord's path; the batch never sends it).
    const mx = rowOf("MX");
    if (mx) {
        await attempt(p, "set: raw mx update, update_serial and no zone", () => p.call("dns_mx_update", 0, mx.id, { ttl: 1800, type: "MX" }, true));
        await attempt(p, "set: raw mx update, update_serial int 1", () => p.call("dns_mx_update", 0, mx.id, { zone: sz, ttl: 1900, type: "MX" }, 1));
        await attempt(p, "set: raw mx update, missing id, full valid params", () => p.call("dns_mx_update", 0, 987654321, { server_id: S, zone: sz, name: "mx", type: "MX", data: "mx.example.net.", aux: 5, ttl: 3600, active: "Y" }, false));
    }
    await attempt(p, "set: raw mx delete of a missing id, update_serial", () => p.call("dns_mx_delete", 987654321, true));
    // In an order both panels share (the listing's own order is MariaDB's plan's: it differs).
    const all = (((await attempt(p, "set: listing before the delete", () => api.listZoneRecords(p, sz))) as api.DnsRecordRow[] | undefined) ?? []).sort((a, b) => `${a.type} ${a.name} ${a.data}`.localeCompare(`${b.type} ${b.name} ${b.data}`));
    await attempt(p, "set: delete all, serial once", () => api.writeZoneBatch(p, bz, all.map((r) => ({ op: "delete", key: String(r.id), type: api.isDnsRecordType(r.type) ? r.type : "A", before: r })), ONE));
    await attempt(p, "set: listing after the delete", () => api.listZoneRecords(p, sz));
    await attempt(p, "set: zone delete", () => api.deleteDnsZone(p, sz));
    // The zone is gone: a batch add with update_serial off still stores the record (no zone check), the serial move finds no zone.
    await attempt(p, "set: add to a deleted zone", () => api.writeZoneBatch(p, bz, [{ op: "add", key: "late", type: "TXT", columns: { name: `late.${SET}`, data: "after the zone", ttl: 3600, active: true } }], ONE));
    await attempt(p, "set: records of the deleted zone", async () => {
        const rows = await api.listZoneRecords(p, sz);
        for (const r of rows) await api.deleteRecord(p, api.isDnsRecordType(r.type) ? r.type : "TXT", r.id, false);
        return rows;
    });

    // ---- WebDomain -----------------------------------------------------------------------
    await attempt(p, "site find, absent", () => api.findWebDomainByName(p, SITE));
    const siteValues = {
        server_id: S, type: "vhost", vhost_type: "name", parent_domain_id: 0, cgi: false, ssi: false, ruby: false, python: false, perl: false,
        traffic_quota_lock: false, domain: SITE, ip_address: "*", subdomain: "www", php: "php-fpm", server_php_id: 0, pm: "dynamic",
        pm_max_children: 12, pm_start_servers: 3, pm_min_spare_servers: 2, pm_max_spare_servers: 6, pm_process_idle_timeout: 10, pm_max_requests: 0,
        hd_quota: -1, traffic_quota: -1, suexec: true, errordocs: 1, allow_override: "All", http_port: 80, https_port: 443, ssl: false,
        ssl_letsencrypt: false, rewrite_to_https: false, stats_type: "awstats", log_retention: 14, active: true,
    };
    const site = (await attempt(p, "site add", () => api.addWebDomain(p, C, siteValues))) as number | undefined;
    await attempt(p, "site add, duplicate domain", () => api.addWebDomain(p, C, siteValues));
    await attempt(p, "site add, empty params", () => p.call("sites_web_domain_add", C, {}, false));
    await attempt(p, "site add, invalid quota", () => p.call("sites_web_domain_add", C, { ...siteValues, domain: `q.${SITE}`, hd_quota: "lots", active: "y", suexec: "y" }, false));
    await attempt(p, "site get", () => p.call("sites_web_domain_get", site ?? 0));
    await attempt(p, "site get, missing id", () => api.getWebDomain(p, 987654321));
    await attempt(p, "site find by name", () => api.findWebDomainByName(p, SITE));
    await attempt(p, "site update (read, merge, write)", () => api.updateWebDomain(p, site ?? 0, { hd_quota: 500 }));
    await attempt(p, "site get after update", () => p.call("sites_web_domain_get", site ?? 0));
    await attempt(p, "site update, raw partial (pm_* reset)", () => p.call("sites_web_domain_update", 0, site ?? 0, { hd_quota: 600 }));
    await attempt(p, "site get after partial update", () => p.call("sites_web_domain_get", site ?? 0));
    await attempt(p, "site update, raw, missing id", () => p.call("sites_web_domain_update", 0, 987654321, { hd_quota: 600 }));
    await attempt(p, "site update through the API, missing id", () => api.updateWebDomain(p, 987654321, { hd_quota: 600 }));
    await attempt(p, "site delete", () => api.deleteWebDomain(p, site ?? 0));
    await attempt(p, "site delete again", () => api.deleteWebDomain(p, site ?? 0));

    // ---- MailDomain and Mailbox ----------------------------------------------------------
    await attempt(p, "mail domain find, absent", () => api.findMailDomainByName(p, MAIL));
    await attempt(p, "mail domain by empty name", () => p.call("mail_domain_get_by_domain", ""));
    const md = (await attempt(p, "mail domain add", () => api.addMailDomain(p, C, { server_id: S, domain: MAIL, active: true }))) as number | undefined;
    await attempt(p, "mail domain add, duplicate", () => api.addMailDomain(p, C, { server_id: S, domain: MAIL, active: true }));
    await attempt(p, "mail domain add, invalid name", () => p.call("mail_domain_add", C, { server_id: S, domain: "not a domain", active: "y" }));
    await attempt(p, "mail domain get", () => p.call("mail_domain_get", md ?? 0));
    await attempt(p, "mail domain find by name", () => api.findMailDomainByName(p, MAIL));
    await attempt(p, "mail domain update", () => api.updateMailDomain(p, md ?? 0, { active: false }));
    await attempt(p, "mail domain update, raw, missing id", () => p.call("mail_domain_update", 0, 987654321, { active: "y" }));
    await attempt(p, "mail domain update, back to active", () => api.updateMailDomain(p, md ?? 0, { active: true }));

    const layout = ((await attempt(p, "mail layout for the mailbox", () => api.mailServerConfig(p, S))) as api.MailServerConfig | undefined) ?? {
        maildirPath: "/var/vmail/[domain]/[localpart]", homedirPath: "/var/vmail", uid: 5000, gid: 5000, maildirFormat: "maildir",
    };
    const box = (email: string, extra: Record<string, unknown> = {}) => ({
        server_id: S, email, login: email, password: PW, maildir: api.mailboxPath(layout.maildirPath, MAIL, email.split("@")[0]),
        homedir: layout.homedirPath, uid: layout.uid, gid: layout.gid, maildir_format: layout.maildirFormat,
        name: "Info", quota: 512 * 1048576, postfix: true, disableimap: false, disablepop3: false, disablesmtp: false, disabledeliver: false, move_junk: false,
        ...extra,
    });
    const mb = (await attempt(p, "mailbox add", () => api.addMailUser(p, C, box(`info@${MAIL}`)))) as number | undefined;
    await attempt(p, "mailbox add, raw, without the UI's purge fields", () => p.call("mail_user_add", C, { ...box(`raw@${MAIL}`), postfix: "y", disableimap: "n", disablepop3: "n", disablesmtp: "n", disabledeliver: "n", move_junk: "n" }));
    await attempt(p, "mailbox add, duplicate", () => api.addMailUser(p, C, box(`info@${MAIL}`)));
    await attempt(p, "mailbox add, mixed case", () => api.addMailUser(p, C, box(`Mixed.Case@${MAIL}`.toLowerCase() === `mixed.case@${MAIL}` ? `Mixed.Case@${MAIL}` : `mixed@${MAIL}`, { login: `mixed.case@${MAIL}` })));
    await attempt(p, "mailbox add, weak password", () => api.addMailUser(p, C, box(`weak@${MAIL}`, { password: "abc" })));
    await attempt(p, "mailbox add, unknown domain", () => api.addMailUser(p, C, box(`x@nodomain.${TEST_DOMAIN}`)));
    await attempt(p, "mailbox add, quota -1", () => api.addMailUser(p, C, box(`q@${MAIL}`, { quota: -1 })));
    await attempt(p, "mailbox add, invalid login", () => api.addMailUser(p, C, box(`l@${MAIL}`, { login: "-bad login" })));
    await attempt(p, "mailbox get", () => p.call("mail_user_get", mb ?? 0));
    await attempt(p, "mailbox get, missing id", () => api.getMailUser(p, 987654321));
    await attempt(p, "mailbox find by address", () => api.findMailUserByEmail(p, `INFO@${MAIL}`));
    await attempt(p, "mailboxes of the domain", () => api.listMailUsersOfDomain(p, MAIL));
    await attempt(p, "mailbox update", () => api.updateMailUser(p, mb ?? 0, { quota: 1024 * 1048576, name: "Info desk", move_junk: true }));
    await attempt(p, "mailbox update, password", () => api.updateMailUser(p, mb ?? 0, { password: "An0ther-Secret-Pw!" }));
    await attempt(p, "mailbox update, weak password", () => api.updateMailUser(p, mb ?? 0, { password: "abc" }));
    await attempt(p, "mailbox get after update", () => p.call("mail_user_get", mb ?? 0));
    await attempt(p, "mailbox update, raw, missing id, quota 0", () => p.call("mail_user_update", 0, 987654321, { quota: 0 }));
    await attempt(p, "mailbox update, raw, missing id, name only", () => p.call("mail_user_update", 0, 987654321, { name: "x" }));
    await attempt(p, "mailbox update, raw, missing id, full row", () => p.call("mail_user_update", 0, 987654321, { email: `info@${MAIL}`, login: `info@${MAIL}`, quota: 0 }));
    await attempt(p, "mailbox update through the API, missing id", () => api.updateMailUser(p, 987654321, { quota: 0, name: "x" }));
    await attempt(p, "mailboxes of the client", () => p.call("mail_user_get_all_by_client", C));
    await attempt(p, "mail domain update with a mailbox in it", () => api.updateMailDomain(p, md ?? 0, { active: true }));
    await attempt(p, "mailbox after the domain update", () => p.call("mail_user_get", mb ?? 0));
    // What an update without `domain` does to the domain's mailboxes (the API layer never sends that).
    // (A domain of its own: the rewritten mailbox no longer carries the domain in its address.)
    const md2 = (await attempt(p, "mail domain add, spare", () => api.addMailDomain(p, C, { server_id: S, domain: `spare.${MAIL}`, active: true }))) as number | undefined;
    const spare = (await attempt(p, "mailbox add, spare", () => api.addMailUser(p, C, box(`spare@spare.${MAIL}`)))) as number | undefined;
    await attempt(p, "mail domain update, raw, without domain", () => p.call("mail_domain_update", 0, md2 ?? 0, { active: "y" }));
    await attempt(p, "mailbox after an update without domain", () => p.call("mail_user_get", spare ?? 0));
    await attempt(p, "mailbox delete, spare", () => api.deleteMailUser(p, spare ?? 0));
    await attempt(p, "mail domain delete, spare", () => api.deleteMailDomain(p, md2 ?? 0));
    for (const m of ((await attempt(p, "mail domain cascade: list", () => api.listMailUsersOfDomain(p, MAIL))) as api.MailUserRow[] | undefined) ?? []) {
        await attempt(p, "mail domain cascade: mailbox delete", () => api.deleteMailUser(p, m.mailuser_id));
    }
    await attempt(p, "mailbox delete again", () => api.deleteMailUser(p, mb ?? 0));
    await attempt(p, "mail domain delete", () => api.deleteMailDomain(p, md ?? 0));
    await attempt(p, "mail domain delete again", () => api.deleteMailDomain(p, md ?? 0));

    p.case("logout");
    await p.logout();
}
