import * as api from "../api";
import { ISPConfigError } from "../soap/errors";
import { adoptField, ArgsOf, columns, Declaration, defineResource, Fields, OutputsOf } from "./kit";
import { ownerField } from "./owner";
import { addOrRecover, followUpOrUndo, isUniquenessFault } from "./recover";
import { isUnknown } from "./unknown";
import { bool, clientIdRule, domainName, int, ipv4, oneOf, serverIdRule, str } from "./validate";

const flag = (column: "suexec" | "ssl" | "ssl_letsencrypt" | "rewrite_to_https" | "active") => ({ rule: bool(), column });

/** Outputs computed from the stored row (not inputs). */
const computed = {
    /** Computed by the panel, e.g. `/var/www/clients/client1/web2`. */
    documentRoot: (r: api.WebDomainRow) => r.document_root,
    /** The site's Unix user, e.g. `web2`. */
    systemUser: (r: api.WebDomainRow) => r.system_user,
    /** The site's Unix group, e.g. `client1`. */
    systemGroup: (r: api.WebDomainRow) => r.system_group,
};

/** The inputs of a {@link WebDomain}; each is also an output, as stored. */
const fields = {
    /** The site's domain, e.g. `example.com` (lower-cased; punycode for IDNs). Can be changed in place. */
    domain: { rule: domainName(), required: true, column: "domain" },
    /** Web server (Server → Servers id). Default at create: `ispconfig:serverId` (1). Changing it replaces the site — its files go with the old one. */
    serverId: { rule: serverIdRule, default: (d) => d.serverId, replaces: true, column: "server_id" },
    /**
     * Owning client id; 0 = admin. Default at create: `ispconfig:clientId` (0); left out, the
     * panel's owner is kept. The API cannot move a site (it would leave the document root under
     * the old client, fact sheet §6.4): move it in the panel's UI, `pulumi refresh`, then declare
     * the new owner.
     */
    clientId: ownerField(clientIdRule),
    /** IPv4 the vhost listens on; `*` for all. Default `*`. */
    ipAddress: { rule: (v, n) => (v === "*" ? "*" : ipv4()(v, n)), default: "*", column: "ip_address" },
    /** Auto-subdomain: `www`, `*` (wildcard) or `` (none). Default `www`. */
    subdomain: { rule: oneOf(["www", "*", ""] as const), default: "www", column: "subdomain" },
    /** PHP mode: `php-fpm`, `fast-cgi`, `mod` or `no`. Default `php-fpm`. */
    php: { rule: oneOf(["php-fpm", "fast-cgi", "mod", "no"] as const), default: "php-fpm", column: "php" },
    /** Additional PHP version id (System → Additional PHP Versions); 0 = the server's default PHP. Default 0. */
    serverPhpId: { rule: int(0, 2147483647), default: 0, column: "server_php_id" },
    /** PHP-FPM process manager: `ondemand`, `dynamic` or `static`. Default `ondemand`. */
    pm: { rule: oneOf(["ondemand", "dynamic", "static"] as const), default: "ondemand", column: "pm" },
    /** PHP-FPM pm.max_children, ≥ 1. Default 10. */
    pmMaxChildren: { rule: int(1, 10000), default: 10, column: "pm_max_children" },
    /** PHP-FPM pm.start_servers (dynamic only), ≥ 1. Default 2. */
    pmStartServers: { rule: int(1, 10000), default: 2, column: "pm_start_servers" },
    /** PHP-FPM pm.min_spare_servers (dynamic only), ≥ 1. Default 1. */
    pmMinSpareServers: { rule: int(1, 10000), default: 1, column: "pm_min_spare_servers" },
    /** PHP-FPM pm.max_spare_servers (dynamic only), ≥ 1. Default 5. */
    pmMaxSpareServers: { rule: int(1, 10000), default: 5, column: "pm_max_spare_servers" },
    /** PHP-FPM pm.process_idle_timeout in seconds (ondemand), ≥ 1. Default 10. */
    pmProcessIdleTimeout: { rule: int(1, 86400, "seconds"), default: 10, column: "pm_process_idle_timeout" },
    /** PHP-FPM pm.max_requests; 0 = unlimited. Default 0. */
    pmMaxRequests: { rule: int(0, 2147483647), default: 0, column: "pm_max_requests" },
    /** Disk quota in MB; -1 = unlimited. Default -1. */
    hdQuota: { rule: int(-1, 2147483647, "MB, -1 = unlimited"), default: -1, column: "hd_quota" },
    /** Monthly traffic quota in MB; -1 = unlimited. Default -1. */
    trafficQuota: { rule: int(-1, 2147483647, "MB, -1 = unlimited"), default: -1, column: "traffic_quota" },
    /** Run CGI/PHP as the site's own user (SuEXEC). Default true. */
    suexec: { ...flag("suexec"), default: true },
    // An int column, unlike the other checkboxes.
    /** Use the panel's custom error documents. Default true. */
    errordocs: { rule: bool(), default: true, column: "errordocs", write: (v) => (v ? 1 : 0), read: (r) => Number(r.errordocs) === 1 },
    /** Apache AllowOverride, e.g. `All` or `None`. Default `All`. */
    allowOverride: { rule: str({ maxLength: 255 }), default: "All", column: "allow_override" },
    /** HTTP port, 1–65535. Default 80. */
    httpPort: { rule: int(1, 65535), default: 80, column: "http_port" },
    /** HTTPS port, 1–65535. Default 443. */
    httpsPort: { rule: int(1, 65535), default: 443, column: "https_port" },
    /** Enable TLS for the site. Default false. */
    ssl: { ...flag("ssl"), default: false },
    /** Get a Let's Encrypt certificate (needs `ssl`). Default false. */
    sslLetsencrypt: { ...flag("ssl_letsencrypt"), default: false },
    /** Redirect HTTP to HTTPS (needs `ssl`). Default false. */
    rewriteToHttps: { ...flag("rewrite_to_https"), default: false },
    /** Web statistics: `awstats`, `webalizer`, `goaccess` or `` (none). Default `awstats`. */
    statsType: { rule: oneOf(["awstats", "webalizer", "goaccess", ""] as const), default: "awstats", column: "stats_type" },
    /** Days to keep the site's log files, 1–1000. Default 30. */
    logRetention: { rule: int(1, 1000, "days"), default: 30, column: "log_retention" },
    /** Whether the site is served. Default true. */
    active: { ...flag("active"), default: true },
    /** Take over a site with the same domain that already exists in the panel instead of failing (the import path). Default false. */
    adopt: adoptField,
} satisfies Fields<api.WebDomainRow>;

const decl: Declaration<api.WebDomainRow> = {
    type: "WebDomain", idOutput: "domainId",
    deleteBeforeReplace: true, // the panel refuses a second site with the same domain
    fields, computed,

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

    get: (c, id) => api.getWebDomain(c, id),
};

/**
 * What the panel's UI stores for a new plain website in the columns this resource does not
 * manage (the API applies no defaults, §7). Sent on create only: an update never touches them,
 * so a `cgi` switched on in the panel stays on.
 */
const UI_NEW_SITE: api.Write<api.WebDomainRow> = {
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

/** Inputs of a {@link WebDomain}. */
export type WebDomainArgs = ArgsOf<typeof fields>;
/** Outputs of a {@link WebDomain}: every input as stored, the computed outputs, and `domainId` (the panel id as a number). */
export type WebDomainOutputs = OutputsOf<typeof fields, typeof computed, "domainId">;

/** The operations, the provider object (serialized into state; holds no credential) and the class. */
export const webDomain = defineResource<WebDomainArgs, WebDomainOutputs>(decl);

/**
 * A website (Sites → Website) in ISPConfig. Replaces on: `serverId`. `clientId` cannot change.
 * Updates send the full PHP-FPM and log settings, so an unrelated change never resets them.
 */
export const WebDomain = webDomain.Resource;
export type WebDomain = InstanceType<typeof WebDomain>;
