import * as pulumi from "@pulumi/pulumi";
import * as api from "../api";
import { ISPConfigError } from "../soap/errors";
import { diffFields, DiffSpec } from "./diff";
import { OpsContext, ResourceOps, panelId } from "./ops";
import { makeProvider } from "./providerShim";
import { addOrRecover, followUpOrUndo, isUniquenessFault } from "./recover";
import { isUnknown } from "./unknown";
import { InputChecker, bool, clientIdRule, domainName, int, ipv4, oneOf, serverIdRule, str } from "./validate";

/** Inputs of a {@link WebDomain} (a website, "Sites → Website" in the panel). */
export interface WebDomainArgs {
    /** The site's domain, e.g. `example.com` (lower-cased; punycode for IDNs). Can be changed in place. */
    domain: pulumi.Input<string>;
    /** Web server (Server → Servers id). Default `ispconfig:serverId` (1). Changing it replaces the site — its files go with the old one. */
    serverId?: pulumi.Input<number>;
    /**
     * Owning client id; 0 = admin. Default `ispconfig:clientId` (0). Cannot change after create:
     * the API would re-own the row but leave the document root under the old client (half
     * re-owned, fact sheet §6.4) — move a site with the panel's UI instead.
     */
    clientId?: pulumi.Input<number>;
    /** IPv4 the vhost listens on; `*` for all. Default `*`. */
    ipAddress?: pulumi.Input<string>;
    /** Auto-subdomain: `www`, `*` (wildcard) or `` (none). Default `www`. */
    subdomain?: pulumi.Input<string>;
    /** PHP mode: `php-fpm`, `fast-cgi`, `mod` or `no`. Default `php-fpm`. */
    php?: pulumi.Input<string>;
    /** Additional PHP version id (System → Additional PHP Versions); 0 = the server's default PHP. Default 0. */
    serverPhpId?: pulumi.Input<number>;
    /** PHP-FPM process manager: `ondemand`, `dynamic` or `static`. Default `ondemand`. */
    pm?: pulumi.Input<string>;
    /** PHP-FPM pm.max_children, ≥ 1. Default 10. */
    pmMaxChildren?: pulumi.Input<number>;
    /** PHP-FPM pm.start_servers (dynamic only), ≥ 1. Default 2. */
    pmStartServers?: pulumi.Input<number>;
    /** PHP-FPM pm.min_spare_servers (dynamic only), ≥ 1. Default 1. */
    pmMinSpareServers?: pulumi.Input<number>;
    /** PHP-FPM pm.max_spare_servers (dynamic only), ≥ 1. Default 5. */
    pmMaxSpareServers?: pulumi.Input<number>;
    /** PHP-FPM pm.process_idle_timeout in seconds (ondemand), ≥ 1. Default 10. */
    pmProcessIdleTimeout?: pulumi.Input<number>;
    /** PHP-FPM pm.max_requests; 0 = unlimited. Default 0. */
    pmMaxRequests?: pulumi.Input<number>;
    /** Disk quota in MB; -1 = unlimited. Default -1. */
    hdQuota?: pulumi.Input<number>;
    /** Monthly traffic quota in MB; -1 = unlimited. Default -1. */
    trafficQuota?: pulumi.Input<number>;
    /** Run CGI/PHP as the site's own user (SuEXEC). Default true. */
    suexec?: pulumi.Input<boolean>;
    /** Use the panel's custom error documents. Default true. */
    errordocs?: pulumi.Input<boolean>;
    /** Apache AllowOverride, e.g. `All` or `None`. Default `All`. */
    allowOverride?: pulumi.Input<string>;
    /** HTTP port, 1–65535. Default 80. */
    httpPort?: pulumi.Input<number>;
    /** HTTPS port, 1–65535. Default 443. */
    httpsPort?: pulumi.Input<number>;
    /** Enable TLS for the site. Default false. */
    ssl?: pulumi.Input<boolean>;
    /** Get a Let's Encrypt certificate (needs `ssl`). Default false. */
    sslLetsencrypt?: pulumi.Input<boolean>;
    /** Redirect HTTP to HTTPS (needs `ssl`). Default false. */
    rewriteToHttps?: pulumi.Input<boolean>;
    /** Web statistics: `awstats`, `webalizer`, `goaccess` or `` (none). Default `awstats`. */
    statsType?: pulumi.Input<string>;
    /** Days to keep the site's log files, 1–1000. Default 30. */
    logRetention?: pulumi.Input<number>;
    /** Whether the site is served. Default true. */
    active?: pulumi.Input<boolean>;
    /** Take over a site with the same domain that already exists in the panel instead of failing (the import path). Default false. */
    adopt?: pulumi.Input<boolean>;
}

/** Input name → web_domain column, for every field the resource owns. */
const COLUMNS: Record<string, string> = {
    domain: "domain",
    ipAddress: "ip_address",
    subdomain: "subdomain",
    php: "php",
    serverPhpId: "server_php_id",
    pm: "pm",
    pmMaxChildren: "pm_max_children",
    pmStartServers: "pm_start_servers",
    pmMinSpareServers: "pm_min_spare_servers",
    pmMaxSpareServers: "pm_max_spare_servers",
    pmProcessIdleTimeout: "pm_process_idle_timeout",
    pmMaxRequests: "pm_max_requests",
    hdQuota: "hd_quota",
    trafficQuota: "traffic_quota",
    suexec: "suexec",
    errordocs: "errordocs",
    allowOverride: "allow_override",
    httpPort: "http_port",
    httpsPort: "https_port",
    ssl: "ssl",
    sslLetsencrypt: "ssl_letsencrypt",
    rewriteToHttps: "rewrite_to_https",
    statsType: "stats_type",
    logRetention: "log_retention",
    active: "active",
};

const DIFF: DiffSpec = {
    update: Object.keys(COLUMNS),
    replace: ["serverId"],
    deleteBeforeReplace: true, // the panel refuses a second site with the same domain
};

function toPanel(i: Record<string, any>): Record<string, unknown> {
    const p: Record<string, unknown> = {
        server_id: i.serverId,
        // What the UI sends for a plain website; the panel applies no defaults (§7).
        type: "vhost",
        vhost_type: "name",
        parent_domain_id: 0,
        cgi: false,
        ssi: false,
        ruby: false,
        python: false,
        perl: false,
        traffic_quota_lock: false,
    };
    for (const [input, column] of Object.entries(COLUMNS)) p[column] = i[input];
    p.errordocs = i.errordocs ? 1 : 0; // an int column, unlike the other checkboxes
    return p;
}

async function outputsOf(ctx: OpsContext, row: api.WebDomainRow, inputs: Record<string, any>) {
    const out: Record<string, unknown> = {};
    for (const [input, column] of Object.entries(COLUMNS)) out[input] = row[column];
    out.errordocs = Number(row.errordocs) === 1;
    out.serverId = row.server_id;
    const owner = await api.ownerOfGroup(ctx.caller(), row.sys_groupid, inputs.clientId);
    out.clientId = owner ?? -1;
    out.adopt = inputs.adopt ?? false;
    out.domainId = row.domain_id;
    out.documentRoot = row.document_root;
    out.systemUser = row.system_user;
    out.systemGroup = row.system_group;
    return out;
}

export const webDomainOps: ResourceOps = {
    async check(ctx, olds, news) {
        const d = ctx.defaults();
        const c = new InputChecker(news);
        c.field("domain", domainName(), { required: true });
        c.field("serverId", serverIdRule, { default: d.serverId });
        c.field("clientId", clientIdRule, { default: d.clientId });
        c.field("ipAddress", (v, n) => (v === "*" ? "*" : ipv4()(v, n)), { default: "*" });
        c.field("subdomain", oneOf(["www", "*", ""] as const), { default: "www" });
        c.field("php", oneOf(["php-fpm", "fast-cgi", "mod", "no"] as const), { default: "php-fpm" });
        c.field("serverPhpId", int(0, 2147483647), { default: 0 });
        c.field("pm", oneOf(["ondemand", "dynamic", "static"] as const), { default: "ondemand" });
        c.field("pmMaxChildren", int(1, 10000), { default: 10 });
        c.field("pmStartServers", int(1, 10000), { default: 2 });
        c.field("pmMinSpareServers", int(1, 10000), { default: 1 });
        c.field("pmMaxSpareServers", int(1, 10000), { default: 5 });
        c.field("pmProcessIdleTimeout", int(1, 86400, "seconds"), { default: 10 });
        c.field("pmMaxRequests", int(0, 2147483647), { default: 0 });
        c.field("hdQuota", int(-1, 2147483647, "MB, -1 = unlimited"), { default: -1 });
        c.field("trafficQuota", int(-1, 2147483647, "MB, -1 = unlimited"), { default: -1 });
        c.field("suexec", bool(), { default: true });
        c.field("errordocs", bool(), { default: true });
        c.field("allowOverride", str({ maxLength: 255 }), { default: "All" });
        c.field("httpPort", int(1, 65535), { default: 80 });
        c.field("httpsPort", int(1, 65535), { default: 443 });
        c.field("ssl", bool(), { default: false });
        c.field("sslLetsencrypt", bool(), { default: false });
        c.field("rewriteToHttps", bool(), { default: false });
        c.field("statsType", oneOf(["awstats", "webalizer", "goaccess", ""] as const), { default: "awstats" });
        c.field("logRetention", int(1, 1000, "days"), { default: 30 });
        c.field("active", bool(), { default: true });
        c.field("adopt", bool(), { default: false });

        const o = c.out as Record<string, any>;
        const known = (...k: string[]) => k.every((f) => o[f] !== undefined && !isUnknown(o[f]));
        if (known("pm", "pmMaxChildren", "pmStartServers", "pmMinSpareServers", "pmMaxSpareServers") && o.pm === "dynamic") {
            // The limits PHP-FPM itself enforces; the panel would write a pool that fails to start.
            if (o.pmMinSpareServers > o.pmMaxSpareServers) c.fail("pmMinSpareServers", "`pmMinSpareServers` must not exceed `pmMaxSpareServers`");
            if (o.pmStartServers < o.pmMinSpareServers || o.pmStartServers > o.pmMaxSpareServers) {
                c.fail("pmStartServers", "`pmStartServers` must lie between `pmMinSpareServers` and `pmMaxSpareServers` for pm = dynamic");
            }
            if (o.pmMaxSpareServers > o.pmMaxChildren) c.fail("pmMaxSpareServers", "`pmMaxSpareServers` must not exceed `pmMaxChildren`");
        }
        if (known("ssl", "sslLetsencrypt") && o.sslLetsencrypt && !o.ssl) c.fail("sslLetsencrypt", "`sslLetsencrypt` needs `ssl: true`");
        if (known("ssl", "rewriteToHttps") && o.rewriteToHttps && !o.ssl) c.fail("rewriteToHttps", "`rewriteToHttps` needs `ssl: true`");
        if (olds && olds.clientId !== undefined && known("clientId") && !isUnknown(olds.clientId) && olds.clientId !== o.clientId) {
            c.fail(
                "clientId",
                `\`clientId\` cannot change from ${olds.clientId} to ${o.clientId} on an existing site: the API would leave its ` +
                    "document root and system group with the old client. Move the site in the panel (Sites → Website → Client), " +
                    "then set `clientId` to match and run `pulumi refresh`.",
            );
        }
        return { inputs: c.out, failures: c.failures };
    },

    async diff(_ctx, _id, olds, news) {
        const r = diffFields(olds, news, DIFF);
        return { changes: r.changes, replaces: r.replaces, deleteBeforeReplace: r.deleteBeforeReplace };
    },

    async create(ctx, inputs) {
        const c = ctx.caller();
        if (inputs.adopt) {
            const existing = await api.findWebDomainByName(c, inputs.domain);
            if (existing) {
                const row = await api.updateWebDomain(c, existing.domain_id, toPanel(inputs), api.KEEP_OWNER);
                return { id: String(existing.domain_id), outs: await outputsOf(ctx, row, inputs) };
            }
        }
        let id: number;
        try {
            ({ id } = await addOrRecover(
                () => api.addWebDomain(c, inputs.clientId, toPanel(inputs)),
                async () => (await api.findWebDomainByName(c, inputs.domain))?.domain_id,
            ));
        } catch (e) {
            if (isUniquenessFault(e)) {
                throw new ISPConfigError(
                    `A website ${inputs.domain} already exists in the panel. Set \`adopt: true\` on this WebDomain to take it over, ` +
                        "or remove it from the panel.",
                );
            }
            throw e;
        }
        // The panel computes the document root and system user/group: read them back.
        return followUpOrUndo(
            async () => {
                const row = await api.getWebDomain(c, id);
                if (!row) throw new ISPConfigError(`website ${inputs.domain} (id ${id}) vanished right after it was created`);
                return { id: String(id), outs: await outputsOf(ctx, row, inputs) };
            },
            () => api.deleteWebDomain(c, id),
        );
    },

    async read(ctx, id, props) {
        const row = await api.getWebDomain(ctx.caller(), panelId(id));
        if (!row) return { id: "", props: {} };
        return { id, props: await outputsOf(ctx, row, props) };
    },

    async update(ctx, id, _olds, news) {
        // Read, merge, write: the panel resets pm_* and log_retention unless they are sent.
        const row = await api.updateWebDomain(ctx.caller(), panelId(id), toPanel(news), api.KEEP_OWNER);
        return { outs: await outputsOf(ctx, row, news) };
    },

    async delete(ctx, id) {
        // 0 (already gone) is success: deleting is idempotent.
        await api.deleteWebDomain(ctx.caller(), panelId(id));
    },
};

/**
 * A website (Sites → Website) in ISPConfig. Replaces on: `serverId`. `clientId` cannot change.
 * Updates send the full PHP-FPM and log settings, so an unrelated change never resets them.
 */
export class WebDomain extends pulumi.dynamic.Resource {
    /** Panel id of the site (same as `id`, as a number). */
    public readonly domainId!: pulumi.Output<number>;
    /** The site's domain as stored (lower case, no trailing dot). */
    public readonly domain!: pulumi.Output<string>;
    /** Computed by the panel, e.g. `/var/www/clients/client1/web2`. */
    public readonly documentRoot!: pulumi.Output<string>;
    /** The site's Unix user, e.g. `web2`. */
    public readonly systemUser!: pulumi.Output<string>;
    /** The site's Unix group, e.g. `client1`. */
    public readonly systemGroup!: pulumi.Output<string>;
    /** The web server the site lives on. */
    public readonly serverId!: pulumi.Output<number>;
    /** The client that owns the site (0 = admin). */
    public readonly clientId!: pulumi.Output<number>;
    /** Whether the site is enabled. */
    public readonly active!: pulumi.Output<boolean>;

    constructor(name: string, args: WebDomainArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            webDomainProvider,
            name,
            { domainId: undefined, documentRoot: undefined, systemUser: undefined, systemGroup: undefined, ...args },
            opts,
            "ispconfig",
            "WebDomain",
        );
    }
}

/** The module-level provider object for WebDomain (serialized into state; holds no credential). */
export const webDomainProvider = makeProvider("webDomain");
