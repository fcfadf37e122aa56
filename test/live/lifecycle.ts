/*
 * The live suite: every resource kind through the real Pulumi CLI against a real ISPConfig
 * panel (ISPCONFIG_LIVE_*, see config.ts), checked through the panel's own *_get answers.
 *
 *   up → preview (no change, no POST) → in-place update → replace → drift made in the panel,
 *   refresh, up repairs it → destroy after records were deleted and added behind its back
 *
 * With `--create-only` (the strict sql_mode run in CI): up, preview, destroy.
 *
 * The provider talks to the panel through a counting proxy on loopback (proxy.ts), which is
 * how "no POST" and the calls per step are measured. Everything is made under
 * *.pulumi-ispconfig-test.invalid; the run refuses to start if such objects exist (unless
 * ISPCONFIG_LIVE_CLEAN=1) and removes what it made, also after a failure. Runs as plain
 * Node (compiled), as the engine needs ordinary CommonJS to serialize the providers.
 *
 * A new resource kind joins by: a resource in `program` (named under TEST_DOMAIN), a change in
 * each step's spec, its checks after each step, its table prefix in `kindOf`, and its objects
 * in sweep.ts; its API calls go into sequence.ts for the differential test.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { ARecord, DnsRecord, DnsZone, MailDomain, Mailbox, WebDomain } from "../../provider";
import * as api from "../../provider/api";
import { createSession } from "../../provider/soap/session";
import { prepareWorkspace } from "../../scripts/workspace";
import { LiveConfig, TEST_DOMAIN, liveConfig } from "./config";
import { startCountingProxy } from "./proxy";
import { count, describeLeftovers, ensureNoLeftovers, findLeftovers, sweep } from "./sweep";

const KINDS = ["DnsZone", "ARecord", "DnsRecord", "WebDomain", "MailDomain", "Mailbox", "session/other"] as const;
const MAILBOX_PW = "L1ve-Mailbox-Secret!";
const MB = 1048576;

/** The panel table a call works on, named by the resource kind that owns the table. */
function kindOf(method: string): (typeof KINDS)[number] {
    if (method.startsWith("dns_zone_")) return "DnsZone";
    if (method.startsWith("dns_a_") || method.startsWith("dns_rr_")) return "ARecord";
    if (method.startsWith("dns_")) return "DnsRecord";
    if (method.startsWith("sites_web_domain_")) return "WebDomain";
    if (method.startsWith("mail_domain_")) return "MailDomain";
    if (method.startsWith("mail_user_")) return "Mailbox";
    return "session/other";
}

/** What the program declares; the steps change it between runs. */
interface Spec {
    zone: string;
    zoneTtl: number;
    address: string;
    recordTtl: number;
    site: string;
    hdQuota: number;
    mail: string;
    mailActive: boolean;
    mxPriority: number;
    quotaMb: number;
}

function program(spec: Spec, cfg: LiveConfig) {
    return async () => {
        const pw = new pulumi.Config().requireSecret("mailboxPassword");
        const owner = { clientId: cfg.clientId, serverId: cfg.serverId };
        const zone = new DnsZone("zone", { origin: spec.zone, ns: `ns1.${spec.zone}`, mbox: `hostmaster@${spec.zone}`, ttl: spec.zoneTtl, ...owner });
        const rec = new ARecord("www", { zoneId: zone.id, name: "www", address: spec.address, ttl: spec.recordTtl });
        // `@` is stored as the UI stores it: the zone's origin.
        const apex = new ARecord("apex", { zoneId: zone.id, name: "@", address: "192.0.2.20" });
        // A DnsRecord of another type: the zone's MX, its target built from the zone's name.
        const mx = new DnsRecord("mx", { zoneId: zone.id, type: "MX", name: "@", target: `mail.${spec.zone}`, priority: spec.mxPriority });
        const site = new WebDomain("site", {
            domain: spec.site, php: "php-fpm", pm: "dynamic", pmMaxChildren: 12, pmStartServers: 3, pmMinSpareServers: 2, pmMaxSpareServers: 6,
            hdQuota: spec.hdQuota, logRetention: 14, ...owner,
        });
        const md = new MailDomain("mail", { domain: spec.mail, active: spec.mailActive, ...owner });
        const box = new Mailbox("info", { email: pulumi.interpolate`info@${md.domain}`, password: pw, name: "Info", quota: spec.quotaMb });
        return { zoneId: zone.id, recordId: rec.id, apexId: apex.id, mxId: mx.id, siteId: site.id, mailDomainId: md.id, mailboxId: box.id, siteUrn: site.urn, zoneUrn: zone.urn };
    };
}

interface StepRow {
    step: string;
    seconds: number;
    calls: Record<string, number>;
    total: number;
}

/** The workspace of the running lifecycle (for removal when the run is interrupted). */
export const activeWorkspace: { dir?: string } = {};

export interface LifecycleResult {
    passed: number;
    failed: number;
    failures: string[];
    steps: StepRow[];
}

export async function runLifecycle(cfg: LiveConfig, opts: { createOnly?: boolean; label?: string } = {}): Promise<LifecycleResult> {
    const label = opts.label ?? `live (${cfg.sqlMode} sql_mode${opts.createOnly ? ", create path" : ""})`;
    const failures: string[] = [];
    let passed = 0;
    const check = (step: string, what: string, ok: boolean, detail: unknown = "") => {
        if (ok) passed++;
        else failures.push(`${step}: ${what}${detail === "" ? "" : ` (got ${JSON.stringify(detail)})`}`);
    };
    const direct = createSession({ endpoint: cfg.endpoint, username: cfg.username, password: cfg.password, insecure: cfg.insecure, caFile: cfg.caFile });
    const get = async (method: string, id: unknown) => (await direct.call(method, id as number)) as Record<string, any> | null;
    const steps: StepRow[] = [];
    await ensureNoLeftovers(direct, cfg.clean, label);

    const proxy = await startCountingProxy(cfg.endpoint, { insecure: cfg.insecure, caFile: cfg.caFile });
    const spec: Spec = {
        zone: `live.${TEST_DOMAIN}`, zoneTtl: 3600, address: "192.0.2.10", recordTtl: 3600,
        site: `www.live.${TEST_DOMAIN}`, hdQuota: 1000, mail: `mail.live.${TEST_DOMAIN}`, mailActive: true, quotaMb: 512, mxPriority: 10,
    };
    const ws = await prepareWorkspace();
    activeWorkspace.dir = ws.dir;
    let stack: Stack | undefined;
    const clientGroup = Number(await direct.call("client_get_groupid", cfg.clientId));

    const step = async <T>(name: string, fn: () => Promise<T>): Promise<T | undefined> => {
        const before = proxy.methods.length;
        const t0 = Date.now();
        let r: T | undefined;
        try {
            r = await fn();
        } catch (e: any) {
            check(name, `the step ran without an error: ${String(e?.message ?? e).slice(0, 1500)}`, false);
        }
        const made = proxy.methods.slice(before);
        const calls: Record<string, number> = Object.fromEntries(KINDS.map((k) => [k, 0]));
        for (const m of made) calls[kindOf(m)]++;
        steps.push({ step: name, seconds: (Date.now() - t0) / 1000, calls, total: made.length });
        process.stdout.write(`${label}: ${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s, ${made.length} calls\n`);
        return r;
    };
    /** Changes made in the panel behind Pulumi's back (not through the proxy: not counted). */
    const behindPulumi = async (name: string, fn: () => Promise<void>) => {
        try {
            await fn();
        } catch (e: any) {
            check(name, `the panel-side change ran: ${String(e?.message ?? e).slice(0, 500)}`, false);
        }
    };
    const outputs = async () => Object.fromEntries(Object.entries(await stack!.outputs()).map(([k, v]) => [k, v.value])) as Record<string, any>;
    const summary = (r: { summary: { resourceChanges?: Record<string, number> } }) => r.summary.resourceChanges ?? {};

    try {
        stack = await LocalWorkspace.createOrSelectStack(
            { stackName: `live-${cfg.sqlMode}`, projectName: "live", program: program(spec, cfg) },
            { workDir: ws.project, pulumiCommand: ws.cli, envVars: ws.envVars },
        );
        await stack.setAllConfig({
            "ispconfig:endpoint": { value: proxy.url },
            "ispconfig:username": { value: cfg.username },
            "ispconfig:password": { value: cfg.password, secret: true },
            "ispconfig:clientId": { value: String(cfg.clientId) },
            "ispconfig:serverId": { value: String(cfg.serverId) },
            "live:mailboxPassword": { value: MAILBOX_PW, secret: true },
        });

        // ---- 1. up ---------------------------------------------------------------------
        await step("up", async () => {
            const r = await stack!.up();
            check("up", "creates the six kinds (seven resources)", summary(r).create === 8, summary(r));
        });
        let o = await outputs();
        const created = { ...o };
        const layout = await api.mailServerConfig(direct, cfg.serverId);
        const zoneRow = await get("dns_zone_get", o.zoneId);
        check("up", "DnsZone: origin, ns and mbox stored with trailing dots", zoneRow?.origin === `${spec.zone}.` && zoneRow?.ns === `ns1.${spec.zone}.` && zoneRow?.mbox === `hostmaster.${spec.zone}.`, zoneRow && [zoneRow.origin, zoneRow.ns, zoneRow.mbox]);
        check("up", "DnsZone: owned by the configured client", Number(zoneRow?.sys_groupid) === clientGroup, zoneRow?.sys_groupid);
        check("up", "DnsZone: active, serial YYYYMMDDnn moved by the record add", zoneRow?.active === "Y" && /^\d{10}$/.test(String(zoneRow?.serial)) && Number(zoneRow?.serial) % 100 >= 2, zoneRow && [zoneRow.active, zoneRow.serial]);
        const recRow = await get("dns_a_get", o.recordId);
        check("up", "ARecord: type column 'A' (not the API's empty type), name and data as declared", recRow?.type === "A" && recRow?.name === "www" && recRow?.data === spec.address, recRow && [recRow.type, recRow.name, recRow.data]);
        check("up", "ARecord: in the zone, owned as the zone, active", Number(recRow?.zone) === Number(o.zoneId) && Number(recRow?.sys_groupid) === Number(zoneRow?.sys_groupid) && recRow?.active === "Y", recRow && [recRow.zone, recRow.sys_groupid, recRow.active]);
        const apexRow = await get("dns_a_get", o.apexId);
        check("up", "ARecord '@': stored as the zone's origin with its dot, as the UI stores it", apexRow?.name === `${spec.zone}.` && apexRow?.type === "A", apexRow && [apexRow.name, apexRow.type]);
        const mxRow = await get("dns_mx_get", o.mxId);
        check("up", "DnsRecord MX: type MX, name the origin, target with its dot, priority in aux (as the UI stores them)", mxRow?.type === "MX" && mxRow?.name === `${spec.zone}.` && mxRow?.data === `mail.${spec.zone}.` && mxRow?.aux === "10" && Number(mxRow?.sys_groupid) === Number(zoneRow?.sys_groupid), mxRow && [mxRow.type, mxRow.name, mxRow.data, mxRow.aux]);
        const siteRow = await get("sites_web_domain_get", o.siteId);
        // The server's own template (ISPConfig's default is /var/www/clients/client[client_id]/web[website_id]).
        const webConfig = (await direct.call("server_get", cfg.serverId, "web").catch(() => ({}))) as Record<string, any>;
        const docroot = String(webConfig?.website_path || "/var/www/clients/client[client_id]/web[website_id]")
            .replace(/\[client_id\]/g, String(cfg.clientId)).replace(/\[website_id\]/g, String(o.siteId));
        check("up", "WebDomain: document root (the server's website_path), system user and group of the client", siteRow?.document_root === docroot && siteRow?.system_user === `web${o.siteId}` && siteRow?.system_group === `client${cfg.clientId}`, siteRow && [siteRow.document_root, siteRow.system_user, siteRow.system_group]);
        check("up", "WebDomain: PHP-FPM pm_* as declared, log retention, active", siteRow?.php === "php-fpm" && siteRow?.pm === "dynamic" && [siteRow?.pm_max_children, siteRow?.pm_start_servers, siteRow?.pm_min_spare_servers, siteRow?.pm_max_spare_servers].join() === "12,3,2,6" && siteRow?.log_retention === "14" && siteRow?.active === "y", siteRow && [siteRow.php, siteRow.pm, siteRow.pm_max_children, siteRow.pm_start_servers, siteRow.pm_min_spare_servers, siteRow.pm_max_spare_servers, siteRow.log_retention]);
        check("up", "WebDomain: type vhost, owned by the client", siteRow?.type === "vhost" && Number(siteRow?.sys_groupid) === clientGroup, siteRow && [siteRow.type, siteRow.sys_groupid]);
        const mdRow = await get("mail_domain_get", o.mailDomainId);
        check("up", "MailDomain: stored, active, owned by the client, on the server", mdRow?.domain === spec.mail && mdRow?.active === "y" && Number(mdRow?.sys_groupid) === clientGroup && Number(mdRow?.server_id) === cfg.serverId, mdRow && [mdRow.domain, mdRow.active, mdRow.sys_groupid]);
        const mbRow = await get("mail_user_get", o.mailboxId);
        check("up", "Mailbox: maildir and homedir laid out from the server's mail config", mbRow?.maildir === api.mailboxPath(layout.maildirPath, spec.mail, "info") && mbRow?.homedir === layout.homedirPath && Number(mbRow?.uid) === layout.uid && Number(mbRow?.gid) === layout.gid, mbRow && [mbRow.maildir, mbRow.homedir, mbRow.uid, mbRow.gid]);
        check("up", "Mailbox: quota stored in bytes, login = address, can receive (postfix y)", Number(mbRow?.quota) === spec.quotaMb * MB && mbRow?.login === `info@${spec.mail}` && mbRow?.postfix === "y", mbRow && [mbRow.quota, mbRow.login, mbRow.postfix]);
        check("up", "Mailbox: the UI's purge and backup values (strict sql_mode needs them), owned as its domain", mbRow?.purge_trash_days === "0" && mbRow?.purge_junk_days === "0" && mbRow?.backup_interval === "none" && Number(mbRow?.sys_groupid) === Number(mdRow?.sys_groupid), mbRow && [mbRow.purge_trash_days, mbRow.purge_junk_days, mbRow.backup_interval, mbRow.sys_groupid]);
        const hash = String(mbRow?.password ?? "");
        const stateText = () => {
            const texts: string[] = [];
            const walk = (d: string) => { for (const f of fs.readdirSync(d)) { const p = path.join(d, f); if (fs.statSync(p).isDirectory()) walk(p); else texts.push(fs.readFileSync(p, "utf8")); } };
            walk(ws.stateDir);
            return texts.join("\n");
        };
        const st = stateText();
        check("up", "state holds neither the panel password, the mailbox password nor its hash", !st.includes(cfg.password) && !st.includes(MAILBOX_PW) && (hash === "" || !st.includes(hash)));

        // ---- 2. preview ----------------------------------------------------------------
        await step("preview", async () => {
            const before = proxy.methods.length;
            const r = await stack!.preview();
            check("preview", "shows no change", JSON.stringify(r.changeSummary) === JSON.stringify({ same: 8 }), r.changeSummary);
            check("preview", "sends no POST to the panel", proxy.methods.length === before, proxy.methods.slice(before));
        });

        if (!opts.createOnly) {
            // ---- 3. update in place ------------------------------------------------------
            const serialBefore = Number((await get("dns_zone_get", o.zoneId))?.serial);
            Object.assign(spec, { zoneTtl: 7200, recordTtl: 600, address: "192.0.2.11", hdQuota: 2000, mailActive: false, quotaMb: 1024, mxPriority: 20 });
            await step("update", async () => {
                const r = await stack!.up();
                check("update", "updates the six in place, leaves the unchanged record alone", summary(r).update === 6 && summary(r).same === 2 && !summary(r).replace, summary(r));
            });
            o = await outputs();
            check("update", "ids unchanged", o.zoneId === created.zoneId && o.recordId === created.recordId && o.siteId === created.siteId && o.mailDomainId === created.mailDomainId && o.mailboxId === created.mailboxId);
            const z2 = await get("dns_zone_get", o.zoneId);
            check("update", "DnsZone: ttl changed, serial moved, owner kept", z2?.ttl === "7200" && Number(z2?.serial) > serialBefore && Number(z2?.sys_groupid) === clientGroup, z2 && [z2.ttl, z2.serial, z2.sys_groupid]);
            const r2 = await get("dns_a_get", o.recordId);
            check("update", "ARecord: address and ttl changed, type still A, owner kept", r2?.data === "192.0.2.11" && r2?.ttl === "600" && r2?.type === "A" && Number(r2?.sys_groupid) === clientGroup, r2 && [r2.data, r2.ttl, r2.type, r2.sys_groupid]);
            const s2 = await get("sites_web_domain_get", o.siteId);
            check("update", "WebDomain: quota changed, pm_* and log retention NOT reset by the update, owner kept", s2?.hd_quota === "2000" && [s2?.pm_max_children, s2?.pm_start_servers, s2?.pm_min_spare_servers, s2?.pm_max_spare_servers].join() === "12,3,2,6" && s2?.log_retention === "14" && Number(s2?.sys_groupid) === clientGroup, s2 && [s2.hd_quota, s2.pm_max_children, s2.pm_start_servers, s2.pm_min_spare_servers, s2.pm_max_spare_servers, s2.log_retention]);
            const m2 = await get("mail_domain_get", o.mailDomainId);
            check("update", "MailDomain: inactive, owner kept", m2?.active === "n" && Number(m2?.sys_groupid) === clientGroup, m2 && [m2.active, m2.sys_groupid]);
            const b2 = await get("mail_user_get", o.mailboxId);
            const x2 = await get("dns_mx_get", o.mxId);
            check("update", "DnsRecord MX: priority changed in place (same id), type still MX, serial moved", o.mxId === created.mxId && x2?.aux === "20" && x2?.type === "MX", x2 && [x2.aux, x2.type]);
            check("update", "Mailbox: quota in bytes, password hash not rotated by an unrelated change", Number(b2?.quota) === 1024 * MB && String(b2?.password) === hash, b2 && [b2.quota]);
            check("update", "Mailbox: address and maildir intact after its domain's update (the panel renames them when the update lacks `domain`)", b2?.email === `info@${spec.mail}` && b2?.maildir === api.mailboxPath(layout.maildirPath, spec.mail, "info"), b2 && [b2.email, b2.maildir]);

            // ---- 4. rename in place --------------------------------------------------------
            // New names for the zone, the site and the mail domain: renamed in place as the UI
            // does (ids kept, nothing replaced, so no record, file or mail is lost).
            Object.assign(spec, { zone: `live2.${TEST_DOMAIN}`, site: `www.live2.${TEST_DOMAIN}`, mail: `mail2.live.${TEST_DOMAIN}` });
            await step("rename", async () => {
                const r = await stack!.up();
                check("rename", "renames zone, site, mail domain and mailbox in place (and the MX target built from the zone), replaces nothing", summary(r).update === 5 && summary(r).same === 3 && !summary(r).replace && !summary(r).delete, summary(r));
            });
            const beforeRename = o;
            o = await outputs();
            check("rename", "ids unchanged", ["zoneId", "recordId", "apexId", "mxId", "siteId", "mailDomainId", "mailboxId"].every((k) => o[k] === beforeRename[k]), o);
            const zr = await get("dns_zone_get", o.zoneId);
            const ar = await get("dns_a_get", o.apexId);
            check("rename", "the zone has its new origin, and the `@` record (stored as the origin) followed it", zr?.origin === `${spec.zone}.` && ar?.name === `${spec.zone}.` && ar?.type === "A", [zr?.origin, ar?.name]);
            const xr = await get("dns_mx_get", o.mxId);
            check("rename", "the MX moved to the new origin and points at the new target", xr?.name === `${spec.zone}.` && xr?.data === `mail.${spec.zone}.`, xr && [xr.name, xr.data]);
            const sr = await get("sites_web_domain_get", o.siteId);
            check("rename", "the site has its new domain, same document root", sr?.domain === spec.site && sr?.document_root === s2?.document_root, sr && [sr.domain, sr.document_root]);
            const br = await get("mail_user_get", o.mailboxId);
            check("rename", "the mailbox moved with its domain: new address and maildir, same mailbox", br?.email === `info@${spec.mail}` && br?.maildir === api.mailboxPath(layout.maildirPath, spec.mail, "info") && String(br?.password) === hash, br && [br.email, br.maildir]);

            // ---- 4b. replace ---------------------------------------------------------------
            await step("replace", async () => {
                // Nothing the program declares replaces on one server: forced, as `pulumi up --replace`.
                const r = await stack!.up({ replace: [String(o.siteUrn), String(o.zoneUrn)] });
                check("replace", "replaces the zone (deleted first), its three records and the site", summary(r).replace === 5, summary(r));
            });
            const before = o;
            o = await outputs();
            check("replace", "the replaced ids are new", ["zoneId", "recordId", "apexId", "mxId", "siteId"].every((k) => o[k] !== before[k]), o);
            check("replace", "the old rows are gone", (await get("dns_zone_get", before.zoneId)) === null && (await get("dns_a_get", before.recordId)) === null && (await get("sites_web_domain_get", before.siteId)) === null);
            const z3 = await get("dns_zone_get", o.zoneId);
            const r3 = await get("dns_a_get", o.recordId);
            check("replace", "the new zone and its record", z3?.origin === `${spec.zone}.` && Number(r3?.zone) === Number(o.zoneId) && r3?.type === "A", [z3?.origin, r3?.zone, r3?.type]);
            const orphans = (await direct.call("dns_rr_get_all_by_zone", Number(before.zoneId))) as unknown[];
            check("replace", "no record left behind in the old zone", Array.isArray(orphans) && orphans.length === 0, orphans);

            // ---- 5. drift made in the panel, refresh, up repairs it ----------------------
            await behindPulumi("drift", async () => {
                await api.updateARecord(direct, Number(o.recordId), { zone: Number(o.zoneId), data: "203.0.113.99" });
                await api.updateDnsZone(direct, Number(o.zoneId), { ttl: 900 });
                await api.updateWebDomain(direct, Number(o.siteId), { hd_quota: 777 });
                await api.updateMailDomain(direct, Number(o.mailDomainId), { active: true });
                await api.updateMailUser(direct, Number(o.mailboxId), { quota: 3 * MB });
                await direct.call("dns_mx_update", 0, Number(o.mxId), { zone: Number(o.zoneId), aux: 99, type: "MX" }, true);
            });
            await step("drift: refresh", async () => {
                const r = await stack!.refresh();
                check("drift: refresh", "refresh sees the six changes made in the panel", summary(r).update === 6, summary(r));
                const out = await stack!.exportStack();
                const state = (name: string) => (out.deployment.resources ?? []).find((x: any) => String(x.urn).endsWith(`::${name}`))?.outputs ?? {};
                const seen = [state("www").address, state("zone").ttl, state("site").hdQuota, state("mail").active, state("info").quota, state("mx").priority];
                check("drift: refresh", "state now holds the panel's values", JSON.stringify(seen) === JSON.stringify(["203.0.113.99", 900, 777, true, 3, 99]), seen);
            });
            await step("drift: up", async () => {
                const r = await stack!.up();
                check("drift: up", "puts the six back as declared", summary(r).update === 6, summary(r));
            });
            const r5 = await get("dns_a_get", o.recordId);
            const z5 = await get("dns_zone_get", o.zoneId);
            const s5 = await get("sites_web_domain_get", o.siteId);
            const m5 = await get("mail_domain_get", o.mailDomainId);
            const b5 = await get("mail_user_get", o.mailboxId);
            const x5 = await get("dns_mx_get", o.mxId);
            check("drift: up", "DnsRecord MX: priority back to the declared 20", x5?.aux === "20", x5?.aux);
            check("drift: up", "the panel holds the declared values again", r5?.data === "192.0.2.11" && z5?.ttl === "7200" && s5?.hd_quota === "2000" && m5?.active === "n" && Number(b5?.quota) === 1024 * MB, [r5?.data, z5?.ttl, s5?.hd_quota, m5?.active, b5?.quota]);
            check("drift: up", "Mailbox: address and maildir intact after the domain was changed in the panel and back", b5?.email === `info@${spec.mail}` && b5?.maildir === api.mailboxPath(layout.maildirPath, spec.mail, "info"), b5 && [b5.email, b5.maildir]);
            check("drift: up", "pm_* still as declared", [s5?.pm_max_children, s5?.pm_start_servers, s5?.pm_min_spare_servers, s5?.pm_max_spare_servers].join() === "12,3,2,6", s5 && [s5.pm_max_children, s5.pm_start_servers]);
        }

        // ---- 6. destroy, after records deleted and added behind Pulumi's back --------------
        if (!opts.createOnly) {
            // Issue 11 #8: the real panel answers a serial-moving delete of a missing record with an HTML page.
            await behindPulumi("destroy", async () => {
                await direct.call("dns_a_delete", Number(o.recordId), true);
                await direct.call("mail_user_delete", Number(o.mailboxId));
                await api.addARecord(direct, api.KEEP_OWNER, { server_id: cfg.serverId, zone: Number(o.zoneId), name: "extra", data: "192.0.2.99", ttl: 3600, active: true });
            });
        }
        await step("destroy", async () => {
            const r = await stack!.destroy();
            check("destroy", "deletes everything", summary(r).delete === 8, summary(r));
        });
        const left = await findLeftovers(direct);
        check("destroy", "nothing of the test domain is left on the panel (the zone's extra record went with it)", count(left) === 0, describeLeftovers(left));
        check("destroy", "the old zone id answers nil", (await get("dns_zone_get", o.zoneId)) === null);
    } catch (e: any) {
        failures.push(`stopped early: ${String(e?.message ?? e).slice(0, 1500)}`);
    } finally {
        // Whatever happened: the panel keeps nothing of ours, and the stack is forgotten.
        try {
            const left = await sweep(direct);
            if (count(left) > 0) process.stdout.write(`${label}: cleanup removed ${describeLeftovers(left)}\n`);
        } catch (e: any) {
            failures.push(`cleanup: ${e?.message ?? e}`);
        }
        await stack?.workspace.removeStack(stack.name, { force: true }).catch(() => undefined);
        await proxy.close();
        await direct.close();
        // The stack's state holds the panel password, encrypted with a throw-away passphrase.
        fs.rmSync(ws.dir, { recursive: true, force: true });
        activeWorkspace.dir = undefined;
    }
    return { passed, failed: failures.length, failures, steps };
}

export function table(label: string, steps: StepRow[]): string {
    const cols = steps.map((s) => s.step);
    const w0 = Math.max(...KINDS.map((k) => k.length), 13);
    const ws = cols.map((c) => Math.max(c.length, 6));
    const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(w0) : c.padStart(ws[i - 1]))).join("  ");
    const rows = [
        `${label}: calls made, by resource kind (the table the call works on) × step`,
        line(["kind", ...cols]),
        ...KINDS.map((k) => line([k, ...steps.map((s) => String(s.calls[k]))])),
        line(["total", ...steps.map((s) => String(s.total))]),
        line(["seconds", ...steps.map((s) => s.seconds.toFixed(1))]),
    ];
    return rows.join("\n") + "\n";
}

if (require.main === module) {
    (async () => {
        const createOnly = process.argv.includes("--create-only");
        const cfg = liveConfig();
        const label = `live (${cfg.sqlMode} sql_mode${createOnly ? ", create path" : ""})`;
        const r = await runLifecycle(cfg, { createOnly, label });
        process.stdout.write(table(label, r.steps));
        for (const f of r.failures) process.stdout.write(`  FAIL ${f}\n`);
        process.stdout.write(`${label}: ${r.passed} passed, ${r.failed} failed\n`);
        process.exit(r.failed ? 1 : 0);
    })().catch((e) => {
        process.stderr.write(`live: ${e?.stack ?? e}\n`);
        process.stdout.write(`live: 0 passed, 1 failed\n`);
        process.exit(1);
    });
}
