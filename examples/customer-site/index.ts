import * as pulumi from "@pulumi/pulumi";
import * as ispconfig from "pulumi-ispconfig";

/*
 * One hosting customer: the DNS zone with the usual A records, a PHP-FPM website, a mail domain
 * and two mailboxes whose passwords come from the stack's secret config. Run it per environment
 * (stack): `pulumi stack select dev` / `prod` carry their own endpoint, domain and server.
 */
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
    email: `info@${domain}`,
    name: "Info",
    password: cfg.requireSecret("infoPassword"),
    quota: mailboxQuotaMb,
}, { dependsOn: mailDomain });

const admin = new ispconfig.Mailbox("admin", {
    email: `admin@${domain}`,
    name: "Administrator",
    password: cfg.requireSecret("adminPassword"),
    quota: cfg.getNumber("adminQuotaMb") ?? mailboxQuotaMb,
}, { dependsOn: mailDomain });

export const zoneId = zone.id;
export const zoneSerial = zone.serial;
export const recordNames = pulumi.all([records.apex.fqdn, records.www.fqdn, records.mail.fqdn]);
export const documentRoot = site.documentRoot;
export const systemUser = site.systemUser;
export const mailboxes = pulumi.all([info.email, admin.email]);
export const maildirs = pulumi.all([info.maildir, admin.maildir]);
