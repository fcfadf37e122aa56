import * as pulumi from "@pulumi/pulumi";
import * as api from "../api";
import { ISPConfigError } from "../soap/errors";
import { Declaration, adoptField, columns, makeProvider, ops, resourceArgs } from "./kit";
import { ownerField } from "./owner";
import { addOrRecover, followUpOrUndo, isUniquenessFault } from "./recover";
import { isUnknown } from "./unknown";
import { bool, clientIdRule, domainName, int, ipv4, oneOf, serverIdRule, str } from "./validate";

/** Inputs of a {@link WebDomain} (a website, "Sites → Website" in the panel). */
export interface WebDomainArgs {
    /** The site's domain, e.g. `example.com` (lower-cased; punycode for IDNs). Can be changed in place. */
    domain: pulumi.Input<string>;
    /** Web server (Server → Servers id). Default at create: `ispconfig:serverId` (1). Changing it replaces the site — its files go with the old one. */
    serverId?: pulumi.Input<number>;
    /**
     * Owning client id; 0 = admin. Default at create: `ispconfig:clientId` (0); left out, the
     * panel's owner is kept. The API cannot move a site (it would leave the document root under
     * the old client, fact sheet §6.4): move it in the panel's UI, `pulumi refresh`, then declare
     * the new owner.
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

/** Outputs of a {@link WebDomain}. */
export interface WebDomainOutputs {
    /** Panel id of the site (same as `id`, as a number). */
    readonly domainId: pulumi.Output<number>;
    /** The site's domain as stored (lower case, no trailing dot). */
    readonly domain: pulumi.Output<string>;
    /** Computed by the panel, e.g. `/var/www/clients/client1/web2`. */
    readonly documentRoot: pulumi.Output<string>;
    /** The site's Unix user, e.g. `web2`. */
    readonly systemUser: pulumi.Output<string>;
    /** The site's Unix group, e.g. `client1`. */
    readonly systemGroup: pulumi.Output<string>;
    /** The web server the site lives on. */
    readonly serverId: pulumi.Output<number>;
    /** The client that owns the site (0 = admin, -1 = a group that belongs to no client). */
    readonly clientId: pulumi.Output<number>;
    /** IPv4 the vhost listens on, or `*`. */
    readonly ipAddress: pulumi.Output<string>;
    /** PHP mode as stored. */
    readonly php: pulumi.Output<string>;
    /** PHP-FPM process manager as stored. */
    readonly pm: pulumi.Output<string>;
    /** Disk quota in MB (-1 = unlimited), as stored. */
    readonly hdQuota: pulumi.Output<number>;
    /** Monthly traffic quota in MB (-1 = unlimited), as stored. */
    readonly trafficQuota: pulumi.Output<number>;
    /** Whether TLS is enabled. */
    readonly ssl: pulumi.Output<boolean>;
    /** Whether the site is enabled. */
    readonly active: pulumi.Output<boolean>;
}

const flag = (column: string) => ({ rule: bool(), column });

const decl: Declaration<api.WebDomainRow> = {
    kind: "webDomain",
    type: "WebDomain",
    idOutput: "domainId",
    deleteBeforeReplace: true, // the panel refuses a second site with the same domain
    fields: {
        domain: { rule: domainName(), required: true, column: "domain" },
        serverId: { rule: serverIdRule, default: (d) => d.serverId, replaces: true, column: "server_id" },
        clientId: ownerField(clientIdRule),
        ipAddress: { rule: (v, n) => (v === "*" ? "*" : ipv4()(v, n)), default: "*", column: "ip_address" },
        subdomain: { rule: oneOf(["www", "*", ""] as const), default: "www", column: "subdomain" },
        php: { rule: oneOf(["php-fpm", "fast-cgi", "mod", "no"] as const), default: "php-fpm", column: "php" },
        serverPhpId: { rule: int(0, 2147483647), default: 0, column: "server_php_id" },
        pm: { rule: oneOf(["ondemand", "dynamic", "static"] as const), default: "ondemand", column: "pm" },
        pmMaxChildren: { rule: int(1, 10000), default: 10, column: "pm_max_children" },
        pmStartServers: { rule: int(1, 10000), default: 2, column: "pm_start_servers" },
        pmMinSpareServers: { rule: int(1, 10000), default: 1, column: "pm_min_spare_servers" },
        pmMaxSpareServers: { rule: int(1, 10000), default: 5, column: "pm_max_spare_servers" },
        pmProcessIdleTimeout: { rule: int(1, 86400, "seconds"), default: 10, column: "pm_process_idle_timeout" },
        pmMaxRequests: { rule: int(0, 2147483647), default: 0, column: "pm_max_requests" },
        hdQuota: { rule: int(-1, 2147483647, "MB, -1 = unlimited"), default: -1, column: "hd_quota" },
        trafficQuota: { rule: int(-1, 2147483647, "MB, -1 = unlimited"), default: -1, column: "traffic_quota" },
        suexec: { ...flag("suexec"), default: true },
        // An int column, unlike the other checkboxes.
        errordocs: { rule: bool(), default: true, column: "errordocs", write: (v) => (v ? 1 : 0), read: (r) => Number(r.errordocs) === 1 },
        allowOverride: { rule: str({ maxLength: 255 }), default: "All", column: "allow_override" },
        httpPort: { rule: int(1, 65535), default: 80, column: "http_port" },
        httpsPort: { rule: int(1, 65535), default: 443, column: "https_port" },
        ssl: { ...flag("ssl"), default: false },
        sslLetsencrypt: { ...flag("ssl_letsencrypt"), default: false },
        rewriteToHttps: { ...flag("rewrite_to_https"), default: false },
        statsType: { rule: oneOf(["awstats", "webalizer", "goaccess", ""] as const), default: "awstats", column: "stats_type" },
        logRetention: { rule: int(1, 1000, "days"), default: 30, column: "log_retention" },
        active: { ...flag("active"), default: true },
        adopt: adoptField,
    },
    computed: {
        documentRoot: (r) => r.document_root,
        systemUser: (r) => r.system_user,
        systemGroup: (r) => r.system_group,
    },

    checkMore(_declared, o, fail) {
        const known = (...k: string[]) => k.every((f) => o[f] !== undefined && !isUnknown(o[f]));
        if (known("pm", "pmMaxChildren", "pmStartServers", "pmMinSpareServers", "pmMaxSpareServers") && o.pm === "dynamic") {
            // The limits PHP-FPM itself enforces; the panel would write a pool that fails to start.
            if (o.pmMinSpareServers > o.pmMaxSpareServers) fail("pmMinSpareServers", "`pmMinSpareServers` must not exceed `pmMaxSpareServers`");
            if (o.pmStartServers < o.pmMinSpareServers || o.pmStartServers > o.pmMaxSpareServers) {
                fail("pmStartServers", "`pmStartServers` must lie between `pmMinSpareServers` and `pmMaxSpareServers` for pm = dynamic");
            }
            if (o.pmMaxSpareServers > o.pmMaxChildren) fail("pmMaxSpareServers", "`pmMaxSpareServers` must not exceed `pmMaxChildren`");
        }
        if (known("ssl", "sslLetsencrypt") && o.sslLetsencrypt && !o.ssl) fail("sslLetsencrypt", "`sslLetsencrypt` needs `ssl: true`");
        if (known("ssl", "rewriteToHttps") && o.rewriteToHttps && !o.ssl) fail("rewriteToHttps", "`rewriteToHttps` needs `ssl: true`");
    },

    diffMore(olds, news, changed) {
        if (changed.includes("clientId")) throw new ISPConfigError(siteMoveRefused(olds.clientId, news.clientId));
    },

    get: (c, id) => api.getWebDomain(c, id),

    async create(ctx, inputs, declared) {
        const c = ctx.caller();
        if (inputs.adopt) {
            const existing = await api.findWebDomainByName(c, inputs.domain);
            if (existing) {
                const owner = (await api.ownerOfGroup(c, existing.sys_groupid, declared.clientId)) ?? -1;
                if (declared.clientId !== undefined && owner !== declared.clientId) throw new ISPConfigError(siteMoveRefused(owner, declared.clientId));
                // Only what the program declares is written; the rest stays as the panel has it,
                // except an empty site type left by an older tool (the server job skips such a site).
                const repair = { type: existing.type || UI_NEW_SITE.type, vhost_type: existing.vhost_type || UI_NEW_SITE.vhost_type };
                return { id: existing.domain_id, row: await api.updateWebDomain(c, existing.domain_id, { ...repair, ...columns(decl, declared) }, api.KEEP_OWNER) };
            }
        }
        let id: number;
        try {
            ({ id } = await addOrRecover(
                () => api.addWebDomain(c, inputs.clientId, { ...UI_NEW_SITE, ...columns(decl, inputs) }),
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
                return { id, row };
            },
            () => api.deleteWebDomain(c, id),
        );
    },

    async update(ctx, id, news) {
        // Only declared columns are sent; the API layer carries the pm_* values the panel would reset.
        return { row: await api.updateWebDomain(ctx.caller(), id, columns(decl, news), api.KEEP_OWNER) };
    },

    async delete(ctx, id) {
        // 0 (already gone) is success: deleting is idempotent.
        await api.deleteWebDomain(ctx.caller(), id);
    },
};

/**
 * What the panel's UI stores for a new plain website in the columns this resource does not
 * manage (the API applies no defaults, §7). Sent on create only: an update never touches them,
 * so a `cgi` switched on in the panel stays on.
 */
const UI_NEW_SITE = {
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

/**
 * `sites_web_domain_update` with a client id re-owns the row but leaves the document root and
 * system group with the old client (§6.4): a half-moved site. The panel's UI moves it whole.
 */
function siteMoveRefused(from: number, to: number): string {
    return (
        `WebDomain: \`clientId\` ${to} is declared, but the site belongs to ${from === -1 ? "a group of no client" : `client ${from}`} in the panel. ` +
        "The API cannot move a site to another client (it would leave the document root and system group with the old one). " +
        "Move it in the panel (Sites → Website → Client), run `pulumi refresh`, and declare the client it now has " +
        `(or leave \`clientId\` out to keep whatever owner the panel has). Nothing was changed.`
    );
}

export const webDomainOps = ops(decl);
export const webDomainDeclaration = decl;

/** The module-level provider object for WebDomain (serialized into state; holds no credential). */
export const webDomainProvider = makeProvider("webDomain");

/**
 * A website (Sites → Website) in ISPConfig. Replaces on: `serverId`. `clientId` cannot change.
 * Updates send the full PHP-FPM and log settings, so an unrelated change never resets them.
 */
export class WebDomain extends pulumi.dynamic.Resource {
    constructor(name: string, args: WebDomainArgs, opts?: pulumi.CustomResourceOptions) {
        super(...resourceArgs(decl, webDomainProvider, name, args, opts));
    }
}
export interface WebDomain extends WebDomainOutputs {}
