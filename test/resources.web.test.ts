import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webDomain } from "../provider/resources/webDomain";
import { Panel, addClient, checked, countCalls, create, read, row, startPanel, update } from "./helpers/panel";

let p: Panel;
let clientId: number;
beforeAll(async () => {
    p = await startPanel();
    clientId = await addClient(p, "webcust");
});
afterAll(() => p.close());

const site = (id: string) => row(p, "web_domain", (r) => String(r.domain_id) === id)!;

describe("WebDomain", () => {
    it("create → read → update every field → read → replace → delete", async () => {
        const w = await create(webDomain.provider, { domain: "Shop.Example.com", clientId, pm: "dynamic", pmMaxChildren: 8, pmStartServers: 2, pmMinSpareServers: 1, pmMaxSpareServers: 4, logRetention: 14 });
        const s = site(w.id);
        // Every field sent: the panel applies no defaults.
        expect(s).toMatchObject({ domain: "shop.example.com", type: "vhost", vhost_type: "name", ip_address: "*", php: "php-fpm", pm: "dynamic", active: "y", subdomain: "www", suexec: "y", allow_override: "All" });
        expect([s.pm_max_children, s.pm_start_servers, s.pm_min_spare_servers, s.pm_max_spare_servers, s.log_retention].map(Number)).toEqual([8, 2, 1, 4, 14]);
        // What the panel computes comes back as outputs.
        expect(w.outs.documentRoot).toBe(`/var/www/clients/client${clientId}/web${w.id}`);
        expect(w.outs.systemUser).toBe(`web${w.id}`);
        expect(w.outs.systemGroup).toBe(`client${clientId}`);
        expect(w.outs.clientId).toBe(clientId);
        const gid = Number(await p.raw.call("client_get_groupid", clientId));
        expect(Number(s.sys_groupid)).toBe(gid);

        expect((await read(webDomain.provider, w.id, w.outs)).outs).toMatchObject(w.outs);

        const all = {
            domain: "shop.example.com", clientId, ipAddress: "192.0.2.80", subdomain: "*", php: "fast-cgi", serverPhpId: 0, pm: "ondemand",
            pmMaxChildren: 20, pmStartServers: 3, pmMinSpareServers: 2, pmMaxSpareServers: 6, pmProcessIdleTimeout: 30, pmMaxRequests: 500,
            hdQuota: 2048, trafficQuota: 10000, suexec: false, errordocs: false, allowOverride: "None", httpPort: 8080, httpsPort: 8443,
            ssl: true, sslLetsencrypt: true, rewriteToHttps: true, statsType: "goaccess", logRetention: 60, active: false,
        };
        const u = await update(webDomain.provider, w.id, w, all);
        const s2 = site(w.id);
        expect(s2).toMatchObject({ ip_address: "192.0.2.80", subdomain: "*", php: "fast-cgi", pm: "ondemand", suexec: "n", allow_override: "None", ssl: "y", ssl_letsencrypt: "y", rewrite_to_https: "y", stats_type: "goaccess", active: "n" });
        expect([s2.pm_max_children, s2.pm_process_idle_timeout, s2.pm_max_requests, s2.hd_quota, s2.traffic_quota, s2.errordocs, s2.http_port, s2.https_port, s2.log_retention].map(Number))
            .toEqual([20, 30, 500, 2048, 10000, 0, 8080, 8443, 60]);
        expect(Number(s2.sys_groupid)).toBe(gid); // ownership unchanged by the update
        const r = await read(webDomain.provider, w.id, u.outs);
        expect(r.outs).toMatchObject(all);

        // A new domain name is an in-place update (the site keeps its files); a server change replaces.
        const renamed = await checked(webDomain.provider, { ...all, domain: "shop2.example.com" }, u.inputs);
        expect((await webDomain.provider.diff!(w.id, r.outs, renamed)).replaces ?? []).toEqual([]);
        const moved = await checked(webDomain.provider, { ...all, serverId: 2 }, u.inputs);
        const d = await webDomain.provider.diff!(w.id, r.outs, moved);
        expect(d.replaces).toEqual(["serverId"]);
        expect(d.deleteBeforeReplace).toBe(true);

        await webDomain.provider.delete!(w.id, r.outs);
        expect(p.emu.table("web_domain").some((x) => String(x.domain_id) === w.id)).toBe(false);
        await webDomain.provider.delete!(w.id, r.outs); // idempotent
        expect((await read(webDomain.provider, w.id, r.outs)).id).toBe("");
    });

    it("columns it does not manage keep the panel's value: cgi and a PHP-FPM setting made in the panel survive an update and an adopt", async () => {
        const w = await create(webDomain.provider, { domain: "ui-edits.example.com", hdQuota: 100 });
        const live = () => p.emu.panel.tables.web_domain.find((r) => String(r.domain_id) === w.id)!;
        // An admin ticks CGI and tunes pm.max_children in the panel's UI (neither is declared).
        Object.assign(live(), { cgi: "y", pm_max_children: 33 });
        await update(webDomain.provider, w.id, w, { domain: "ui-edits.example.com", hdQuota: 200 });
        expect(site(w.id).cgi).toBe("y");
        expect(Number(site(w.id).hd_quota)).toBe(200);
        expect(Number(site(w.id).pm_max_children)).toBe(33);
        // The same site adopted by another stack that declares only its domain and quota.
        const adopted = await create(webDomain.provider, { domain: "ui-edits.example.com", hdQuota: 300, adopt: true });
        expect(adopted.id).toBe(w.id);
        expect(site(w.id).cgi).toBe("y");
        expect(Number(site(w.id).hd_quota)).toBe(300);
        expect(Number(site(w.id).pm_max_children)).toBe(33);
    });

    it("keeps pm_* and log_retention on an unrelated update (the panel would reset them to 1 and 30)", async () => {
        const w = await create(webDomain.provider, { domain: "keep.example.com", pm: "dynamic", pmMaxChildren: 12, pmStartServers: 3, pmMinSpareServers: 2, pmMaxSpareServers: 6, logRetention: 90 });
        await update(webDomain.provider, w.id, w, { domain: "keep.example.com", pm: "dynamic", pmMaxChildren: 12, pmStartServers: 3, pmMinSpareServers: 2, pmMaxSpareServers: 6, logRetention: 90, hdQuota: 512 });
        const s = site(w.id);
        expect(Number(s.hd_quota)).toBe(512);
        expect([s.pm_max_children, s.pm_start_servers, s.pm_min_spare_servers, s.pm_max_spare_servers, s.log_retention].map(Number)).toEqual([12, 3, 2, 6, 90]);
        expect(Number(s.sys_userid)).toBe(1);
        expect(Number(s.sys_groupid)).toBe(1);
    });

    it("refuses a clientId change before any call (the API would half re-own the site), and the documented way out works", async () => {
        const w = await create(webDomain.provider, { domain: "owned.example.com", clientId: 0 });
        const before = p.emu.calls.length;
        const next = await checked(webDomain.provider, { domain: "owned.example.com", clientId }, w.inputs);
        await expect(webDomain.provider.diff!(w.id, w.outs, next)).rejects.toThrow(/Move it in the panel.*run `pulumi refresh`/);
        expect(p.emu.calls.length).toBe(before);
        // The way out: the site is moved in the panel's UI (row, document root and group together)…
        const gid = Number(await p.raw.call("client_get_groupid", clientId));
        const s = p.emu.panel.tables.web_domain.find((r) => String(r.domain_id) === w.id)!;
        Object.assign(s, { sys_groupid: gid, document_root: `/var/www/clients/client${clientId}/web${w.id}`, system_group: `client${clientId}` });
        // …refresh reads the new owner and hands it back as the input…
        const refreshed = await webDomain.provider.read!(w.id, w.outs);
        expect(refreshed.props).toMatchObject({ clientId, systemGroup: `client${clientId}` });
        expect(refreshed.inputs).toMatchObject({ clientId });
        // …and the program declaring that owner has nothing left to do.
        expect((await webDomain.provider.diff!(w.id, refreshed.props, next)).changes).toBe(false);
    });

    it("an existing site: clear error without adopt, taken over with adopt", async () => {
        await p.raw.call("sites_web_domain_add", 0, { server_id: 1, domain: "exists.example.com", hd_quota: -1, traffic_quota: -1, allow_override: "All", pm_process_idle_timeout: 10, pm_max_requests: 0, http_port: 80, https_port: 443, active: "y" });
        await expect(create(webDomain.provider, { domain: "exists.example.com" })).rejects.toThrow(/already exists.*adopt: true/);
        const w = await create(webDomain.provider, { domain: "exists.example.com", adopt: true, php: "php-fpm" });
        expect(site(w.id)).toMatchObject({ php: "php-fpm", type: "vhost" });
        expect(p.emu.table("web_domain").filter((x) => x.domain === "exists.example.com").length).toBe(1);
    });

    it("costs add + get to create, get + update to update, one get to read, one delete", async () => {
        await create(webDomain.provider, { domain: "warm.example.com" }); // owner lookups cached
        const c = await countCalls(p, () => create(webDomain.provider, { domain: "calls.example.com" }));
        expect(c.calls).toEqual(["sites_web_domain_add", "sites_web_domain_get"]);
        const w = c.result;
        const u = await countCalls(p, () => update(webDomain.provider, w.id, w, { domain: "calls.example.com", hdQuota: 100 }));
        expect(u.calls).toEqual(["sites_web_domain_get", "sites_web_domain_update"]);
        const r = await countCalls(p, () => read(webDomain.provider, w.id, u.result.outs));
        expect(r.calls).toEqual(["sites_web_domain_get"]);
        const d = await countCalls(p, () => webDomain.provider.delete!(w.id, u.result.outs));
        expect(d.calls).toEqual(["sites_web_domain_delete"]);
    });
});
