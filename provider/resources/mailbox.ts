import * as pulumi from "@pulumi/pulumi";
import * as api from "../api";
import { ISPConfigError } from "../soap/errors";
import { diffFields, DiffSpec } from "./diff";
import { ResourceOps, panelId } from "./ops";
import { passwordProblem } from "./passwordStrength";
import { makeProvider } from "./providerShim";
import { addOrRecover, isUniquenessFault } from "./recover";
import { isUnknown } from "./unknown";
import { Failure, InputChecker, bool, domainName, int, str } from "./validate";
import { mailDomainFacts } from "./mailDomainFacts";

/** Inputs of a {@link Mailbox} (Email → Email Mailbox in the panel). */
export interface MailboxArgs {
    /** The address, e.g. `alice@example.com`; its domain must be a mail domain of the panel. Lower-cased. At most 64 characters (it is also the login). Changing it replaces the mailbox. */
    email: pulumi.Input<string>;
    /** Login password: ≥ 8 characters and strength "Good" as the panel measures it. Kept secret; sent only on create and when it changes. */
    password: pulumi.Input<string>;
    /** Display name. Default ``. */
    name?: pulumi.Input<string>;
    /** Quota in MB (stored in bytes by the panel); 0 = no limit. Default 0. */
    quota?: pulumi.Input<number>;
    /** Accept incoming mail for the address (the panel's "Receive" / postfix flag). Default true. */
    receive?: pulumi.Input<boolean>;
    /** Allow IMAP logins. Default true. */
    imap?: pulumi.Input<boolean>;
    /** Allow POP3 logins. Default true. */
    pop3?: pulumi.Input<boolean>;
    /** Allow sending through SMTP AUTH. Default true. */
    smtp?: pulumi.Input<boolean>;
    /** Deliver received mail to the mailbox (off: only forwards apply). Default true. */
    deliver?: pulumi.Input<boolean>;
    /** Move mail marked as spam to the Junk folder. Default false. */
    moveJunk?: pulumi.Input<boolean>;
    /** Take over a mailbox with the same address that already exists in the panel (its password is set to `password`) instead of failing (the import path). Default false. */
    adopt?: pulumi.Input<boolean>;
}

const MB = 1048576;

const DIFF: DiffSpec = {
    update: ["password", "name", "quota", "receive", "imap", "pop3", "smtp", "deliver", "moveJunk"],
    replace: ["email"],
    deleteBeforeReplace: true, // the panel refuses a second mailbox with the same address
};

/** The e-mail as the panel's login regex and the UI accept it (lower-case local part). */
export function emailRule(v: unknown, name: string): string | Failure {
    if (typeof v !== "string") return new Failure(`\`${name}\` must be an e-mail address string, got ${typeof v}`);
    if (/\s/.test(v)) return new Failure(`\`${name}\` must not contain whitespace: ${JSON.stringify(v)}`);
    const at = v.lastIndexOf("@");
    if (at <= 0) return new Failure(`\`${name}\` ${JSON.stringify(v)} is not an e-mail address like alice@example.com`);
    const local = v.slice(0, at).toLowerCase();
    const domain = domainName()(v.slice(at + 1), name);
    if (domain instanceof Failure) return domain;
    if (!/^[_a-z0-9][a-z0-9_.+-]*$/.test(local) || /\.\.|\.$/.test(local)) {
        return new Failure(
            `\`${name}\`: the local part ${JSON.stringify(v.slice(0, at))} may only hold a-z, 0-9 and . _ + - (starting with a letter, digit or _, no ".." and no trailing ".")`,
        );
    }
    const email = `${local}@${domain}`;
    // The address is also the login, which the panel limits to 64 characters.
    if (email.length > 64) return new Failure(`\`${name}\` is ${email.length} characters long; the panel allows at most 64 (it is also the login)`);
    return email;
}

function passwordRule(v: unknown, name: string): string | Failure {
    if (typeof v !== "string") return new Failure(`\`${name}\` must be a string`);
    const problem = passwordProblem(v);
    return problem ? new Failure(`\`${name}\` ${problem}`) : v;
}

/** The mail_user columns this resource owns (everything but identity, layout and password). */
function settings(i: Record<string, any>) {
    return {
        name: i.name,
        quota: i.quota * MB,
        postfix: i.receive,
        disableimap: !i.imap,
        disablepop3: !i.pop3,
        disablesmtp: !i.smtp,
        disabledeliver: !i.deliver,
        move_junk: i.moveJunk,
    };
}

function outputsOf(row: api.MailUserRow, password: unknown, inputs: Record<string, any>) {
    return {
        email: row.email,
        // Never the panel's hash: the row type does not even carry it. The input is kept (as a
        // secret) only so a change can be detected.
        password,
        name: row.name,
        quota: Math.round(row.quota / MB),
        receive: row.postfix,
        imap: !row.disableimap,
        pop3: !row.disablepop3,
        smtp: !row.disablesmtp,
        deliver: !row.disabledeliver,
        moveJunk: row.move_junk === true,
        adopt: inputs.adopt ?? false,
        mailuserId: row.mailuser_id,
        serverId: row.server_id,
        maildir: row.maildir,
        homedir: row.homedir,
    };
}

export const mailboxOps: ResourceOps = {
    async check(_ctx, _olds, news) {
        const c = new InputChecker(news);
        c.field("email", emailRule, { required: true });
        c.field("password", passwordRule, { required: true });
        c.field("name", str({ allowEmpty: true, maxLength: 255 }), { default: "" });
        c.field("quota", int(0, 2047 * 1024, "MB"), { default: 0 });
        c.field("receive", bool(), { default: true });
        c.field("imap", bool(), { default: true });
        c.field("pop3", bool(), { default: true });
        c.field("smtp", bool(), { default: true });
        c.field("deliver", bool(), { default: true });
        c.field("moveJunk", bool(), { default: false });
        c.field("adopt", bool(), { default: false });
        return { inputs: c.out, failures: c.failures };
    },

    async diff(_ctx, _id, olds, news) {
        const r = diffFields(olds, news, DIFF);
        return { changes: r.changes, replaces: r.replaces, deleteBeforeReplace: r.deleteBeforeReplace };
    },

    async create(ctx, inputs) {
        const c = ctx.caller();
        const [local, domain] = splitEmail(inputs.email);
        const facts = await mailDomainFacts(c, domain, ctx.defaults().clientId);
        // What the UI's mail_user_edit.php fills in (§8): the panel itself sets none of it.
        const values = {
            server_id: facts.serverId,
            email: inputs.email,
            login: inputs.email,
            password: inputs.password,
            maildir: api.mailboxPath(facts.layout.maildirPath, domain, local),
            homedir: facts.layout.homedirPath,
            uid: facts.layout.uid,
            gid: facts.layout.gid,
            maildir_format: facts.layout.maildirFormat,
            ...settings(inputs),
        };
        const adopt = async () => {
            const existing = await api.findMailUserByEmail(c, inputs.email);
            if (!existing) return undefined;
            await api.updateMailUser(c, existing.mailuser_id, { password: inputs.password, ...settings(inputs) }, api.KEEP_OWNER);
            const row = await api.getMailUser(c, existing.mailuser_id);
            return row && { id: String(row.mailuser_id), outs: outputsOf(row, inputs.password, inputs) };
        };
        if (inputs.adopt) {
            const adopted = await adopt();
            if (adopted) return adopted;
        }
        let id: number;
        try {
            ({ id } = await addOrRecover(
                () => api.addMailUser(c, facts.clientId, values),
                async () => (await api.findMailUserByEmail(c, inputs.email))?.mailuser_id,
            ));
        } catch (e) {
            if (isUniquenessFault(e)) {
                throw new ISPConfigError(
                    `Mailbox ${inputs.email} already exists in the panel. Set \`adopt: true\` on this Mailbox to take it over, or remove it from the panel.`,
                );
            }
            throw e;
        }
        // Stored as sent (the password as a hash, which we never read): no read-back needed.
        const { password: _secret, ...stored } = values;
        const row = { ...stored, mailuser_id: id, sys_userid: 0, sys_groupid: 0 } as unknown as api.MailUserRow;
        return { id: String(id), outs: outputsOf(row, inputs.password, inputs) };
    },

    async read(ctx, id, props) {
        const row = await api.getMailUser(ctx.caller(), panelId(id));
        if (!row) return { id: "", props: {} };
        return { id, props: outputsOf(row, props.password, props) };
    },

    async update(ctx, id, olds, news) {
        const changes: Record<string, unknown> = settings(news);
        // Re-hash only when the password really changed: sending it always would rotate the
        // stored hash's salt on every unrelated update.
        if (news.password !== olds.password && !isUnknown(news.password)) changes.password = news.password;
        await api.updateMailUser(ctx.caller(), panelId(id), changes, api.KEEP_OWNER);
        const outs = { ...olds, ...news, mailuserId: panelId(id) } as Record<string, unknown>;
        return { outs };
    },

    async delete(ctx, id) {
        // 0 (already gone) is success: deleting is idempotent.
        await api.deleteMailUser(ctx.caller(), panelId(id));
    },
};

function splitEmail(email: string): [string, string] {
    const at = email.lastIndexOf("@");
    return [email.slice(0, at), email.slice(at + 1)];
}

/**
 * A mailbox (Email → Email Mailbox) in ISPConfig. Replaces on: `email`. Laid out as the
 * panel's UI would (maildir, homedir, uid/gid from the server's mail config), owned by the
 * mail domain's owner. The password is a secret; the panel's hash is never read into state.
 */
export class Mailbox extends pulumi.dynamic.Resource {
    /** Panel id of the mailbox (same as `id`, as a number). */
    public readonly mailuserId!: pulumi.Output<number>;
    /** The mailbox address as stored (lower case). */
    public readonly email!: pulumi.Output<string>;
    /** Quota in MB. */
    public readonly quota!: pulumi.Output<number>;
    /** Where the mail is stored, e.g. `/var/vmail/example.com/alice`. */
    public readonly maildir!: pulumi.Output<string>;
    /** The mail server the mailbox lives on (its mail domain's). */
    public readonly serverId!: pulumi.Output<number>;

    constructor(name: string, args: MailboxArgs, opts?: pulumi.CustomResourceOptions) {
        const secretArgs = { ...args, password: pulumi.secret(args.password) };
        super(
            mailboxProvider,
            name,
            { mailuserId: undefined, maildir: undefined, homedir: undefined, serverId: undefined, ...secretArgs },
            { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "password"] },
            "ispconfig",
            "Mailbox",
        );
    }
}

/** The module-level provider object for Mailbox (serialized into state; holds no credential). */
export const mailboxProvider = makeProvider("mailbox");
