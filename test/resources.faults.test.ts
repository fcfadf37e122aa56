import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dnsZone } from "../provider/resources/dnsZone";
import { aRecord } from "../provider/resources/aRecord";
import { webDomain } from "../provider/resources/webDomain";
import { mailDomain } from "../provider/resources/mailDomain";
import { mailbox } from "../provider/resources/mailbox";
import { TransportError } from "../provider/soap/errors";
import { Panel, addClient, create, startPanel } from "./helpers/panel";

/*
 * Half-applied operations: whatever goes wrong after the panel stored something, the panel
 * must end up holding exactly what Pulumi's state says — no orphan, no duplicate.
 */
let p: Panel;
let clientId: number;
beforeAll(async () => {
    p = await startPanel();
    clientId = await addClient(p, "faultcust");
});
afterAll(() => p.close());

const zone = (origin: string, extra: Record<string, unknown> = {}) => ({ origin, ns: "ns1.example.net", mbox: "hostmaster@example.net", ...extra });
const count = (table: string, where: (r: Record<string, any>) => boolean) => p.emu.table(table).filter(where).length;

describe("an add whose answer is lost after the panel stored it is adopted, not duplicated", () => {
    it.each([
        ["DnsZone", "dns_zone_add"],
        ["ARecord", "dns_a_add"],
        ["WebDomain", "sites_web_domain_add"],
        ["MailDomain", "mail_domain_add"],
        ["Mailbox", "mail_user_add"],
    ])("%s", async (kind, method) => {
        const tag = kind.toLowerCase();
        const z = await create(dnsZone.provider, zone(`lost-${tag}.example.com`));
        await create(mailDomain.provider, { domain: `lost-${tag}.example.org` });
        const cases: Record<string, [any, Record<string, unknown>, string, (r: any) => boolean]> = {
            DnsZone: [dnsZone.provider, zone("lost-zone.example.net"), "dns_soa", (r) => r.origin === "lost-zone.example.net."],
            ARecord: [aRecord.provider, { zoneId: z.id, name: "www", address: "192.0.2.77" }, "dns_rr", (r) => String(r.zone) === z.id && r.name === "www"],
            WebDomain: [webDomain.provider, { domain: "lost-web.example.net" }, "web_domain", (r) => r.domain === "lost-web.example.net"],
            MailDomain: [mailDomain.provider, { domain: "lost-mail.example.net" }, "mail_domain", (r) => r.domain === "lost-mail.example.net"],
            Mailbox: [mailbox.provider, { email: `x@lost-${tag}.example.org`, password: "Corr3ct-Horse!" }, "mail_user", (r) => r.email === `x@lost-${tag}.example.org`],
        };
        const [provider, args, table, where] = cases[kind];
        p.emu.injectFault({ kind: "lostResponse", method });
        const r = await create(provider, args);
        expect(p.emu.calls.some((c) => c.injected === "lostResponse")).toBe(true);
        expect(count(table, where)).toBe(1);
        const idCol = { dns_soa: "id", dns_rr: "id", web_domain: "domain_id", mail_domain: "domain_id", mail_user: "mailuser_id" }[table]!;
        expect(String(p.emu.table(table).find(where)![idCol])).toBe(r.id);
    });
});

describe("an add sent on a kept-alive connection the panel had closed", () => {
    it("is checked for and sent again: exactly one record", async () => {
        const z = await create(dnsZone.provider, zone("stale.example.com"));
        await create(aRecord.provider, { zoneId: z.id, name: "warm", address: "192.0.2.1" }); // a kept-alive socket exists
        p.emu.injectFault({ kind: "drop", method: "dns_a_add" });
        const r = await create(aRecord.provider, { zoneId: z.id, name: "again", address: "192.0.2.2" });
        expect(p.emu.calls.filter((c) => c.method === "dns_a_add" && c.injected === "drop")).toHaveLength(1);
        expect(p.emu.table("dns_rr").filter((x) => String(x.zone) === z.id && x.name === "again").map((x) => String(x.id))).toEqual([r.id]);
    });
});

describe("a failure after the add undoes the add (Pulumi's create contract)", () => {
    it("WebDomain: the read-back of computed fields fails → the site is removed again", async () => {
        p.emu.injectFault({ kind: "html500", method: "sites_web_domain_get" });
        await expect(create(webDomain.provider, { domain: "undo.example.net" })).rejects.toBeInstanceOf(TransportError);
        expect(count("web_domain", (r) => r.domain === "undo.example.net")).toBe(0);
    });

    it("ARecord in a client's zone: the serial bump fails → the record is removed again", async () => {
        const z = await create(dnsZone.provider, zone("undo.example.com", { clientId }));
        // As if an admin had made the zone for the client in the UI (sys_userid admin, group the
        // client's): then the serial is moved by a separate call, which is what fails here.
        p.emu.panel.tables.dns_soa.find((r) => String(r.id) === z.id)!.sys_userid = 1;
        await create(aRecord.provider, { zoneId: z.id, name: "warm", address: "192.0.2.1" });
        p.emu.injectFault({ kind: "proxy502", method: "dns_zone_update" });
        await expect(create(aRecord.provider, { zoneId: z.id, name: "undo", address: "192.0.2.2" })).rejects.toBeInstanceOf(TransportError);
        expect(count("dns_rr", (r) => String(r.zone) === z.id && r.name === "undo")).toBe(0);
    });

    it("ARecord in a client's zone made in the UI: a lost add answer is recovered and the serial still moves", async () => {
        const z = await create(dnsZone.provider, zone("lostserial.example.com", { clientId }));
        p.emu.panel.tables.dns_soa.find((r) => String(r.id) === z.id)!.sys_userid = 1;
        await create(aRecord.provider, { zoneId: z.id, name: "warm", address: "192.0.2.1" });
        const serialBefore = Number(p.emu.table("dns_soa").find((r) => String(r.id) === z.id)!.serial);
        p.emu.injectFault({ kind: "lostResponse", method: "dns_a_add" });
        const a = await create(aRecord.provider, { zoneId: z.id, name: "lost", address: "192.0.2.3" });
        expect(count("dns_rr", (r) => String(r.zone) === z.id && r.name === "lost")).toBe(1);
        expect(String(a.id)).toBe(String(p.emu.table("dns_rr").find((r) => r.name === "lost")!.id));
        // Without the bump, secondaries would never see the recovered record.
        expect(Number(p.emu.table("dns_soa").find((r) => String(r.id) === z.id)!.serial)).toBeGreaterThan(serialBefore);
    });
});

describe("errors the operator can act on", () => {
    it("a database_error says what the database said and nothing of the SQL", async () => {
        const z = await create(dnsZone.provider, zone("dberr.example.com"));
        p.emu.injectFault({ kind: "databaseError", method: "dns_a_add" });
        const e = await create(aRecord.provider, { zoneId: z.id, name: "x", address: "192.0.2.3" }).catch((x) => x);
        expect(e.message).toMatch(/Lock wait timeout exceeded/);
        expect(e.message).not.toMatch(/UPDATE|dns_rr/);
        expect(count("dns_rr", (r) => String(r.zone) === z.id)).toBe(0);
    });

    it("a session expired mid-run is renewed once and the operation succeeds", async () => {
        const before = p.emu.calls.filter((c) => c.method === "login").length;
        p.emu.expireAllSessions();
        const z = await create(dnsZone.provider, zone("expired.example.com"));
        expect(z.id).toMatch(/^\d+$/);
        expect(p.emu.calls.filter((c) => c.method === "login").length).toBe(before + 1);
    });
});
