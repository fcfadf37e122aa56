/**
 * pulumi-ispconfig: manage an ISPConfig 3 panel (websites, DNS zones and records, mail
 * domains and mailboxes) from a Pulumi program, through the panel's remote SOAP API.
 *
 * Connection settings come from the stack's config (`ispconfig:endpoint`, `ispconfig:username`,
 * `ispconfig:password` — set it with `--secret` — and optional `ispconfig:insecure`,
 * `ispconfig:caFile`, `ispconfig:clientId`, `ispconfig:serverId`) or the matching
 * `ISPCONFIG_*` environment variables.
 */
export { DnsZone, DnsZoneArgs } from "./resources/dnsZone";
export { ARecord, ARecordArgs } from "./resources/aRecord";
export { DnsRecord, DnsRecordArgs } from "./resources/dnsRecord";
export { DnsZoneRecords, DnsZoneRecordsArgs, ZoneRecordArgs } from "./resources/dnsZoneRecords";
export { getDnsZone, getDnsZoneOutput, getDnsRecords, getDnsRecordsOutput } from "./lookups";
export type { GetDnsZoneArgs, GetDnsZoneResult, GetDnsRecordsArgs, DnsRecordInfo } from "./lookups";
export { WebDomain, WebDomainArgs } from "./resources/webDomain";
export { MailDomain, MailDomainArgs } from "./resources/mailDomain";
export { Mailbox, MailboxArgs } from "./resources/mailbox";
export {
    ISPConfigError,
    AuthError,
    PermissionError,
    NotFoundError,
    ValidationError,
    TransportError,
    FaultError,
    InputError,
} from "./soap/errors";
export { ConfigError } from "./connection";
