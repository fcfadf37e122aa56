import * as api from "../api";
import { ISPConfigError } from "../soap/errors";
import { adoptField, ArgsOf, columns, Declaration, defineResource, Fields, OutputsOf } from "./kit";
import { ownerField } from "./owner";
import { addOrRecover, isUniquenessFault } from "./recover";
import { forgetMailDomain } from "./mailDomainFacts";
import { bool, clientIdRule, domainName, serverIdRule } from "./validate";

/** The inputs of a {@link MailDomain}; each is also an output, as stored. */
const fields = {
    /** The mail domain, e.g. `example.com` (lower-cased; punycode for IDNs). A change renames the domain in place and moves its mailboxes (address, maildir) with it, as the panel's UI does. */
    domain: { rule: domainName(), required: true, column: "domain" },
    /** Mail server (Server → Servers id). Default at create: `ispconfig:serverId` (1). Changing it replaces the domain. */
    serverId: { rule: serverIdRule, default: (d) => d.serverId, replaces: true, column: "server_id" },
    /** Owning client id; 0 = admin. Default at create: `ispconfig:clientId` (0); left out, the panel's owner is kept. A change re-owns the domain and its mailboxes in place, as the panel's UI does (the admin, 0, included). */
    clientId: ownerField(clientIdRule),
    /** Whether mail for the domain is accepted. Default true. */
    active: { rule: bool(), default: true, column: "active" },
    /**
     * What `delete` does with mailboxes of the domain that Pulumi does not manage (made in the
     * panel). false (default): refuse, naming them, so no mail is lost by surprise. true: delete
     * them with the domain, as the panel's UI does.
     */
    deleteMailboxes: { rule: bool(), default: false, inputOnly: true },
    /** Take over a mail domain with the same name that already exists in the panel instead of failing (the import path). Default false. */
    adopt: adoptField,
} satisfies Fields<api.MailDomainRow>;

const computed = {};

const decl: Declaration<api.MailDomainRow> = {
    type: "MailDomain", idOutput: "domainId",
    deleteBeforeReplace: true, // the new domain on another server cannot share the name with the old one
    fields,

    async create(ctx, inputs, declared) {
        const c = ctx.caller();
        let id: number;
        try {
            ({ id } = await addOrRecover(
                () => api.addMailDomain(c, inputs.clientId, columns(decl, inputs)),
                async () => (await api.findMailDomainByName(c, inputs.domain))?.domain_id,
            ));
        } catch (e) {
            if (!isUniquenessFault(e)) throw e;
            // The panel's own uniqueness check found it: take it over only when asked to.
            const existing = inputs.adopt ? await api.findMailDomainByName(c, inputs.domain) : undefined;
            if (!existing) {
                throw new ISPConfigError(
                    `Mail domain ${inputs.domain} already exists in the panel. Set \`adopt: true\` on this MailDomain to take it over, ` +
                        "or remove it from the panel.",
                );
            }
            // Only what the program declares is written; the rest (and the owner, unless declared) stays.
            await api.updateMailDomain(c, existing.domain_id, columns(decl, declared));
            if (declared.clientId !== undefined) {
                const owner = (await api.ownerOfGroup(c, existing.sys_groupid, declared.clientId)) ?? -1;
                if (owner !== declared.clientId) await api.reownMailDomain(c, existing.domain_id, declared.clientId);
            }
            const row = await api.getMailDomain(c, existing.domain_id);
            if (!row) throw new ISPConfigError(`mail domain ${inputs.domain} vanished while it was being adopted`);
            return { id: row.domain_id, row };
        }
        // The panel stores the domain as sent (plus a dkim selector we do not manage): no read-back.
        return { id };
    },

    async update(ctx, id, news, olds, changed) {
        const c = ctx.caller();
        forgetMailDomain(c, olds.domain);
        forgetMailDomain(c, news.domain ?? olds.domain);
        let clientId = olds.clientId;
        if (changed.includes("clientId")) {
            // Before the rename: the panel's own cascade moves the domain's mailboxes, forwards and
            // aliases with it (it looks them up by the stored name).
            await api.reownMailDomain(c, id, news.clientId);
            clientId = news.clientId;
        }
        if (changed.some((k) => decl.fields[k].column)) await api.updateMailDomain(c, id, columns(decl, news));
        // The UI renames a domain in place and moves its mailboxes with it (mail_domain_edit.php):
        // the mail stays, where delete + create would lose it. The panel's mail domain plugin does
        // it on the update above; what it left at the old name (an older panel) is moved here.
        if (changed.includes("domain")) await api.renameMailDomainMailboxes(c, olds.domain, news.domain);
        return { outs: { clientId } };
    },

    /**
     * The API's mail_domain_delete leaves the domain's mailboxes behind (the UI deletes them).
     * Mailboxes managed by Pulumi are gone already (they depend on the domain); any left were
     * made in the panel and hold mail, so they are only deleted when `deleteMailboxes` says so.
     */
    async delete(ctx, domainId, props) {
        const c = ctx.caller();
        forgetMailDomain(c, props.domain);
        const leftovers = await api.listMailUsersOfDomain(c, props.domain);
        if (leftovers.length > 0) {
            const row = await api.getMailDomain(c, domainId);
            if (!row) return; // already gone (its orphans are not ours to judge): idempotent
            if (!props.deleteMailboxes) {
                const list = leftovers.slice(0, 10).map((m) => m.email).join(", ") + (leftovers.length > 10 ? ", …" : "");
                throw new ISPConfigError(
                    `Mail domain ${row.domain} still has ${leftovers.length} mailbox(es) not managed by this stack: ${list}. ` +
                        "Deleting the domain would orphan them. Delete or move them in the panel, or set `deleteMailboxes: true` " +
                        "on the MailDomain (run `pulumi up` to record it) to delete them with the domain.",
                );
            }
            for (const m of leftovers) await api.deleteMailUser(c, m.mailuser_id);
        }
        // 0 = already gone: deleting is idempotent.
        await api.deleteMailDomain(c, domainId);
    },

    get: (c, id) => api.getMailDomain(c, id),
};

/** Inputs of a {@link MailDomain}. */
export type MailDomainArgs = ArgsOf<typeof fields>;
/** Outputs of a {@link MailDomain}: every input as stored, the computed outputs, and `domainId` (the panel id as a number). */
export type MailDomainOutputs = OutputsOf<typeof fields, typeof computed, "domainId">;

/** The operations, the provider object (serialized into state; holds no credential) and the class. */
export const mailDomain = defineResource<MailDomainArgs, MailDomainOutputs>(decl);

/**
 * A mail domain (Email → Domain) in ISPConfig. Replaces on: `domain`, `serverId`,
 * `clientId` → 0. Deleting it refuses while unmanaged mailboxes remain, unless `deleteMailboxes`.
 */
export const MailDomain = mailDomain.Resource;
export type MailDomain = InstanceType<typeof MailDomain>;
