/*
 * Fault injection through the real Pulumi CLI (issue 5). A program of 24 resources across all
 * five types; for every fault kind and for create, update and delete: inject the fault on the
 * Nth mutating call, run the operation (it may fail), run it again with the fault gone, then
 * compare the panel's tables with Pulumi's state — orphans (in the panel, not in state),
 * duplicates (two rows for one natural key), missing (in state, not in the panel) must all be 0,
 * and records the operation did not target must be unchanged. Also: a wrong password with 100
 * resources, a remote user lacking a permission, and 100 resources at concurrency 1 vs default.
 *
 *   node bin/scripts/faults.js results.json
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import { promisify } from "node:util";
import { ConfigMap, LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { startEmulator, Emulator, FaultKind } from "../test/emulator";
import { prepareWorkspace, Workspace } from "./workspace";
import { MAILBOX_PASSWORDS, program } from "./mixedProgram";

const runFile = promisify(execFile);
const PANEL_PASSWORD = "ApiPass123!";

const TYPE_TABLE: Record<string, [string, string, (r: any) => string]> = {
    DnsZone: ["dns_soa", "id", (r) => String(r.origin)],
    ARecord: ["dns_rr", "id", (r) => `${r.zone}/${r.name}/${r.data}`],
    WebDomain: ["web_domain", "domain_id", (r) => String(r.domain)],
    MailDomain: ["mail_domain", "domain_id", (r) => String(r.domain)],
    Mailbox: ["mail_user", "mailuser_id", (r) => String(r.email)],
};

/** Everything the suite saw that a secret could leak into: errors, CLI output, state exports. */
const corpus: string[] = [];
const hashes = new Set<string>();

async function stateIds(ws: Workspace, stack: string): Promise<Record<string, string[]>> {
    const { stdout } = await runFile(ws.cli.command, ["stack", "export", "--stack", stack], { cwd: ws.project, env: { ...process.env, ...ws.envVars }, maxBuffer: 64 << 20 });
    corpus.push(stdout);
    const d = JSON.parse(stdout);
    const out: Record<string, string[]> = {};
    for (const r of d.deployment.resources ?? []) {
        const m = /ispconfig:(\w+)$/.exec(r.type);
        if (m && r.id) (out[m[1]] ??= []).push(String(r.id));
    }
    return out;
}

/** Orphans, duplicates and missing records: the panel against Pulumi's state. */
async function audit(emu: Emulator, ws: Workspace, stack: string) {
    const state = await stateIds(ws, stack);
    let orphans = 0, duplicates = 0, missing = 0;
    const detail: string[] = [];
    for (const [type, [table, idCol, key]] of Object.entries(TYPE_TABLE)) {
        const rows = emu.table(table);
        const ids = new Set(state[type] ?? []);
        for (const r of rows) if (!ids.has(String(r[idCol]))) (orphans++, detail.push(`orphan ${type} ${key(r)}`));
        for (const id of ids) if (!rows.some((r) => String(r[idCol]) === id)) (missing++, detail.push(`missing ${type} ${id}`));
        const keys = rows.map(key);
        duplicates += keys.length - new Set(keys).size;
    }
    return { orphans, duplicates, missing, detail, stateCount: Object.values(state).flat().length };
}

/** Every row that does not belong to customer 0 (the one the update scenarios change). */
function othersSnapshot(emu: Emulator): string {
    const zone0 = emu.table("dns_soa").find((z) => String(z.origin).startsWith("c0."))?.id;
    const mine = (t: string, r: any) => JSON.stringify(r).includes("c0.faults.example") || (t === "dns_rr" && String(r.zone) === String(zone0));
    return JSON.stringify(Object.values(TYPE_TABLE).map(([t]) => emu.table(t).filter((r) => !mine(t, r)).map((r) => ({ ...r, serial: 0 }))));
}

async function main() {
    const out = process.argv[2] ?? "faults-results.json";
    const ws = await prepareWorkspace();
    // The client's wire log (every request and answer, masked) goes into the CLI output the
    // secrets audit searches: the audit covers what an admin debugging a run would see.
    ws.envVars.ISPCONFIG_DEBUG = "wire";
    const results: any[] = [];
    const save = () => fs.writeFileSync(out, JSON.stringify(results, null, 1));
    let n = 0;
    const config = (emu: Emulator, extra: ConfigMap = {}): ConfigMap => ({
        "ispconfig:endpoint": { value: emu.url },
        "ispconfig:username": { value: "apiuser" },
        "ispconfig:password": { value: PANEL_PASSWORD, secret: true },
        // A panel that never answers must not hold the run for the default 30 s.
        "ispconfig:timeoutMs": { value: "3000" },
        "faults:pw0": { value: MAILBOX_PASSWORDS[0], secret: true },
        "faults:pw1": { value: MAILBOX_PASSWORDS[1], secret: true },
        ...extra,
    });
    const open = async (emu: Emulator, customers = 3, extra: ConfigMap = {}, extraRecords = 0) => {
        const stack = await LocalWorkspace.createOrSelectStack(
            { stackName: `s${n++}`, projectName: "faults", program: program(customers, extraRecords) },
            { workDir: ws.project, pulumiCommand: ws.cli, envVars: ws.envVars },
        );
        await stack.setAllConfig(config(emu, extra));
        return stack;
    };
    const attempt = async (fn: () => Promise<unknown>) => {
        try {
            const r: any = await fn();
            if (r?.stdout) corpus.push(r.stdout, r.stderr ?? "");
            return "ok";
        } catch (e: any) {
            corpus.push(String(e?.message ?? e));
            return String(e?.message ?? e).split("\n").find((l: string) => /error:/.test(l))?.trim().slice(0, 300) ?? "failed";
        }
    };

    const kinds: FaultKind[] = ["html500", "proxy502", "emptyBody", "truncated", "drop", "timeout", "lostResponse", "databaseError", "expireSessions"];
    for (const kind of process.env.FAULTS_ONLY === "extras" ? [] : kinds) {
        for (const op of ["create", "update", "delete"] as const) {
            const emu = await startEmulator();
            const t0 = Date.now();
            const stack = await open(emu);
            const nth = 5;
            let first = "", untouchedSame = true, applied = true;
            const loginsBefore = () => emu.calls.filter((c) => c.method === "login").length;
            let logins = 0;
            /** The run with the fault on the nth mutating call, then the same run with it gone. */
            const faultedThenClean = async (run: () => Promise<unknown>) => {
                emu.injectFault({ kind, mutatingOnly: true, nth });
                const l0 = loginsBefore();
                first = await attempt(run);
                logins = loginsBefore() - l0;
                emu.clearFaults();
                await run();
            };
            if (op === "create") {
                await faultedThenClean(() => stack.up());
            } else if (op === "update") {
                await stack.up();
                const before = othersSnapshot(emu);
                await stack.setAllConfig({ "faults:ttl0": { value: "600" }, "faults:quota0": { value: "200" } });
                await faultedThenClean(() => stack.up());
                untouchedSame = othersSnapshot(emu) === before;
                const zone0 = emu.table("dns_soa").find((z) => String(z.origin).startsWith("c0."))!;
                applied = Number(zone0.ttl) === 600 &&
                    emu.table("dns_rr").filter((r) => String(r.zone) === String(zone0.id)).every((r) => Number(r.ttl) === 600) &&
                    emu.table("mail_user").filter((u) => String(u.email).endsWith("@c0.faults.example")).every((u) => Number(u.quota) === 200 * 1048576);
            } else {
                await stack.up();
                await faultedThenClean(() => stack.destroy());
            }
            const a = await audit(emu, ws, stack.name);
            const injected = emu.calls.filter((c) => c.injected).length;
            const r = { kind, op, injected, firstRun: first, secondRun: "ok", ...a, untouchedSame, applied, loginsInFaultedRun: logins, seconds: (Date.now() - t0) / 1000, panelRows: Object.values(TYPE_TABLE).reduce((s, [t]) => s + emu.table(t).length, 0) };
            results.push(r);
            process.stdout.write(`faults ${kind}/${op}: injected ${injected}, first run ${first === "ok" ? "ok" : "failed"}, orphans ${a.orphans}, duplicates ${a.duplicates}, missing ${a.missing}, ${r.seconds.toFixed(1)} s\n`);
            save();
            for (const u of emu.table("mail_user")) if (u.password) hashes.add(String(u.password));
            for (const u of emu.panel.tables.mail_user) if (u.password) hashes.add(String(u.password));
            await stack.workspace.removeStack(stack.name, { force: true }).catch(() => undefined);
            await emu.close();
        }
    }

    // Wrong password, 100 resources planned in parallel: one login attempt, one clear error, no lockout.
    {
        const emu = await startEmulator();
        const stack = await open(emu, 1, { "ispconfig:password": { value: "Not-The-Password-9", secret: true } }, 92);
        const first = await attempt(() => stack.up());
        const r = { kind: "wrongPassword", resources: 100, firstRun: first, loginAttempts: emu.calls.filter((c) => c.method === "login").length, panelFailures: emu.loginFailures(), otherCalls: emu.calls.filter((c) => c.method !== "login").length };
        results.push(r);
        process.stdout.write(`faults wrong password: ${r.loginAttempts} login attempt(s), ${r.panelFailures} failure(s) recorded by the panel\n`);
        save();
        await emu.close();
    }
    // A remote user without the DNS record functions.
    {
        const emu = await startEmulator({ users: [{ username: "apiuser", password: PANEL_PASSWORD, functions: ["dns_zone_get", "dns_zone_add", "dns_zone_update", "dns_zone_delete", "dns_rr_get_all_by_zone", "client_get_groupid", "client_get", "sites_web_domain_add", "sites_web_domain_get", "sites_web_domain_delete", "mail_domain_add", "mail_domain_get", "mail_domain_get_by_domain", "mail_domain_delete", "mail_user_add", "mail_user_get", "mail_user_delete", "server_get"] }] });
        const stack = await open(emu, 1);
        const first = await attempt(() => stack.up());
        results.push({ kind: "permissionDenied", firstRun: first });
        process.stdout.write(`faults permission denied: ${first}\n`);
        await stack.destroy().catch(() => undefined);
        save();
        await emu.close();
    }
    // 100 resources at once: one login, the cap respected, the same result as one call at a time.
    {
        const tablesOf = async (maxConcurrency?: string) => {
            const emu = await startEmulator({ latencyMs: 5 });
            const stack = await open(emu, 1, maxConcurrency ? { "ispconfig:maxConcurrency": { value: maxConcurrency } } : {}, 92);
            const t0 = Date.now();
            await stack.up();
            const seconds = (Date.now() - t0) / 1000;
            const logins = emu.calls.filter((c) => c.method === "login").length;
            const peak = emu.peakInFlight();
            // Ids follow creation order, which differs between runs; so do values derived from
            // them (document root, system user) or from the clock (stamp, serial, hash salt).
            const rows = Object.values(TYPE_TABLE).map(([t, idCol]) => emu.table(t).map((r) => {
                const { [idCol]: _id, serial, password, stamp, document_root, system_user, php_open_basedir, ...rest } = r;
                return JSON.stringify(rest);
            }).sort());
            await stack.destroy();
            await emu.close();
            return { seconds, logins, peak, rows: JSON.stringify(rows) };
        };
        const parallel = await tablesOf();
        const serial = await tablesOf("1");
        const r = { kind: "concurrency", resources: 100, parallelSeconds: parallel.seconds, serialSeconds: serial.seconds, loginsParallel: parallel.logins, loginsSerial: serial.logins, peakParallel: parallel.peak, peakSerial: serial.peak, identical: parallel.rows === serial.rows };
        results.push(r);
        save();
        process.stdout.write(`faults concurrency: 100 resources, ${r.parallelSeconds} s at the default cap vs ${r.serialSeconds} s one at a time, logins ${r.loginsParallel}/${r.loginsSerial}, peak calls in flight ${r.peakParallel}/${r.peakSerial}, identical ${r.identical}\n`);
        save();
    }
    // The secrets audit over everything above, plus every file the backend wrote.
    {
        const files: string[] = [];
        const walk = (d: string) => { for (const f of fs.readdirSync(d)) { const p = `${d}/${f}`; if (fs.statSync(p).isDirectory()) walk(p); else files.push(p); } };
        walk(ws.stateDir);
        const all = [...corpus, ...files.map((f) => fs.readFileSync(f, "utf8"))];
        const needles = [PANEL_PASSWORD, "Not-The-Password-9", ...MAILBOX_PASSWORDS, ...hashes];
        const hits = needles.reduce((n, x) => n + all.filter((c) => c.includes(x)).length, 0);
        // Proof the wire log was in what was searched: the requests that carry passwords, the answers that carry hashes.
        const wireLines = corpus.reduce((n, c) => n + (c.match(/ispconfig: > /g)?.length ?? 0), 0);
        const wireMailboxAdds = corpus.reduce((n, c) => n + (c.match(/ispconfig: > mail_user_add\(/g)?.length ?? 0), 0);
        const wireMaskedPasswords = corpus.reduce((n, c) => n + (c.match(/"password":"\*\*\*"/g)?.length ?? 0), 0);
        const r = { kind: "secretsAudit", texts: corpus.length, files: files.length, needles: needles.length, hits, wireLines, wireMailboxAdds, wireMaskedPasswords };
        results.push(r);
        process.stdout.write(`faults secrets audit: ${r.texts} outputs/errors/exports (with ${wireLines} wire-log requests, ${wireMailboxAdds} of them mail_user_add, ${wireMaskedPasswords} masked passwords) and ${r.files} backend files searched for ${r.needles} secrets: ${r.hits} hits\n`);
        save();
    }
}

main().catch((e) => {
    process.stderr.write(`${e?.stack ?? e}\n`);
    process.exit(1);
});
