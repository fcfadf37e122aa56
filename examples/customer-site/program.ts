import * as pulumi from "@pulumi/pulumi";
import * as ispconfig from "pulumi-ispconfig";

/*
 * One hosting customer: the DNS zone with the usual A records, a PHP-FPM website, a mail domain
 * and two mailboxes whose passwords come from the stack's secret config. Run it per environment
 * (stack): `pulumi stack select dev` / `prod` carry their own endpoint, domain and server.
 *
 * A function, so the same program runs from the CLI (index.ts) and as an Automation API inline
 * program (the demo and the end-to-end tests).
 */
export function customerSite() {
    const cfg = new pulumi.Config();
    const domain = cfg.require("domain");
    const webIp = cfg.require("webIp");
    const mailIp = cfg.get("mailIp") ?? webIp;
    const mailboxQuotaMb = cfg.getNumber("mailboxQuotaMb") ?? 1024;

    const zone = new ispconfig.DnsZone("zone", {
        origin: domain,
        ns: cfg.get("nameserver") ?? `ns1.${domain}`,
        mbox: `hostmaster@${domain}`,
        ttl: 3600,
    });

    const records = {
        apex: new ispconfig.ARecord("apex", { zoneId: zone.id, name: "@", address: webIp }),
        www: new ispconfig.ARecord("www", { zoneId: zone.id, name: "www", address: webIp }),
        mail: new ispconfig.ARecord("mail", { zoneId: zone.id, name: "mail", address: mailIp }),
    };

    const site = new ispconfig.WebDomain("site", {
        domain,
        php: "php-fpm",
        pm: "dynamic",
        pmMaxChildren: 10,
        pmStartServers: 2,
        pmMinSpareServers: 1,
        pmMaxSpareServers: 4,
        hdQuota: cfg.getNumber("siteQuotaMb") ?? 5120,
    });

    const mailDomain = new ispconfig.MailDomain("mail-domain", { domain });

    const info = new ispconfig.Mailbox("info", {
        // From the mail domain's output, not the plain string: then a domain change renames the
        // mail domain first (its mailboxes move with it) and each mailbox after it.
        email: pulumi.interpolate`info@${mailDomain.domain}`,
        name: "Info",
        password: cfg.requireSecret("infoPassword"),
        quota: mailboxQuotaMb,
    });

    const admin = new ispconfig.Mailbox("admin", {
        email: pulumi.interpolate`admin@${mailDomain.domain}`,
        name: "Administrator",
        password: cfg.requireSecret("adminPassword"),
        quota: cfg.getNumber("adminQuotaMb") ?? mailboxQuotaMb,
    });

    const zoneId = zone.id;
    const zoneSerial = zone.serial;
    const recordNames = pulumi.all([records.apex.fqdn, records.www.fqdn, records.mail.fqdn]);
    const documentRoot = site.documentRoot;
    const systemUser = site.systemUser;
    const mailboxes = pulumi.all([info.email, admin.email]);
    const maildirs = pulumi.all([info.maildir, admin.maildir]);

    return { zoneId, zoneSerial, recordNames, documentRoot, systemUser, mailboxes, maildirs };
}
