/*
 * End-to-end through the real Pulumi CLI: the customer-site example against the test panel,
 * step by step as issue 4 lists them. Prints one line per step (wall time, SOAP calls) and
 * writes everything it observed to the JSON file named by argv[2] (test/e2e.cli.test.ts
 * asserts on it). Runs as plain Node: Pulumi's closure serialization needs ordinary CommonJS.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import { promisify } from "node:util";
import * as path from "node:path";
import { ConfigMap, Stack } from "@pulumi/pulumi/automation";
import { startEmulator, Emulator } from "../test/emulator";
import { createSession } from "../provider/soap/session";
import { exampleStack, prepareWorkspace } from "./workspace";

const runFile = promisify(execFile);
const PANEL_PASSWORD = "ApiPass123!";
const INFO_PW = "Inf0-Mailbox-Secret!";
const ADMIN_PW = "Adm1n-Mailbox-Secret#";
const PROD_PW = "Pr0d-Mailbox-Secret$";
const NEW_INFO_PW = "N3w-Inf0-Secret!";

interface Step {
    step: string;
    seconds: number;
    soapCalls: number;
    logins: number;
    [k: string]: unknown;
}

async function main() {
    const out = process.argv[2] ?? "e2e-results.json";
    const steps: Step[] = [];
    const emu: Emulator = await startEmulator();
    const admin = createSession({ endpoint: emu.url, username: "apiuser", password: PANEL_PASSWORD });
    const clientId = Number(
        await admin.call("client_add", 0, {
            company_name: "Customer Ltd", contact_name: "Customer", username: "customer", password: "Cl1ent-Pass!2024",
            email: "c@example.net", language: "en", web_php_options: "no,fast-cgi,php-fpm", ssh_chroot: "no,jailkit",
            default_mailserver: 1, default_webserver: 1, default_dnsserver: 1, limit_web_domain: -1, limit_dns_zone: -1,
        }),
    );
    const clientGroup = Number(await admin.call("client_get_groupid", clientId));
    const ws = await prepareWorkspace();

    const step = async <T extends object>(name: string, fn: () => Promise<T>): Promise<T> => {
        const before = emu.calls.length;
        const t0 = Date.now();
        const r = await fn();
        const calls = emu.calls.slice(before);
        const s: Step = { step: name, seconds: (Date.now() - t0) / 1000, soapCalls: calls.length, logins: calls.filter((c) => c.method === "login").length, ...r };
        steps.push(s);
        process.stdout.write(`e2e ${name}: ${s.seconds.toFixed(1)} s, ${s.soapCalls} SOAP calls (${s.logins} logins)\n`);
        fs.writeFileSync(out, JSON.stringify({ steps, clientId, clientGroup }, null, 1));
        return r;
    };
    const tables = () => Object.fromEntries(["dns_soa", "dns_rr", "web_domain", "mail_domain", "mail_user"].map((t) => [t, emu.table(t)]));

    const base = (domain: string, extra: ConfigMap = {}): ConfigMap => ({
        "ispconfig:endpoint": { value: emu.url },
        "ispconfig:username": { value: "apiuser" },
        "ispconfig:password": { value: PANEL_PASSWORD, secret: true },
        "ispconfig:clientId": { value: String(clientId) },
        "customer-site:domain": { value: domain },
        "customer-site:webIp": { value: "192.0.2.10" },
        "customer-site:mailIp": { value: "192.0.2.25" },
        "customer-site:webIpv6": { value: "2001:db8::10" },
        "customer-site:mailboxQuotaMb": { value: "512" },
        "customer-site:infoPassword": { value: INFO_PW, secret: true },
        "customer-site:adminPassword": { value: ADMIN_PW, secret: true },
        ...extra,
    });

    const dev: Stack = await exampleStack(ws, "dev", base("dev.customer.example"));
    const summary = (r: { summary: { resourceChanges?: Record<string, number> } }) => r.summary.resourceChanges ?? {};

    await step("1 up", async () => {
        const r = await dev.up();
        return { changes: summary(r), outputs: Object.fromEntries(Object.entries(r.outputs).map(([k, v]) => [k, v.secret ? "[secret]" : v.value])), tables: tables() };
    });
    await step("2 preview", async () => {
        const r = await dev.preview();
        return { changes: r.changeSummary };
    });
    await step("3 config change", async () => {
        await dev.setAllConfig({ "customer-site:mailIp": { value: "192.0.2.26" }, "customer-site:adminQuotaMb": { value: "2048" } });
        const p = await dev.preview();
        const u = await dev.up();
        return { preview: p.changeSummary, changes: summary(u), tables: tables() };
    });
    await step("3b password change", async () => {
        const hashBefore = emu.table("mail_user").find((u) => String(u.email).startsWith("info@"))!.password;
        await dev.setConfig("customer-site:infoPassword", { value: NEW_INFO_PW, secret: true });
        const p = await dev.preview({ diff: true });
        const u = await dev.up({ diff: true });
        const hashAfter = emu.table("mail_user").find((u) => String(u.email).startsWith("info@"))!.password;
        return {
            preview: p.changeSummary, changes: summary(u), rehashed: hashBefore !== hashAfter,
            printed: [p.stdout, u.stdout].some((o) => o.includes(NEW_INFO_PW) || o.includes(INFO_PW)),
            diffShowsSecret: /\[secret\]/.test(p.stdout),
        };
    });
    await step("4 drift", async () => {
        const www = emu.table("dns_rr").find((r) => r.name === "www")!;
        await admin.call("dns_cname_update", 0, Number(www.id), { zone: Number(www.zone), data: "elsewhere.example.net.", type: "CNAME" }, true);
        const info = emu.table("mail_user").find((r) => String(r.email).startsWith("info@"))!;
        await admin.call("mail_user_delete", Number(info.mailuser_id));
        const r = await dev.refresh();
        const p = await dev.preview({ diff: true });
        const u = await dev.up();
        return {
            refresh: summary(r), refreshStdout: r.stdout.slice(-3000), preview: p.changeSummary, changes: summary(u), tables: tables(),
            // The lines of `preview --diff` that name a changed property (after refresh, read hands
            // back the declared fields as stored, so the engine can show which one drifted).
            previewDiffLines: p.stdout.split("\n").filter((l) => /^\s*[~+-]\s+\w+:/.test(l.replace(/\x1b\[[0-9;]*m/g, ""))).map((l) => l.replace(/\x1b\[[0-9;]*m/g, "").trim()),
        };
    });
    await step("5 origin change", async () => {
        await dev.setConfig("customer-site:domain", { value: "dev2.customer.example" });
        const u = await dev.up();
        return { changes: summary(u), tables: tables(), faults: emu.calls.filter((c) => c.faultcode).map((c) => `${c.method}:${c.faultcode}`) };
    });
    const devRows = JSON.stringify(tables());
    await step("8 second stack", async () => {
        // prod: its own panel (endpoint), domain and server id, its own state, beside dev.
        const prodPanel = await startEmulator();
        const prod = await exampleStack(ws, "prod", {
            ...base("prod.customer.example", {
                "customer-site:webIp": { value: "198.51.100.20" },
                "customer-site:infoPassword": { value: PROD_PW, secret: true },
                "ispconfig:serverId": { value: "2" },
            }),
            "ispconfig:endpoint": { value: prodPanel.url },
            "ispconfig:clientId": { value: "0" },
        });
        const u = await prod.up();
        const prodTables = Object.fromEntries(["dns_soa", "dns_rr", "web_domain", "mail_domain", "mail_user"].map((t) => [t, prodPanel.table(t)]));
        const devUntouched = JSON.stringify(tables()) === devRows;
        const devStill = await dev.preview();
        const d = await prod.destroy();
        const prodLeft = ["dns_soa", "dns_rr", "web_domain", "mail_domain", "mail_user"].reduce((n, t) => n + prodPanel.table(t).length, 0);
        await prodPanel.close();
        return { changes: summary(u), destroyed: summary(d), devUntouched, devPreview: devStill.changeSummary, prodTables, prodLeft };
    });
    await step("6 secrets audit", async () => {
        // What `pulumi stack export` prints (the Automation API's exportStack adds --show-secrets).
        const exported = (await runFile(ws.cli.command, ["stack", "export", "--stack", "dev"], { cwd: ws.project, env: { ...process.env, ...ws.envVars }, maxBuffer: 64 << 20 })).stdout;
        const files: string[] = [];
        const walk = (d: string) => { for (const f of fs.readdirSync(d)) { const p = path.join(d, f); if (fs.statSync(p).isDirectory()) walk(p); else files.push(p); } };
        walk(ws.stateDir);
        const corpus = [exported, ...files.map((f) => fs.readFileSync(f, "utf8"))];
        const hashes = emu.table("mail_user").map((u) => String(u.password)).filter(Boolean);
        const needles = [PANEL_PASSWORD, INFO_PW, ADMIN_PW, PROD_PW, NEW_INFO_PW, ...hashes];
        const where: string[] = [];
        needles.forEach((n, i) => corpus.forEach((c, j) => {
            if (c.includes(n)) where.push(`needle ${i} in ${j === 0 ? "stack export" : files[j - 1]}: …${c.slice(Math.max(0, c.indexOf(n) - 80), c.indexOf(n)).replace(n, "***")}`);
        }));
        const hits = where.length;
        const providers = [...exported.matchAll(/"__provider":\s*"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
        const providerHits = providers.filter((p) => p.includes(PANEL_PASSWORD) || p.includes(emu.url) || p.includes("apiuser")).length;
        return { filesScanned: files.length, needles: needles.length, hits, where, providers: providers.length, providerHits, hashLike: corpus.filter((c) => /\$6\$rounds/.test(c)).length };
    });
    await step("7 destroy", async () => {
        const d = await dev.destroy();
        return { destroyed: summary(d), tables: tables() };
    });
    await admin.close();
    await emu.close();
}

main().catch((e) => {
    process.stderr.write(`${e?.stack ?? e}\n`);
    process.exit(1);
});
