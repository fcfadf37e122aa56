import * as pulumi from "@pulumi/pulumi";
import * as ispconfig from "pulumi-ispconfig";

/*
 * One hosting customer: the DNS zone with what a hoster's zone holds (its NS, A/AAAA for the
 * site, a `www` CNAME, MX, SPF and DMARC, so the mail domain can receive mail), a PHP-FPM
 * website, a mail domain and two mailboxes whose passwords come from the stack's secret config. Run it per environment
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
    const webIpv6 = cfg.get("webIpv6");
    const mailboxQuotaMb = cfg.getNumber("mailboxQuotaMb") ?? 1024;
    const nameserver = cfg.get("nameserver") ?? `ns1.${domain}`;

    const zone = new ispconfig.DnsZone("zone", {
        origin: domain,
        ns: nameserver,
        mbox: `hostmaster@${domain}`,
        ttl: 3600,
    });

    const records = {
        apex: new ispconfig.ARecord("apex", { zoneId: zone.id, name: "@", address: webIp }),
        // www follows the apex (a CNAME may not share its name with any other record).
        www: new ispconfig.DnsRecord("www", { zoneId: zone.id, type: "CNAME", name: "www", target: domain }),
        mail: new ispconfig.ARecord("mail", { zoneId: zone.id, name: "mail", address: mailIp }),
    };
    // A zone without NS records is never loaded by BIND (the SOA's name server is not one);
    // a name server inside the zone needs its address there too.
    new ispconfig.DnsRecord("ns", { zoneId: zone.id, type: "NS", name: "@", target: nameserver });
    if (`${nameserver.replace(/\.$/, "")}.`.endsWith(`.${domain.replace(/\.$/, "")}.`)) {
        const label = nameserver.replace(/\.$/, "").slice(0, -(domain.replace(/\.$/, "").length + 1));
        new ispconfig.ARecord("ns-address", { zoneId: zone.id, name: label, address: cfg.get("nameserverIp") ?? webIp });
    }
    if (webIpv6) new ispconfig.DnsRecord("apex-v6", { zoneId: zone.id, type: "AAAA", name: "@", address: webIpv6 });
    // Mail for the domain goes to mail.<domain>; SPF lets only that host send it; DMARC asks
    // receivers to quarantine what fails and report to postmaster.
    new ispconfig.DnsRecord("mx", { zoneId: zone.id, type: "MX", name: "@", priority: 10, target: `mail.${domain}` });
    new ispconfig.DnsRecord("spf", { zoneId: zone.id, type: "TXT", name: "@", value: "v=spf1 mx -all" });
    new ispconfig.DnsRecord("dmarc", { zoneId: zone.id, type: "TXT", name: "_dmarc", value: `v=DMARC1; p=quarantine; rua=mailto:postmaster@${domain}` });

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
