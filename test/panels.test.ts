import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as runtime from "../provider/runtime";
import { dnsZone } from "../provider/resources/dnsZone";
import { aRecord } from "../provider/resources/aRecord";
import { mailDomain } from "../provider/resources/mailDomain";
import { mailbox } from "../provider/resources/mailbox";
import { getDnsZone } from "../provider/lookups";
import { closeSharedSessions } from "../provider/soap/sharedSession";
import { startEmulator, Emulator } from "./emulator";

/*
 * Several panels in one program (issue 15 #9): `ispconfig:panels` names them, a resource's
 * `panel` picks one; everything without `panel` stays on the single panel of `ispconfig:endpoint`.
 */
const EU_PW = "Eu-Panel-Secret-91!";
let home: Emulator;
let eu: Emulator;

beforeAll(async () => {
    home = await startEmulator();
    eu = await startEmulator({ users: [{ username: "eu-deployer", password: EU_PW, functions: "all" }] });
});
afterAll(async () => {
    await closeSharedSessions();
    await home.close();
    await eu.close();
});

function configure(extra: Record<string, string> = {}) {
    runtime.configureWith({
        "ispconfig:endpoint": home.url,
        "ispconfig:username": "apiuser",
        "ispconfig:password": "ApiPass123!",
        "ispconfig:panels": JSON.stringify({ eu: { endpoint: eu.url, username: "eu-deployer", password: EU_PW, serverId: 1 } }),
        ...extra,
    });
}

async function make(provider: any, args: Record<string, unknown>) {
    const c = await provider.check({}, args);
    expect(c.failures ?? []).toEqual([]);
    const r = await provider.create(c.inputs);
    return { id: r.id as string, outs: r.outs as Record<string, any>, inputs: c.inputs as Record<string, any> };
}

const zone = (origin: string, extra: Record<string, unknown> = {}) => ({ origin, ns: `ns1.${origin}`, mbox: `hostmaster@${origin}`, ...extra });

describe("several panels", () => {
    it("a resource with `panel` lives on that panel, one without on the single panel; read and delete follow the state", async () => {
        configure();
        const here = await make(dnsZone.provider, zone("home.example.com"));
        const there = await make(dnsZone.provider, zone("eu.example.com", { panel: "eu" }));
        expect(home.table("dns_soa").map((r) => r.origin)).toEqual(["home.example.com."]);
        expect(eu.table("dns_soa").map((r) => r.origin)).toEqual(["eu.example.com."]);
        expect(there.outs.panel).toBe("eu");
        expect(here.outs).not.toHaveProperty("panel");

        const rec = await make(aRecord.provider, { zoneId: there.id, name: "www", address: "192.0.2.8", panel: "eu" });
        expect(eu.table("dns_rr").map((r) => [r.name, r.type])).toEqual([["www", "A"]]);
        expect(home.table("dns_rr")).toEqual([]);

        // A new process (no caches): read and delete find the panel in the state alone.
        await closeSharedSessions();
        const r = await dnsZone.provider.read!(there.id, there.outs);
        expect(r.props).toMatchObject({ origin: "eu.example.com.", panel: "eu" });
        expect((r as any).inputs).toMatchObject({ panel: "eu" });
        await aRecord.provider.delete!(rec.id, rec.outs);
        await dnsZone.provider.delete!(there.id, there.outs);
        expect(eu.table("dns_soa")).toEqual([]);
        expect(home.table("dns_soa").map((r) => r.origin)).toEqual(["home.example.com."]);
        await dnsZone.provider.delete!(here.id, here.outs);
    });

    it("each panel has its own session and defaults; mailboxes find their domain on their panel", async () => {
        configure({ "ispconfig:clientId": "0" });
        const before = { home: home.calls.filter((c) => c.method === "login").length, eu: eu.calls.filter((c) => c.method === "login").length };
        const md = await make(mailDomain.provider, { domain: "mail.eu.example.com", panel: "eu" });
        const box = await make(mailbox.provider, { email: "info@mail.eu.example.com", password: "Eu-Mailbox-Pw-7!", panel: "eu" });
        expect(eu.table("mail_user").map((m) => m.email)).toEqual(["info@mail.eu.example.com"]);
        expect(home.table("mail_user")).toEqual([]);
        expect(eu.calls.filter((c) => c.method === "login").length - before.eu).toBeLessThanOrEqual(1);
        expect(home.calls.filter((c) => c.method === "login").length).toBe(before.home);
        await mailbox.provider.delete!(box.id, box.outs);
        await mailDomain.provider.delete!(md.id, md.outs);
    });

    it("a change of `panel` is refused in diff, before any call, and replaces nothing", async () => {
        configure();
        const z = await make(dnsZone.provider, zone("stay.example.com"));
        const calls = home.calls.length + eu.calls.length;
        const moved = await dnsZone.provider.check!(z.inputs, zone("stay.example.com", { panel: "eu" }));
        await expect(dnsZone.provider.diff!(z.id, z.outs, moved.inputs)).rejects.toThrow(/cannot move between panels.*Nothing was changed/);
        expect(home.calls.length + eu.calls.length).toBe(calls);
        await dnsZone.provider.delete!(z.id, z.outs);
    });

    it("under the engine, a check names an unknown panel or a panel lacking settings, and every key; no call is made", async () => {
        const calls = home.calls.length + eu.calls.length;
        const cfg = (values: Record<string, string>) => runtime.configure({ config: { get: (k: string) => values[k] } } as any);
        await cfg({ "ispconfig:panels": JSON.stringify({ eu: { endpoint: eu.url, username: "eu-deployer", password: EU_PW } }) });
        const unknown = await dnsZone.provider.check!({}, zone("x.example.com", { panel: "us" }));
        expect(unknown.failures).toEqual([{ property: "panel", reason: expect.stringMatching(/`panel` is "us", but `ispconfig:panels`.*names only "eu"/) }]);
        // A stack that uses only named panels needs no single-panel settings.
        const ok = await dnsZone.provider.check!({}, zone("x.example.com", { panel: "eu" }));
        expect(ok.failures ?? []).toEqual([]);
        // …but a resource without `panel` in it still does.
        const single = await dnsZone.provider.check!({}, zone("x.example.com"));
        expect(single.failures?.[0]?.reason).toMatch(/`ispconfig:endpoint`.*`ispconfig:username`.*`ispconfig:password`/);
        await cfg({ "ispconfig:panels": JSON.stringify({ eu: { endpoint: eu.url } }) });
        const lacking = await dnsZone.provider.check!({}, zone("x.example.com", { panel: "eu" }));
        expect(lacking.failures?.[0]?.reason).toMatch(/panel "eu" in `ispconfig:panels` lacks `username`, `password`/);
        await cfg({ "ispconfig:panels": `{"eu": {"password": "${EU_PW}"` });
        const broken = await dnsZone.provider.check!({}, zone("x.example.com", { panel: "eu" }));
        expect(broken.failures?.[0]?.reason).toMatch(/not valid JSON/);
        expect(JSON.stringify(broken)).not.toContain(EU_PW);
        expect(home.calls.length + eu.calls.length).toBe(calls);
    });

    it("a named panel's password never shows in an error", async () => {
        runtime.configureWith({ "ispconfig:panels": JSON.stringify({ eu: { endpoint: eu.url, username: "eu-deployer", password: EU_PW, maxConcurrency: "x" + EU_PW } }) });
        const c = await dnsZone.provider.check!({}, zone("leak.example.com", { panel: "eu" }));
        const err = await dnsZone.provider.create(c.inputs).catch((e: Error) => e);
        expect(String((err as Error).message)).toMatch(/`ispconfig:panels` → "eu"\.maxConcurrency/);
        expect(String((err as Error).message) + String((err as Error).stack)).not.toContain(EU_PW);
    });

    it("lookups take a panel too", async () => {
        configure();
        const z = await make(dnsZone.provider, zone("look.eu.example.com", { panel: "eu" }));
        expect((await getDnsZone({ origin: "look.eu.example.com", panel: "eu" })).zoneId).toBe(Number(z.id));
        await expect(getDnsZone({ origin: "look.eu.example.com" })).rejects.toThrow(/no DNS zone/);
        await dnsZone.provider.delete!(z.id, z.outs);
    });
});
