import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, Emulator } from "./emulator";
import { compare, runDifferential } from "./live/differential";
import type { Recorded } from "./live/rawPanel";
import type { LiveConfig } from "./live/config";

/*
 * The differential test's own machinery, without a real panel: a second test panel stands in
 * for the real one. It must find nothing between two equal panels and must find a difference
 * when there is one (otherwise a green run against the real panel would prove nothing).
 */

let other: Emulator;
beforeAll(async () => {
    other = await startEmulator();
});
afterAll(() => other.close());

const cfg = (over: Partial<LiveConfig> = {}): LiveConfig => ({
    endpoint: other.url, username: "apiuser", password: "ApiPass123!", clientId: 0, serverId: 1, sqlMode: "relaxed", clean: false, insecure: false, ...over,
});

describe("differential test harness", () => {
    it("two panels that answer alike: every call compared, none diverges, and nothing is left behind", async () => {
        const r = await runDifferential(cfg());
        expect(r.unexplained).toEqual([]);
        expect(r.compared).toBeGreaterThan(140);
        for (const t of ["dns_soa", "dns_rr", "web_domain", "mail_domain", "mail_user"]) expect(other.table(t), t).toEqual([]);
    }, 60_000);

    it("a panel that answers differently is caught, call by call (strict sql_mode against relaxed)", async () => {
        other.setStrictSqlMode(true);
        try {
            const r = await runDifferential(cfg());
            expect(r.unexplained.some((u) => u.startsWith("a add without stamp › dns_a_add") && /database_error/.test(u))).toBe(true);
            expect(r.unexplained.some((u) => u.startsWith("mailbox add, raw, without the UI's purge fields › mail_user_add"))).toBe(true);
            // The API layer's own creates do not diverge: they send what strict mode needs.
            expect(r.unexplained.filter((u) => /^(zone add|a add, update_serial \(admin zone\)|site add|mail domain add|mailbox add) ›/.test(u))).toEqual([]);
        } finally {
            other.setStrictSqlMode(false);
        }
    }, 60_000);

    it("refuses to start when objects of the test domain are already on the panel", async () => {
        const s = await startEmulator();
        try {
            const sid = s.panel.call("login", ["apiuser", "ApiPass123!"]);
            s.panel.call("mail_domain_add", [sid, 0, { server_id: 1, domain: "old.pulumi-ispconfig-test.invalid", active: "y" }]);
            await expect(runDifferential(cfg({ endpoint: s.url }))).rejects.toThrow(/already holds objects.*mail domain old\.pulumi-ispconfig-test\.invalid.*ISPCONFIG_LIVE_CLEAN=1/);
            expect(s.table("mail_domain")).toHaveLength(1);
            const r = await runDifferential(cfg({ endpoint: s.url, clean: true }));
            expect(r.unexplained).toEqual([]);
            expect(s.table("mail_domain")).toEqual([]);
        } finally {
            await s.close();
        }
    }, 60_000);

    it("ids, sessions, serials, stamps and hashes are set aside; listed differences count as known; stale entries are reported", () => {
        const rec = (label: string, method: string, value: any): Recorded => ({ label, method, args: [], outcome: { kind: "value", value } });
        const test = [
            rec("login", "login", "p0123"),
            rec("add", "dns_zone_add", "1"),
            rec("get", "dns_zone_get", { id: "1", serial: "2026112601", stamp: "2026-11-26 07:00:00", origin: "a." }),
            rec("pw", "mail_user_get", { password: "$6$rounds=5000$abc$def" }),
            rec("odd", "dns_a_get", { ttl: "3600" }),
            rec("listed", "dns_a_get", { ttl: "60" }),
        ];
        const real = [
            rec("login", "login", "q9876"),
            rec("add", "dns_zone_add", "57"),
            rec("get", "dns_zone_get", { id: "57", serial: "2026112699", stamp: "2026-11-26 07:00:09", origin: "a." }),
            rec("pw", "mail_user_get", { password: "$6$rounds=5000$xyz$uvw" }),
            rec("odd", "dns_a_get", { ttl: "7200" }),
            rec("listed", "dns_a_get", { ttl: "120" }),
        ];
        const known = [
            { label: "listed", method: "dns_a_get", reason: "because" },
            { label: "gone", method: "dns_a_get", reason: "no longer happens" },
            { label: "odd", method: "dns_a_get", mode: "strict" as const, reason: "strict only" },
        ];
        const r = compare(test, real, known, "relaxed");
        expect(r.compared).toBe(6);
        expect(r.diverged).toBe(2);
        expect(r.known).toBe(1);
        expect(r.unexplained).toEqual([expect.stringMatching(/^odd › dns_a_get: \.value\.ttl: test panel "3600" \/ real panel "7200"/)]);
        expect(r.stale).toEqual(["gone › dns_a_get"]);
        // A call one panel got and the other did not is a divergence too.
        expect(compare(test, real.slice(0, 5), [], "relaxed").unexplained).toContainEqual(expect.stringMatching(/^listed › dns_a_get: only the test panel got this call/));
    });
});
