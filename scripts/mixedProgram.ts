/*
 * A program of every resource type at a chosen size, for the fault suite and the benchmark:
 * K customers × (zone, 3 records, site, mail domain, 2 mailboxes) = 8K resources, plus
 * `extraRecords` A records per zone. Config (project "faults"): pw0/pw1 (secret), ttl0, quota0.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ispconfig from "../provider";

export const MAILBOX_PASSWORDS = ["Mb0x-Secret-One!", "Mb0x-Secret-Two#"];

export function program(customers: number, extraRecords = 0) {
    return async () => {
        const cfg = new pulumi.Config();
        for (let i = 0; i < customers; i++) {
            // Only the first customer's settings are configurable: the update scenarios change
            // them and check that the other customers' records stay exactly as they were.
            const ttl = i === 0 ? cfg.getNumber("ttl0") ?? 3600 : 3600;
            const quota = i === 0 ? cfg.getNumber("quota0") ?? 100 : 100;
            const domain = `c${i}.faults.example`;
            const zone = new ispconfig.DnsZone(`zone${i}`, { origin: domain, ns: "ns1.example.net", mbox: `hostmaster@${domain}`, ttl });
            for (const [n, name] of ["@", "www", "mail"].entries()) new ispconfig.ARecord(`rec${i}-${n}`, { zoneId: zone.id, name, address: `192.0.2.${10 + n}`, ttl });
            for (let r = 0; r < extraRecords; r++) new ispconfig.ARecord(`extra${i}-${r}`, { zoneId: zone.id, name: `h${r}`, address: `10.0.${i}.${r % 250}`, ttl });
            new ispconfig.WebDomain(`site${i}`, { domain, hdQuota: quota * 10 });
            const md = new ispconfig.MailDomain(`mail${i}`, { domain });
            for (const [b, pw] of MAILBOX_PASSWORDS.entries()) {
                new ispconfig.Mailbox(`box${i}-${b}`, { email: pulumi.interpolate`u${b}@${md.domain}`, password: cfg.requireSecret(`pw${b}`), quota });
            }
        }
        return {};
    };
}

