import * as pulumi from "@pulumi/pulumi";
import * as api from "../api";
import { ISPConfigError } from "../soap/errors";
import { diffFields, DiffSpec } from "./diff";
import { OpsContext, ResourceOps, panelId } from "./ops";
import { makeProvider } from "./providerShim";
import { addOrRecover, isUniquenessFault } from "./recover";
import { forgetMailDomain } from "./mailDomainFacts";
import { InputChecker, bool, clientIdRule, domainName, serverIdRule } from "./validate";

/** Inputs of a {@link MailDomain} (Email → Domain in the panel). */
export interface MailDomainArgs {
    /** The mail domain, e.g. `example.com` (lower-cased; punycode for IDNs). Changing it replaces the domain. */
    domain: pulumi.Input<string>;
    /** Mail server (Server → Servers id). Default `ispconfig:serverId` (1). Changing it replaces the domain. */
    serverId?: pulumi.Input<number>;
    /** Owning client id; 0 = admin. Default `ispconfig:clientId` (0). A change to another client re-owns the domain in place; back to 0 replaces it. */
    clientId?: pulumi.Input<number>;
    /** Whether mail for the domain is accepted. Default true. */
    active?: pulumi.Input<boolean>;
    /**
     * What `delete` does with mailboxes of the domain that Pulumi does not manage (made in the
     * panel). false (default): refuse, naming them, so no mail is lost by surprise. true: delete
     * them with the domain, as the panel's UI does.
     */
    deleteMailboxes?: pulumi.Input<boolean>;
    /** Take over a mail domain with the same name that already exists in the panel instead of failing (the import path). Default false. */
    adopt?: pulumi.Input<boolean>;
}

const DIFF: DiffSpec = {
    update: ["active", "clientId", "deleteMailboxes"],
    replace: ["domain", "serverId"],
    deleteBeforeReplace: true, // the panel refuses a second mail domain with the same name
};

function toPanel(i: Record<string, any>) {
    return { server_id: i.serverId, domain: i.domain, active: i.active };
}

async function outputsOf(ctx: OpsContext, row: api.MailDomainRow, inputs: Record<string, any>) {
    const owner = await api.ownerOfGroup(ctx.caller(), row.sys_groupid, inputs.clientId);
    return {
        domain: row.domain,
        serverId: row.server_id,
        clientId: owner ?? -1,
        active: row.active,
        deleteMailboxes: inputs.deleteMailboxes ?? false,
        adopt: inputs.adopt ?? false,
        domainId: row.domain_id,
    };
}

function toOutputs(i: Record<string, any>, id: number) {
    return {
        domain: i.domain, serverId: i.serverId, clientId: i.clientId, active: i.active,
        deleteMailboxes: i.deleteMailboxes, adopt: i.adopt, domainId: id,
    };
}

export const mailDomainOps: ResourceOps = {
    async check(ctx, _olds, news) {
        const d = ctx.defaults();
        const c = new InputChecker(news);
        c.field("domain", domainName(), { required: true });
        c.field("serverId", serverIdRule, { default: d.serverId });
        c.field("clientId", clientIdRule, { default: d.clientId });
        c.field("active", bool(), { default: true });
        c.field("deleteMailboxes", bool(), { default: false });
        c.field("adopt", bool(), { default: false });
        return { inputs: c.out, failures: c.failures };
    },

    async diff(_ctx, _id, olds, news) {
        const r = diffFields(olds, news, DIFF);
        // client_id 0 on update means "leave the owner alone": moving back to the admin needs a new row.
        const replaces = [...r.replaces];
        if (r.changed.includes("clientId") && news.clientId === 0) replaces.push("clientId");
        return { changes: r.changes, replaces, deleteBeforeReplace: replaces.length > 0 };
    },

    async create(ctx, inputs) {
        const c = ctx.caller();
        const adoptExisting = async () => {
            const existing = await api.findMailDomainByName(c, inputs.domain);
            if (!existing) return undefined;
            const owner = await api.ownerOfGroup(c, existing.sys_groupid, inputs.clientId);
            await api.updateMailDomain(c, existing.domain_id, toPanel(inputs), owner === inputs.clientId ? api.KEEP_OWNER : inputs.clientId);
            const row = await api.getMailDomain(c, existing.domain_id);
            return row && { id: String(row.domain_id), outs: await outputsOf(ctx, row, inputs) };
        };
        let id: number;
        try {
            ({ id } = await addOrRecover(
                () => api.addMailDomain(c, inputs.clientId, toPanel(inputs)),
                async () => (await api.findMailDomainByName(c, inputs.domain))?.domain_id,
            ));
        } catch (e) {
            if (!isUniquenessFault(e)) throw e;
            // The panel's own uniqueness check found it: take it over only when asked to.
            const adopted = inputs.adopt ? await adoptExisting() : undefined;
            if (adopted) return adopted;
            throw new ISPConfigError(
                `Mail domain ${inputs.domain} already exists in the panel. Set \`adopt: true\` on this MailDomain to take it over, ` +
                    "or remove it from the panel.",
            );
        }
        // The panel stores the domain as sent (plus a dkim selector we do not manage): no read-back.
        return { id: String(id), outs: toOutputs(inputs, id) };
    },

    async read(ctx, id, props) {
        const row = await api.getMailDomain(ctx.caller(), panelId(id));
        if (!row) return { id: "", props: {} };
        return { id, props: await outputsOf(ctx, row, props) };
    },

    async update(ctx, id, olds, news) {
        const c = ctx.caller();
        const ownerChange = news.clientId !== olds.clientId && news.clientId > 0;
        forgetMailDomain(c, news.domain);
        await api.updateMailDomain(c, panelId(id), toPanel(news), ownerChange ? news.clientId : api.KEEP_OWNER);
        // Stored as sent; the owner is the one we kept or set.
        return { outs: { ...toOutputs(news, panelId(id)), clientId: ownerChange ? news.clientId : olds.clientId } };
    },

    /**
     * The API's mail_domain_delete leaves the domain's mailboxes behind (the UI deletes them).
     * Mailboxes managed by Pulumi are gone already (they depend on the domain); any left were
     * made in the panel and hold mail, so they are only deleted when `deleteMailboxes` says so.
     */
    async delete(ctx, id, props) {
        const c = ctx.caller();
        const domainId = panelId(id);
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
};

/**
 * A mail domain (Email → Domain) in ISPConfig. Replaces on: `domain`, `serverId`,
 * `clientId` → 0. Deleting it refuses while unmanaged mailboxes remain, unless `deleteMailboxes`.
 */
export class MailDomain extends pulumi.dynamic.Resource {
    /** Panel id of the mail domain (same as `id`, as a number). */
    public readonly domainId!: pulumi.Output<number>;
    /** The mail domain as stored (lower case, no trailing dot). */
    public readonly domain!: pulumi.Output<string>;
    /** The mail server the domain lives on. */
    public readonly serverId!: pulumi.Output<number>;
    /** The client that owns the domain (0 = admin). */
    public readonly clientId!: pulumi.Output<number>;
    /** Whether the domain accepts mail. */
    public readonly active!: pulumi.Output<boolean>;

    constructor(name: string, args: MailDomainArgs, opts?: pulumi.CustomResourceOptions) {
        super(mailDomainProvider, name, { domainId: undefined, ...args }, opts, "ispconfig", "MailDomain");
    }
}

/** The module-level provider object for MailDomain (serialized into state; holds no credential). */
export const mailDomainProvider = makeProvider("mailDomain");
