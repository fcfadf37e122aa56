/*
 * Owners: group → client lookups (issue 11) and owner changes that move a zone's records and a
 * mail domain's mailboxes with it, as the panel's UI does (issue 5), against the test panel.
 * The test panel answers these calls as a real 3.2 panel did (see test/emulator/remoting.ts);
 * the last block runs the same owner changes against a real panel when one is named:
 *   OWNERSHIP_LIVE_ENDPOINT=http://127.0.0.1:8090/remote/index.php npx vitest run test/ownership.test.ts
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dnsZone } from "../provider/resources/dnsZone";
import * as api from "../provider/api";
import { createSession, Session } from "../provider/soap/session";
import { PermissionError } from "../provider/soap/errors";
import { Panel, ADMIN, addClient, countCalls, read, startPanel } from "./helpers/panel";

const CLIENTS = 2000;
const OWNER_LOOKUPS = /^client_get/;

let p: Panel;
/** Client ids in creation order; the panel gives client N group N+1. */
const clients: number[] = [];

beforeAll(async () => {
    p = await startPanel({
        users: [
            { username: ADMIN.username, password: ADMIN.password, functions: "all" },
            // Everything but "Record permission changes".
            { username: "noperms", password: "NoPerms-123!", functions: ["dns_zone_get", "client_get_id"] },
        ],
    });
    // The test panel's own client_add, without 2,000 round trips.
    const panel = p.emu.panel as any;
    for (let i = 0; i < CLIENTS; i++) clients.push(Number(panel.fn_client_add(null, 0, { username: `c${i}`, contact_name: `c${i}`, password: "Cl1ent-Pass!2024" })));
});
afterAll(() => p.close());

/** A fresh session: an empty owner cache, as in a new provider process. */
async function fresh<T>(fn: (s: Session) => Promise<T>): Promise<T> {
    const s = createSession({ endpoint: p.emu.url, username: ADMIN.username, password: ADMIN.password });
    try {
        return await fn(s);
    } finally {
        await s.close();
    }
}

function lookups(from: number): string[] {
    return p.emu.calls.slice(from).map((c) => c.method).filter((m) => OWNER_LOOKUPS.test(m));
}

const zoneParams = (origin: string) => ({
    server_id: 1, origin, ns: "ns1.example.net.", mbox: "hostmaster.example.net.", serial: 2026010101,
    refresh: 7200, retry: 540, expire: 604800, minimum: 3600, ttl: 3600, active: "Y",
});
const rrParams = (zone: number, name: string, type: string, data: string) => ({
    server_id: 1, zone, name, type, data, ttl: 3600, active: "Y", stamp: "2026-01-01 00:00:00",
});
const owner = (r: Record<string, any>) => [Number(r.sys_userid), Number(r.sys_groupid)];
const ownerOf = (clientId: number) => (clientId === 0 ? [1, 1] : [clientId + 1, clientId + 1]);

describe(`owner lookups on a panel with ${CLIENTS} clients`, () => {
    it("reading a zone owned by the last client finds its owner with one lookup, not one per client", async () => {
        const last = clients[CLIENTS - 1];
        const zoneId = Number(await p.raw.call("dns_zone_add", last, zoneParams("last-client.example.com.")));
        const from = p.emu.calls.length;
        // The configured client (0) is not the owner: the old code walked all 2,000 clients here.
        const r = await read(dnsZone.provider, String(zoneId), { clientId: 0 });
        expect(r.outs.clientId).toBe(last);
        expect(lookups(from).length).toBeLessThanOrEqual(1);
    });

    it("resolves a group with at most one call per session, shared by reads in parallel", async () => {
        const n = clients[1234];
        const from = p.emu.calls.length;
        const owners = await fresh((s) => Promise.all(Array.from({ length: 50 }, () => api.ownerOfGroup(s, n + 1))));
        expect(new Set(owners)).toEqual(new Set([n]));
        expect(lookups(from)).toEqual(["client_get_by_groupid"]);
    });

    it("knows the client's group once it has resolved the group (no client_get_groupid after)", async () => {
        const n = clients[42];
        const from = p.emu.calls.length;
        await fresh(async (s) => {
            expect(await api.ownerOfGroup(s, n + 1)).toBe(n);
            expect(await api.groupIdOfClient(s, n)).toBe(n + 1);
            expect(await api.ownerOfGroup(s, n + 1, n)).toBe(n);
        });
        expect(lookups(from)).toEqual(["client_get_by_groupid"]);
    });

    it("reads the admin's groups (1 from the API, 0 from the UI) as client 0 without a call", async () => {
        const from = p.emu.calls.length;
        await fresh(async (s) => {
            expect(await api.ownerOfGroup(s, 1)).toBe(0);
            expect(await api.ownerOfGroup(s, 0)).toBe(0);
            expect(await api.groupIdOfClient(s, 0)).toBe(1);
        });
        expect(lookups(from)).toEqual([]);
    });

    it("20 zones of one client: 2 owner lookups in all (its group, its user), none for the admin's user", async () => {
        const n = clients[777];
        const zones = await Promise.all(Array.from({ length: 20 }, (_, i) => p.raw.call("dns_zone_add", n, zoneParams(`z${i}.c777.example.com.`))));
        const from = p.emu.calls.length;
        await fresh(async (s) => {
            for (const id of zones) {
                const zone = (await api.getDnsZone(s, Number(id)))!;
                expect(await api.ownerOfGroup(s, zone.sys_groupid, 0)).toBe(n);
                expect(await api.clientIdOfSysUser(s, zone.sys_userid)).toBe(n);
            }
            expect(await api.clientIdOfSysUser(s, 1)).toBe(0);
        });
        expect(lookups(from).sort()).toEqual(["client_get_by_groupid", "client_get_id"]);
    });

    it("without 'Client functions' the error says which checkbox to tick", async () => {
        const s = createSession({ endpoint: p.emu.url, username: "noperms", password: "NoPerms-123!" });
        try {
            // noperms has client_get_id but not client_get, which the handler also checks.
            const e = await api.ownerOfGroup(s, clients[9] + 1).catch((x) => x);
            expect(e).toBeInstanceOf(PermissionError);
            expect(e.message).toMatch(/"Client functions"/);
        } finally {
            await s.close();
        }
    });

    it("with ISPCONFIG_DEBUG=wire, the lookup's answer (a whole client row) shows no password hash and no SSH private key", async () => {
        const prev = process.env.ISPCONFIG_DEBUG;
        process.env.ISPCONFIG_DEBUG = "wire";
        const lines: string[] = [];
        const orig = process.stderr.write.bind(process.stderr);
        (process.stderr as any).write = (chunk: any) => (lines.push(String(chunk)), true);
        try {
            await fresh((s) => api.ownerOfGroup(s, clients[10] + 1));
        } finally {
            (process.stderr as any).write = orig;
            if (prev === undefined) delete process.env.ISPCONFIG_DEBUG;
            else process.env.ISPCONFIG_DEBUG = prev;
        }
        const log = lines.join("");
        expect(log).toMatch(/client_get_by_groupid .*"id_rsa":"\*\*\*"/);
        expect(log).not.toMatch(/PRIVATE KEY|\$6\$/);
    });

    it("says 'no client' for a group nobody has, and remembers it", async () => {
        const from = p.emu.calls.length;
        await fresh(async (s) => {
            expect(await api.ownerOfGroup(s, 999_999)).toBeUndefined();
            expect(await api.ownerOfGroup(s, 999_999)).toBeUndefined();
        });
        expect(lookups(from)).toEqual(["client_get_by_groupid"]);
    });
});

describe("moving a DNS zone to another owner moves its records too", () => {
    let a: number;
    let b: number;
    beforeAll(() => {
        a = clients[0];
        b = clients[1];
    });
    const records = (zone: number) => p.emu.table("dns_rr").filter((r) => Number(r.zone) === zone);
    const soa = (zone: number) => p.emu.table("dns_soa").find((r) => Number(r.id) === zone)!;

    async function zoneOf(clientId: number, origin: string) {
        const zone = Number(await p.raw.call("dns_zone_add", clientId, zoneParams(origin)));
        await p.raw.call("dns_a_add", clientId, rrParams(zone, "www", "A", "192.0.2.10"));
        await p.raw.call("dns_a_add", clientId, rrParams(zone, "mail", "A", "192.0.2.11"));
        // Made in the panel by other means (its UI, dns_mx_add, dns_txt_add): other types, as the
        // panel stores them for this client; and one of the type-column bug.
        const insert = (values: Record<string, unknown>) => (p.emu.panel as any).insert("dns_rr", clientId, values);
        insert(rrParams(zone, origin, "MX", `mail.${origin}`));
        insert(rrParams(zone, origin, "TXT", "v=spf1 mx -all"));
        const { type: _none, ...untyped } = rrParams(zone, "old", "", "192.0.2.12");
        await p.raw.call("dns_a_add", clientId, untyped);
        return zone;
    }

    it("client A → client B: the zone and all 5 records, each with its own type's update, serial unchanged", async () => {
        const zone = await zoneOf(a, "move.example.com.");
        const serial = Number(soa(zone).serial);
        const { calls } = await countCalls(p, () => api.reownZone(p.raw, zone, b));
        expect(owner(soa(zone))).toEqual(ownerOf(b));
        expect(records(zone).map(owner)).toEqual(Array(5).fill(ownerOf(b)));
        expect(Number(soa(zone).serial)).toBe(serial);
        expect(calls.filter((m) => !OWNER_LOOKUPS.test(m)).sort()).toEqual(
            ["dns_zone_get", "dns_rr_get_all_by_zone", "dns_zone_update", "dns_a_update", "dns_a_update", "dns_a_update", "dns_mx_update", "dns_txt_update"].sort(),
        );
        expect(calls.filter((m) => OWNER_LOOKUPS.test(m)).length).toBeLessThanOrEqual(1);
    });

    it("moves only what is not already the new owner's, and a second run only reads", async () => {
        const zone = await zoneOf(a, "half.example.com.");
        // What the old code left behind: the zone moved, its records not.
        await p.raw.call("dns_zone_update", b, zone, {});
        const { calls } = await countCalls(p, () => api.reownZone(p.raw, zone, b));
        expect(calls.filter((m) => m === "dns_zone_update")).toEqual([]);
        expect(records(zone).map(owner)).toEqual(Array(5).fill(ownerOf(b)));
        const again = await countCalls(p, () => api.reownZone(p.raw, zone, b));
        expect([...again.calls].sort()).toEqual(["dns_rr_get_all_by_zone", "dns_zone_get"]);
    });

    it("a record type without an update function (DNSKEY) moves with the zone too", async () => {
        const zone = await zoneOf(a, "dnssec.example.com.");
        (p.emu.panel as any).insert("dns_rr", a, rrParams(zone, "dnssec.example.com.", "DNSKEY", "257 3 13 AwEAAc=="));
        const { calls } = await countCalls(p, () => api.reownZone(p.raw, zone, b));
        expect(records(zone).map(owner)).toEqual(Array(6).fill(ownerOf(b)));
        expect(calls.filter((m) => m === "update_record_permissions")).toHaveLength(1);
    });

    it("client → admin (clientId 0): every row back to 1/1 through update_record_permissions", async () => {
        const zone = await zoneOf(a, "back.example.com.");
        const { calls } = await countCalls(p, () => api.reownZone(p.raw, zone, 0));
        expect(owner(soa(zone))).toEqual([1, 1]);
        expect(records(zone).map(owner)).toEqual(Array(5).fill([1, 1]));
        expect(calls.filter((m) => m === "update_record_permissions")).toHaveLength(6);
        // The admin's group needs no lookup; reading it back says client 0.
        expect(await api.ownerOfGroup(p.raw, Number(soa(zone).sys_groupid))).toBe(0);
    });

    it("client → admin without 'Record permission changes' fails naming that checkbox, and moves nothing", async () => {
        const zone = await zoneOf(a, "noperm.example.com.");
        const s = createSession({ endpoint: p.emu.url, username: "noperms", password: "NoPerms-123!" });
        try {
            const e = await api.reownZone(s, zone, 0).catch((x) => x);
            expect(e).toBeInstanceOf(PermissionError);
            expect(e.message).toMatch(/Record permission changes/);
        } finally {
            await s.close();
        }
        expect(owner(soa(zone))).toEqual(ownerOf(a));
        expect(records(zone).map(owner)).toEqual(Array(5).fill(ownerOf(a)));
    });

    it("records added after the move get the zone's new owner (the zone is now the client's own)", async () => {
        const zone = await zoneOf(0, "later.example.com.");
        await api.reownZone(p.raw, zone, b);
        const { calls } = await countCalls(p, () => api.addARecord(p.raw, b, { server_id: 1, zone, name: "new", data: "192.0.2.20", ttl: 3600, active: true }, new Date(), true));
        expect(calls).toEqual(["dns_a_add"]);
        expect(owner(soa(zone))).toEqual(ownerOf(b));
        expect(records(zone).map(owner)).toEqual(Array(6).fill(ownerOf(b)));
    });
});

describe("moving a mail domain to another owner moves its mailboxes too", () => {
    const domainRow = (id: number) => p.emu.table("mail_domain").find((r) => Number(r.domain_id) === id)!;
    const boxes = (domain: string) => p.emu.table("mail_user").filter((r) => String(r.email).endsWith(`@${domain}`));

    async function domainOf(clientId: number, domain: string) {
        const id = Number(await p.raw.call("mail_domain_add", clientId, { server_id: 1, domain, active: "y" }));
        for (const local of ["info", "sales", "jobs"]) {
            await p.raw.call("mail_user_add", clientId, {
                server_id: 1, email: `${local}@${domain}`, login: `${local}@${domain}`, password: "Corr3ct-Horse!", quota: 0,
                maildir: `/var/vmail/${domain}/${local}`, homedir: "/var/vmail", uid: 5000, gid: 5000, postfix: "y",
            });
        }
        return id;
    }

    it("client A → client B in one update: domain and its 3 mailboxes, addresses and maildirs unchanged", async () => {
        const [a, b] = [clients[2], clients[3]];
        const id = await domainOf(a, "move.example.org");
        const before = boxes("move.example.org").map((m) => [m.email, m.maildir]);
        const { calls } = await countCalls(p, () => api.reownMailDomain(p.raw, id, b));
        expect(owner(domainRow(id))).toEqual(ownerOf(b));
        expect(boxes("move.example.org").map(owner)).toEqual(Array(3).fill(ownerOf(b)));
        expect(boxes("move.example.org").map((m) => [m.email, m.maildir])).toEqual(before);
        expect(calls.filter((m) => !OWNER_LOOKUPS.test(m))).toEqual(["mail_domain_get", "mail_domain_update"]);
        expect(calls.filter((m) => OWNER_LOOKUPS.test(m)).length).toBeLessThanOrEqual(1);
    });

    it("client → admin (clientId 0) needs no extra permission: domain and mailboxes back to 1/1", async () => {
        const id = await domainOf(clients[4], "back.example.org");
        await api.reownMailDomain(p.raw, id, 0);
        expect(owner(domainRow(id))).toEqual([1, 1]);
        expect(boxes("back.example.org").map(owner)).toEqual(Array(3).fill([1, 1]));
        expect(await api.ownerOfGroup(p.raw, Number(domainRow(id).sys_groupid))).toBe(0);
    });

    it("repairs mailboxes an earlier parent-only move left behind", async () => {
        const [a, b] = [clients[5], clients[6]];
        const id = await domainOf(a, "half.example.org");
        await p.raw.call("mail_domain_update", b, id, { server_id: 1, domain: "half.example.org", active: "y" });
        expect(boxes("half.example.org").map(owner)).toEqual(Array(3).fill(ownerOf(a)));
        const { calls } = await countCalls(p, () => api.reownMailDomain(p.raw, id, b));
        expect(boxes("half.example.org").map(owner)).toEqual(Array(3).fill(ownerOf(b)));
        expect(calls.filter((m) => m === "mail_user_update")).toHaveLength(3);
    });
});

/*
 * By hand, against a real panel (never in CI): a fresh client, then the same moves as above,
 * checked through the API's own reads. Leaves its zone, mail domain and client behind; reset the panel after.
 */
const LIVE = process.env.OWNERSHIP_LIVE_ENDPOINT;
describe.skipIf(!LIVE)("on a real panel (OWNERSHIP_LIVE_ENDPOINT)", () => {
    let s: Session;
    beforeAll(() => {
        s = createSession({ endpoint: LIVE!, username: process.env.OWNERSHIP_LIVE_USER ?? "apiuser", password: process.env.OWNERSHIP_LIVE_PASSWORD ?? "ApiPass123!" });
    });
    afterAll(() => s?.close());
    const tag = Date.now().toString(36);

    async function newClient(name: string): Promise<number> {
        return Number(await s.call("client_add", 0, {
            company_name: name, contact_name: name, username: name, password: "Cl1ent-Pass!2024", language: "en", usertheme: "default",
            email: `${name}@example.net`, country: "DE", web_php_options: "no,fast-cgi,php-fpm", ssh_chroot: "no,jailkit", limit_maildomain: -1,
            limit_mailbox: -1, limit_dns_zone: -1, limit_dns_record: -1, default_mailserver: 1, mail_servers: "1", default_dnsserver: 1, dns_servers: "1",
        }));
    }

    it("zone: client A → client B → admin, records with it; owner lookups by group", async () => {
        const [a, b] = [await newClient(`own${tag}a`), await newClient(`own${tag}b`)];
        const origin = `own${tag}.example.com.`;
        const zone = Number(await s.call("dns_zone_add", a, zoneParams(origin)));
        for (const [name, type, data] of [["www", "A", "192.0.2.10"], [origin, "MX", `mail.${origin}`], [origin, "TXT", "v=spf1 mx -all"], [origin, "NS", "ns1.example.net."]]) {
            await s.call(`dns_${type.toLowerCase()}_add`, a, { ...rrParams(zone, name, type, data), ...(type === "MX" ? { aux: 10 } : {}) }, false);
        }
        const groups = async () => {
            const z = await api.getDnsZone(s, zone);
            const rs = await api.listZoneRecords(s, zone);
            return [z!.sys_groupid, ...rs.map((r) => r.sys_groupid)];
        };
        const [ga, gb] = [await api.groupIdOfClient(s, a), await api.groupIdOfClient(s, b)];
        expect(new Set(await groups())).toEqual(new Set([ga]));
        await api.reownZone(s, zone, b);
        expect(new Set(await groups())).toEqual(new Set([gb]));
        expect(await api.ownerOfGroup(s, gb)).toBe(b);
        await api.reownZone(s, zone, 0);
        expect(new Set(await groups())).toEqual(new Set([1]));
        expect(await api.ownerOfGroup(s, 1)).toBe(0);
        expect(await api.ownerOfGroup(s, 0)).toBe(0);
        expect(await api.ownerOfGroup(s, 987654)).toBeUndefined();
    });

    it("mail domain: client A → client B → admin, mailboxes with it, addresses unchanged", async () => {
        const [a, b] = [await newClient(`own${tag}c`), await newClient(`own${tag}d`)];
        const domain = `own${tag}.example.org`;
        const id = Number(await s.call("mail_domain_add", a, { server_id: 1, domain, active: "y" }));
        for (const local of ["info", "sales"]) {
            await s.call("mail_user_add", a, {
                server_id: 1, email: `${local}@${domain}`, login: `${local}@${domain}`, password: "Corr3ct-Horse!", quota: 0,
                maildir: `/var/vmail/${domain}/${local}`, homedir: "/var/vmail", uid: 5000, gid: 5000, postfix: "y",
            });
        }
        const state = async () => {
            const d = await api.getMailDomain(s, id);
            const ms = await api.listMailUsersOfDomain(s, domain);
            return { groups: [d!.sys_groupid, ...ms.map((m) => m.sys_groupid)], boxes: ms.map((m) => [m.email, m.maildir]) };
        };
        const before = await state();
        const [ga, gb] = [await api.groupIdOfClient(s, a), await api.groupIdOfClient(s, b)];
        expect(new Set(before.groups)).toEqual(new Set([ga]));
        await api.reownMailDomain(s, id, b);
        const moved = await state();
        expect(new Set(moved.groups)).toEqual(new Set([gb]));
        expect(moved.boxes).toEqual(before.boxes);
        await api.reownMailDomain(s, id, 0);
        expect(new Set((await state()).groups)).toEqual(new Set([1]));
        // What the old parent-only move left behind, then repaired mailbox by mailbox.
        await s.call("mail_domain_update", a, id, { server_id: 1, domain, active: "y" });
        expect((await state()).groups).toEqual([ga, 1, 1]);
        await api.reownMailDomain(s, id, a);
        expect((await state()).groups).toEqual([ga, ga, ga]);
        expect((await state()).boxes).toEqual(before.boxes);
    });
});
