import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mailDomain } from "../provider/resources/mailDomain";
import { mailbox } from "../provider/resources/mailbox";
import { Panel, addClient, checked, countCalls, create, read, row, startPanel, update } from "./helpers/panel";

let p: Panel;
let clientId: number;
beforeAll(async () => {
    p = await startPanel();
    clientId = await addClient(p, "mailcust");
});
afterAll(() => p.close());

const PW = "Corr3ct-Horse!";
const PW2 = "Batt3ry-Staple#";
const domainRow = (id: string) => row(p, "mail_domain", (r) => String(r.domain_id) === id)!;
const userRow = (id: string) => row(p, "mail_user", (r) => String(r.mailuser_id) === id);

/** Nothing the panel stores as a password (hash) or our plain passwords may appear in outputs. */
function expectNoSecrets(outs: Record<string, any>, hashes: string[]) {
    const text = JSON.stringify({ ...outs, password: undefined });
    for (const s of [PW, PW2, ...hashes]) expect(text).not.toContain(s);
    expect(text).not.toMatch(/\$6\$/);
}

describe("MailDomain", () => {
    it("create → read → update → read → replace → delete", async () => {
        const d = await create(mailDomain.provider, { domain: "Mail.Example.com", clientId });
        const s = domainRow(d.id);
        expect(s).toMatchObject({ domain: "mail.example.com", active: "y" });
        expect(Number(s.server_id)).toBe(1);
        const gid = Number(await p.raw.call("client_get_groupid", clientId));
        expect(Number(s.sys_groupid)).toBe(gid);
        expect((await read(mailDomain.provider, d.id, d.outs)).outs).toMatchObject(d.outs);

        const u = await update(mailDomain.provider, d.id, d, { domain: "mail.example.com", clientId, active: false, deleteMailboxes: true });
        expect(domainRow(d.id).active).toBe("n");
        expect(Number(domainRow(d.id).sys_groupid)).toBe(gid);
        expect((await read(mailDomain.provider, d.id, u.outs)).outs).toMatchObject({ active: false, clientId, deleteMailboxes: true });

        // A rename is in place, as in the UI: the domain keeps its id, and a mailbox made in the
        // panel moves with it (address, maildir; the login stays, as the UI leaves it), so its
        // mail is not lost.
        await p.raw.call("mail_user_add", 0, { server_id: 1, email: "kept@mail.example.com", login: "kept@mail.example.com", password: PW, quota: 0, postfix: "y", maildir: "/var/vmail/mail.example.com/kept" });
        const renamed = await update(mailDomain.provider, d.id, { outs: u.outs, inputs: u.inputs }, { domain: "mail2.example.com", clientId, active: false, deleteMailboxes: true });
        expect(renamed.diff.replaces).toEqual([]);
        expect(domainRow(d.id).domain).toBe("mail2.example.com");
        expect(p.emu.table("mail_user").find((r) => String(r.email).startsWith("kept@"))).toMatchObject({ email: "kept@mail2.example.com", login: "kept@mail.example.com", maildir: "/var/vmail/mail2.example.com/kept" });
        // Another server cannot be reached in place: a replace, the old domain deleted first.
        const next = await checked(mailDomain.provider, { domain: "mail2.example.com", serverId: 2 }, renamed.inputs);
        const diff = await mailDomain.provider.diff!(d.id, renamed.outs, next);
        expect(diff.replaces).toEqual(["serverId"]);
        expect(diff.deleteBeforeReplace).toBe(true);

        await mailDomain.provider.delete!(d.id, renamed.outs);
        expect(p.emu.table("mail_domain").some((r) => String(r.domain_id) === d.id)).toBe(false);
        await mailDomain.provider.delete!(d.id, renamed.outs);
        expect((await read(mailDomain.provider, d.id, renamed.outs)).id).toBe("");
    });

    it("refuses to delete a domain with unmanaged mailboxes unless deleteMailboxes, then leaves no orphan", async () => {
        const d = await create(mailDomain.provider, { domain: "guarded.example.com" });
        const m = await create(mailbox.provider, { email: "manual@guarded.example.com", password: PW });
        await expect(mailDomain.provider.delete!(d.id, d.outs)).rejects.toThrow(/manual@guarded\.example\.com.*deleteMailboxes: true/);
        expect(domainRow(d.id)).toBeDefined();
        await mailDomain.provider.delete!(d.id, { ...d.outs, deleteMailboxes: true });
        expect(userRow(m.id)).toBeUndefined();
        expect(p.emu.table("mail_domain").some((r) => String(r.domain_id) === d.id)).toBe(false);
    });
});

describe("Mailbox", () => {
    it("create → read → update every field → read → replace → delete, laid out as the UI does, no secret in outputs", async () => {
        const dom = await create(mailDomain.provider, { domain: "box.example.com", clientId });
        const m = await create(mailbox.provider, { email: "Alice@Box.Example.com", password: PW, name: "Alice", quota: 1024 });
        const u0 = userRow(m.id)!;
        expect(u0).toMatchObject({
            email: "alice@box.example.com", login: "alice@box.example.com", name: "Alice", postfix: "y",
            disableimap: "n", disablepop3: "n", disablesmtp: "n", disabledeliver: "n",
            maildir: "/var/vmail/box.example.com/alice", homedir: "/var/vmail",
        });
        expect(Number(u0.quota)).toBe(1024 * 1048576);
        expect(Number(u0.server_id)).toBe(1);
        expect([Number(u0.uid), Number(u0.gid)]).toEqual([5000, 5000]);
        const gid = Number(await p.raw.call("client_get_groupid", clientId));
        expect(Number(u0.sys_groupid)).toBe(gid); // the domain's owner
        const hash = String(u0.password);
        expect(hash).toMatch(/^\$/);
        expectNoSecrets(m.outs, [hash]);

        const r1 = await read(mailbox.provider, m.id, m.outs);
        expect(r1.outs).toMatchObject({ email: "alice@box.example.com", name: "Alice", quota: 1024, receive: true, imap: true });
        expectNoSecrets(r1.outs, [hash]);

        const all = { email: "alice@box.example.com", password: PW, name: "Alice A.", quota: 2048, receive: false, imap: false, pop3: false, smtp: false, deliver: false, moveJunk: true };
        const u = await update(mailbox.provider, m.id, { outs: r1.outs, inputs: m.inputs }, all);
        const u1 = userRow(m.id)!;
        expect(u1).toMatchObject({ name: "Alice A.", postfix: "n", disableimap: "y", disablepop3: "y", disablesmtp: "y", disabledeliver: "y", move_junk: "y" });
        expect(Number(u1.quota)).toBe(2048 * 1048576);
        expect(String(u1.password)).toBe(hash); // unchanged password is not re-sent
        expect(Number(u1.sys_groupid)).toBe(gid);
        const r2 = await read(mailbox.provider, m.id, u.outs);
        expect(r2.outs).toMatchObject({ ...all, password: PW });

        // A password change is an update (not a replace) that re-hashes.
        const pw = await update(mailbox.provider, m.id, { outs: r2.outs, inputs: u.inputs }, { ...all, password: PW2 });
        expect(pw.diff.changes).toBe(true);
        expect(String(userRow(m.id)!.password)).not.toBe(hash);
        expectNoSecrets(pw.outs, [String(userRow(m.id)!.password)]);

        // A new address is an in-place rename, as in the UI: same mailbox, its maildir moves.
        const moved = await update(mailbox.provider, m.id, { outs: pw.outs, inputs: pw.inputs }, { ...all, password: PW2, email: "alice2@box.example.com" });
        expect(moved.diff.replaces).toEqual([]);
        expect(userRow(m.id)).toMatchObject({ email: "alice2@box.example.com", login: "alice2@box.example.com", maildir: "/var/vmail/box.example.com/alice2" });
        expect(moved.outs).toMatchObject({ email: "alice2@box.example.com", maildir: "/var/vmail/box.example.com/alice2" });

        await mailbox.provider.delete!(m.id, moved.outs);
        expect(userRow(m.id)).toBeUndefined();
        await mailbox.provider.delete!(m.id, moved.outs);
        expect((await read(mailbox.provider, m.id, moved.outs)).id).toBe("");
        await mailDomain.provider.delete!(dom.id, dom.outs);
    });

    it("handles the bare-Map answer of older panels when finding a mailbox by address", async () => {
        p.emu.setLegacy(true);
        try {
            await create(mailDomain.provider, { domain: "legacy.example.com" });
            await p.raw.call("mail_user_add", 0, { server_id: 1, email: "old@legacy.example.com", login: "old@legacy.example.com", password: PW, quota: 0, postfix: "y" });
            const m = await create(mailbox.provider, { email: "old@legacy.example.com", password: PW2, adopt: true });
            expect(userRow(m.id)!.email).toBe("old@legacy.example.com");
            expect(p.emu.table("mail_user").filter((r) => r.email === "old@legacy.example.com").length).toBe(1);
        } finally {
            p.emu.setLegacy(false);
        }
    });

    it("hostile and non-ASCII strings round-trip through create and read unchanged", async () => {
        await create(mailDomain.provider, { domain: "hostile.example.com" });
        const name = `& < > " ' ]]> </value></item> Zoë Ørsted 日本語 🎉`;
        const m = await create(mailbox.provider, { email: "h@hostile.example.com", password: PW, name });
        expect(userRow(m.id)!.name).toBe(name);
        expect((await read(mailbox.provider, m.id, m.outs)).outs.name).toBe(name);
        expect(p.emu.table("mail_user").filter((r) => r.email === "h@hostile.example.com")).toHaveLength(1);
    });

    it("an existing mailbox without adopt gives a clear error", async () => {
        await create(mailDomain.provider, { domain: "dup.example.com" });
        await create(mailbox.provider, { email: "bob@dup.example.com", password: PW });
        await expect(create(mailbox.provider, { email: "bob@dup.example.com", password: PW })).rejects.toThrow(/already exists.*adopt: true/);
    });

    it("sees a mailbox deleted in the panel as gone", async () => {
        await create(mailDomain.provider, { domain: "gone.example.com" });
        const m = await create(mailbox.provider, { email: "x@gone.example.com", password: PW });
        await p.raw.call("mail_user_delete", Number(m.id));
        expect((await read(mailbox.provider, m.id, m.outs)).id).toBe("");
    });

    it("costs one add to create (domain facts cached), one call to update, read and delete", async () => {
        await create(mailDomain.provider, { domain: "calls.example.com" });
        await create(mailbox.provider, { email: "warm@calls.example.com", password: PW });
        const c = await countCalls(p, () => create(mailbox.provider, { email: "one@calls.example.com", password: PW }));
        expect(c.calls).toEqual(["mail_user_add"]);
        const m = c.result;
        const u = await countCalls(p, () => update(mailbox.provider, m.id, m, { email: "one@calls.example.com", password: PW, quota: 5 }));
        expect(u.calls).toEqual(["mail_user_update"]);
        const r = await countCalls(p, () => read(mailbox.provider, m.id, u.result.outs));
        expect(r.calls).toEqual(["mail_user_get"]);
        const d = await countCalls(p, () => mailbox.provider.delete!(m.id, u.result.outs));
        expect(d.calls).toEqual(["mail_user_delete"]);
    });
});
