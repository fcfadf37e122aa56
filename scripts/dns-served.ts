/*
 * Served, not just stored: runs the panel's server job (the kit's dns/apply.sh), checks every
 * zone file it wrote with named-checkzone, then asks the panel's BIND (dns/dig.sh) for every
 * active record of the given zones, of every type, and compares the answer with what the stored
 * row means. Exit 0 when all answer as stored, 1 otherwise (the table shows each mismatch).
 *
 *   ISPCONFIG_ENDPOINT=http://127.0.0.1:8080/remote/index.php ISPCONFIG_USERNAME=apiuser \
 *   ISPCONFIG_PASSWORD=… PANEL_KIT=/work/shared/ispconfig-panel \
 *   node bin/scripts/dns-served.js example.com [other.zone …]    (no zone: every zone of the panel)
 *
 * The kit's own variables (PANEL_PORT, PANEL_STATE, DNS_PORT, …) pass through to apply.sh and dig.sh.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { createSession } from "../provider/soap/session";
import * as api from "../provider/api";

const KIT = process.env.PANEL_KIT ?? "/work/shared/ispconfig-panel";

function kit(script: string, ...args: string[]): { code: number; out: string } {
    try {
        return { code: 0, out: execFileSync(path.join(KIT, "dns", script), args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 180_000 }) };
    } catch (e: any) {
        return { code: e.status ?? 1, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
    }
}

const abs = (name: string, origin: string) => api.absoluteStoredName(name, origin);
const hexGroups = (h: string) => h.toUpperCase().match(/.{1,56}/g)!.join(" ");
function ipv6(a: string): string {
    return new URL(`http://[${a}]/`).hostname.slice(1, -1);
}

/** What `dig +short` prints for a stored row, and the type to ask for. */
export function expectedAnswer(r: api.DnsRecordRow, origin: string): { qtype: string; answer: string } | undefined {
    const d = r.data;
    const target = (t: string) => (t.endsWith(".") ? t : `${t}.${origin}`);
    switch (r.type) {
        case "A": return { qtype: "A", answer: d };
        case "AAAA": return { qtype: "AAAA", answer: ipv6(d) };
        case "ALIAS": return { qtype: "CNAME", answer: target(d) };
        case "CNAME": case "DNAME": case "PTR": return { qtype: r.type, answer: target(d) };
        case "NS": return abs(r.name, origin) === origin ? { qtype: "NS", answer: target(d) } : undefined; // a delegation answers with a referral
        case "MX": return { qtype: "MX", answer: `${r.aux} ${target(d)}` };
        case "SRV": case "NAPTR": return { qtype: r.type, answer: `${r.aux} ${d}` };
        case "TXT": return { qtype: "TXT", answer: d.match(/.{1,255}/g)!.map((s) => `"${s}"`).join(" ") };
        case "CAA": case "LOC": case "RP": return { qtype: r.type, answer: d };
        case "HINFO": {
            const w = d.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
            return { qtype: "HINFO", answer: w.map((x) => (x.startsWith('"') ? x : `"${x}"`)).join(" ") };
        }
        case "DS": case "SSHFP": case "TLSA": {
            const parts = d.trim().split(/\s+/);
            const n = r.type === "SSHFP" ? 2 : 3;
            return { qtype: r.type, answer: `${parts.slice(0, n).join(" ")} ${hexGroups(parts.slice(n).join(""))}` };
        }
    }
    return undefined;
}

async function main() {
    const endpoint = process.env.ISPCONFIG_ENDPOINT;
    if (!endpoint) throw new Error("set ISPCONFIG_ENDPOINT (and ISPCONFIG_USERNAME, ISPCONFIG_PASSWORD)");
    const c = createSession({ endpoint, username: process.env.ISPCONFIG_USERNAME ?? "apiuser", password: process.env.ISPCONFIG_PASSWORD ?? "ApiPass123!" });
    try {
        const wanted = process.argv.slice(2).map(api.dotted);
        const zones = (api.asRowList(await c.call("dns_zone_get", {}), "dns_zone_get") as Record<string, any>[])
            .filter((z) => String(z.active).toUpperCase() === "Y")
            .filter((z) => wanted.length === 0 || wanted.includes(api.dotted(String(z.origin))));
        if (wanted.length && zones.length !== wanted.length) throw new Error(`zone(s) not found or inactive: ${wanted.filter((w) => !zones.some((z) => api.dotted(z.origin) === w)).join(", ")}`);

        const apply = kit("apply.sh");
        process.stdout.write(apply.out);
        let failures = apply.code === 0 ? 0 : 1;
        if (apply.code !== 0) process.stdout.write(`FAIL dns/apply.sh exited ${apply.code}: the server job reported errors (above)\n`);
        const state = process.env.PANEL_STATE ?? "/var/lib/ispconfig-panel";
        for (const z of zones) {
            const origin = api.dotted(String(z.origin));
            const file = path.join(state, "bind", "zones", `pri.${origin.slice(0, -1)}`);
            if (existsSync(file)) {
                try {
                    execFileSync("named-checkzone", [origin.slice(0, -1), file], { encoding: "utf8" });
                    process.stdout.write(`ok   named-checkzone ${origin}\n`);
                } catch (e: any) {
                    failures++;
                    process.stdout.write(`FAIL named-checkzone ${origin}: ${String(e.stdout ?? e.message).trim()}\n`);
                }
            }
            const rows = (await api.listZoneRecords(c, Number(z.id))).filter((r) => r.active);
            const byQuestion = new Map<string, { rows: api.DnsRecordRow[]; qtype: string; fqdn: string; want: string[] }>();
            for (const r of rows) {
                const e = expectedAnswer(r, origin);
                if (!e) continue;
                const fqdn = abs(r.name, origin);
                const k = `${fqdn} ${e.qtype}`;
                const q = byQuestion.get(k) ?? { rows: [], qtype: e.qtype, fqdn, want: [] };
                q.rows.push(r);
                q.want.push(e.answer);
                byQuestion.set(k, q);
            }
            for (const q of byQuestion.values()) {
                const got = kit("dig.sh", q.fqdn, q.qtype, "+short").out.trim().split("\n").filter(Boolean).sort();
                const want = [...q.want].sort();
                const ok = JSON.stringify(got) === JSON.stringify(want);
                if (!ok) failures++;
                process.stdout.write(`${ok ? "ok  " : "FAIL"} ${q.qtype.padEnd(6)} ${q.fqdn}${ok ? "" : `  got ${JSON.stringify(got)} want ${JSON.stringify(want)}`}\n`);
            }
        }
        process.stdout.write(failures ? `${failures} problem(s)\n` : "every record answers as stored\n");
        process.exitCode = failures ? 1 : 0;
    } finally {
        await c.close();
    }
}

if (require.main === module) {
    main().catch((e) => {
        process.stderr.write(`dns-served: ${e?.message ?? e}\n`);
        process.exit(2);
    });
}
