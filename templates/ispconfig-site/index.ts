import * as pulumi from "@pulumi/pulumi";
import * as ispconfig from "pulumi-ispconfig";

// One hosting customer: the DNS zone with A records for the domain and www, a PHP-FPM website,
// and a mail domain with one mailbox. Each stack (dev, prod, …) is one panel and customer:
// `pulumi config set domain …` per stack; the panel connection is the stack's ispconfig:* config.
const config = new pulumi.Config();
const domain = config.require("domain");
const webIp = config.require("webIp");

const zone = new ispconfig.DnsZone("zone", {
    origin: domain,
    ns: `ns1.${domain}`,
    mbox: `hostmaster@${domain}`,
});
new ispconfig.ARecord("apex", { zoneId: zone.id, name: "@", address: webIp });
new ispconfig.ARecord("www", { zoneId: zone.id, name: "www", address: webIp });

const site = new ispconfig.WebDomain("site", { domain, php: "php-fpm", hdQuota: 5120 });

const mail = new ispconfig.MailDomain("mail", { domain });
// The address is built from the mail domain's output, so a new domain replaces the mailbox first.
const info = new ispconfig.Mailbox("info", {
    email: pulumi.interpolate`info@${mail.domain}`,
    password: config.requireSecret("infoPassword"),
    quota: 1024,
});

export const zoneId = zone.id;
export const documentRoot = site.documentRoot;
export const mailbox = info.email;
