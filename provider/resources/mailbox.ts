import * as api from "../api";
import { ISPConfigError } from "../soap/errors";
import { adoptField, ArgsOf, columns, Declaration, defineResource, Fields, OutputsOf } from "./kit";
import { passwordProblem } from "./passwordStrength";
import { addOrRecover, isUniquenessFault } from "./recover";
import { Failure, bool, domainName, int, str } from "./validate";
import { MailDomainFacts, mailDomainFacts } from "./mailDomainFacts";

const MB = 1048576;

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

/** Outputs computed from the stored row (not inputs). */
const computed = {
    /** The mail server the mailbox lives on (its mail domain's). */
    serverId: (r: api.MailUserRow) => r.server_id,
    /** Where the mail is stored, e.g. `/var/vmail/example.com/alice`. */
    maildir: (r: api.MailUserRow) => r.maildir,
    /** The mailbox's home directory, e.g. `/var/vmail`. */
    homedir: (r: api.MailUserRow) => r.homedir,
};

/** The inputs of a {@link Mailbox}; each is also an output, as stored. */
const fields = {
    /** The address, e.g. `alice@example.com`; its domain must be a mail domain of the panel. Lower-cased. At most 64 characters (it is also the login). A change renames the mailbox in place (its maildir moves; the mail stays), as the panel's UI does. */
    email: { rule: emailRule, required: true, column: "email" },
    /** Login password: ≥ 8 characters and strength "Good" as the panel measures it. Kept secret; sent only on create and when it changes. */
    // Never read back: the panel's hash is dropped by the API layer. Kept (as a secret) only
    // so a change can be seen.
    password: { rule: passwordRule, required: true, column: "password", inputOnly: true, secret: true },
    /** Display name. Default `""`. */
    name: { rule: str({ allowEmpty: true, maxLength: 255 }), default: "", column: "name" },
    /** Quota in MB (stored in bytes by the panel); 0 = no limit. Default 0. */
    quota: { rule: int(0, 2047 * 1024, "MB"), default: 0, column: "quota", write: (mb) => mb * MB, read: (r) => Math.round(r.quota / MB) },
    /** Accept incoming mail for the address (the panel's "Receive" / postfix flag). Default true. */
    receive: { rule: bool(), default: true, column: "postfix" },
    /** Allow IMAP logins. Default true. */
    imap: notFlag("disableimap"),
    /** Allow POP3 logins. Default true. */
    pop3: notFlag("disablepop3"),
    /** Allow sending through SMTP AUTH. Default true. */
    smtp: notFlag("disablesmtp"),
    /** Deliver received mail to the mailbox (off: only forwards apply). Default true. */
    deliver: notFlag("disabledeliver"),
    /** Move mail marked as spam to the Junk folder. Default false. */
    moveJunk: { rule: bool(), default: false, column: "move_junk", read: (r) => r.move_junk === true },
    /** Take over a mailbox with the same address that already exists in the panel (its password is set to `password`) instead of failing (the import path). Default false. */
    adopt: adoptField,
} satisfies Fields<api.MailUserRow>;

const decl: Declaration<api.MailUserRow> = {
    type: "Mailbox", idOutput: "mailuserId",
    deleteBeforeReplace: true,
    fields, computed, secretOutputs: ["password"],

    async create(ctx, inputs, declared) {
        const c = ctx.caller();
        const [local, domain] = splitEmail(inputs.email);
        const facts = await mailDomainFacts(c, domain, ctx.defaults().clientId);
        if (inputs.adopt) {
            const existing = await api.findMailUserByEmail(c, inputs.email);
            if (existing) {
                // Declared settings and the password are written; the rest stays as the panel has it.
                await api.updateMailUser(c, existing.mailuser_id, columns(decl, declared), api.KEEP_OWNER);
                const row = await api.getMailUser(c, existing.mailuser_id);
                if (!row) throw new ISPConfigError(`mailbox ${inputs.email} vanished while it was being adopted`);
                return { id: row.mailuser_id, row };
            }
        }
        // What the UI's mail_user_edit.php fills in (§8): the panel itself sets none of it.
        const layout = { login: inputs.email, ...mailboxLayout(facts, domain, local) };
        let id: number;
        try {
            ({ id } = await addOrRecover(
                () => api.addMailUser(c, facts.clientId, { ...columns(decl, inputs), ...layout }),
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
        return { id, outs: { serverId: facts.serverId, maildir: layout.maildir, homedir: layout.homedir } };
    },

    async update(ctx, id, news, olds, changed) {
        const c = ctx.caller();
        const changes = columns(decl, news);
        // Re-hash only when the password really changed: sending it always would rotate the
        // stored hash's salt on every unrelated update.
        if (!changed.includes("password")) delete changes.password;
        const outs: Record<string, unknown> = {};
        if (changed.includes("email")) {
            // The UI changes an address in place (mail_user_edit.php) and the server job moves the
            // maildir: the mail stays, where delete + create would lose it.
            const [local, domain] = splitEmail(news.email);
            const facts = await mailDomainFacts(c, domain, ctx.defaults().clientId);
            if (facts.serverId !== olds.serverId) {
                throw new ISPConfigError(
                    `Mailbox ${olds.email} cannot move to ${news.email}: that mail domain is on server ${facts.serverId}, the mailbox on ` +
                        `server ${olds.serverId}, and the panel cannot move a mailbox between servers. Nothing was changed.`,
                );
            }
            const layout = mailboxLayout(facts, domain, local);
            Object.assign(changes, { login: news.email, maildir: layout.maildir });
            outs.maildir = layout.maildir;
        }
        await api.updateMailUser(c, id, changes, api.KEEP_OWNER);
        return { outs };
    },

    async delete(ctx, id) {
        // 0 (already gone) is success: deleting is idempotent.
        await api.deleteMailUser(ctx.caller(), id);
    },

    get: (c, id) => api.getMailUser(c, id),
};

function notFlag(column: "disableimap" | "disablepop3" | "disablesmtp" | "disabledeliver") {
    return { rule: bool(), default: true, column, write: (v: boolean) => !v, read: (r: api.MailUserRow) => !r[column] };
}

/** maildir, homedir, uid/gid and format as the UI lays out a mailbox on its domain's server. */
function mailboxLayout(facts: MailDomainFacts, domain: string, local: string) {
    return {
        server_id: facts.serverId,
        maildir: api.mailboxPath(facts.layout.maildirPath, domain, local),
        homedir: facts.layout.homedirPath,
        uid: facts.layout.uid,
        gid: facts.layout.gid,
        maildir_format: facts.layout.maildirFormat,
    };
}

function splitEmail(email: string): [string, string] {
    const at = email.lastIndexOf("@");
    return [email.slice(0, at), email.slice(at + 1)];
}

/** Inputs of a {@link Mailbox}. */
export type MailboxArgs = ArgsOf<typeof fields>;
/** Outputs of a {@link Mailbox}: every input as stored, the computed outputs, and `mailuserId` (the panel id as a number). */
export type MailboxOutputs = OutputsOf<typeof fields, typeof computed, "mailuserId">;

/** The operations, the provider object (serialized into state; holds no credential) and the class. */
export const mailbox = defineResource<MailboxArgs, MailboxOutputs>(decl, ["password"]);

/**
 * A mailbox (Email → Email Mailbox) in ISPConfig. Replaces on: `email`. Laid out as the
 * panel's UI would (maildir, homedir, uid/gid from the server's mail config), owned by the
 * mail domain's owner. The password is a secret; the panel's hash is never read into state.
 */
export const Mailbox = mailbox.Resource;
export type Mailbox = InstanceType<typeof Mailbox>;
