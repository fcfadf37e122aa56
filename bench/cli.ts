/*
 * End-to-end speed as users feel it: the plain Pulumi CLI (`pulumi up --skip-preview`, `preview`,
 * `up` after a ttl change of every record, `refresh`, `destroy`; local file backend) on a user's
 * project directory with this package installed by name, declaring a zone and N individual A
 * records; beside it a script making the same panel calls one at a time with a login and a logout
 * around each (as several ISPConfig scripts do).
 *
 *   npm run bench:cli                         # test panel, N = 10 and 200, 2 runs each
 *   BENCH_N=10,200,1000 BENCH_REPEAT=3 npm run bench:cli
 *   BENCH_PANEL=http://127.0.0.1:8092/remote/index.php BENCH_PANEL_USER=apiuser BENCH_PANEL_PASSWORD=… \
 *     BENCH_PANEL_LOG=/var/lib/ispconfig-panel-4/php-server.log BENCH_PANEL_DB=dbispconfig_4 npm run bench:cli
 *   BENCH_VARIANTS=set,set-script BENCH_N=200,1000 npm run bench:cli      # DnsZoneRecords (below)
 *
 * Other switches: BENCH_VARIANTS (comma list of `ours`, `skipcp` = ours with
 * PULUMI_SKIP_CHECKPOINTS=true, `noop` = the same program on a do-nothing dynamic provider,
 * `script`; default these four; and the zone's records as one resource: `set` = the zone and ONE
 * DnsZoneRecords holding the N A records, whose `update` changes one record's address, and
 * `set-script` = the login-per-call script for it, which adds and deletes every record as `script`
 * does but whose update is that one record:
 *   BENCH_VARIANTS=set,set-script BENCH_N=200,1000 npm run bench:cli), BENCH_PKG (the package root the project installs, to measure
 * another build) with BENCH_LABEL (its rows' name, e.g. "before"), BENCH_LATENCY_MS (test panel
 * only, default 0), BENCH_JSON (file to write every measurement to), BENCH_MERGE (files written by
 * BENCH_JSON, named …-<round>.json: one table of medians over the rounds), BENCH_SAMPLE (file to
 * write one A record's state entry to).
 *
 * Per phase: the wall time (median of the runs), the panel requests (POSTs; on a real panel
 * counted in the web server's log) and logins, and where the time goes, from marks the program
 * and the plugin (ISPCONFIG_PROFILE_FILE, provider/runtime.ts) write: from launching the CLI to
 * the program's first line; loading this package; the program's body (constructing and
 * registering the resources); the plugin's first to last operation; the tail to the CLI's exit
 * (final checkpoint, plugin shutdown); the plugin's time inside our operations and its CPU.
 * State bytes per record after create; sessions left open on a real panel (remote_session).
 * Panel calls by method per phase (after the table): on the test panel from its call log, on a
 * real panel through a counting proxy in this process (BENCH_PANEL_PROXY=0: straight to the
 * panel, POSTs counted in BENCH_PANEL_LOG, which other users of the panel add to).
 * `noop` is the engine's and SDK's own floor for the same program; `skipcp` against `ours` is
 * what the checkpoint after every step costs.
 */
import { execFile, execFileSync } from "node:child_process";
import * as http from "node:http";
import { promisify } from "node:util";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, Emulator } from "../test/emulator";
import { prepareWorkspace, repoRoot, Workspace } from "../scripts/workspace";
import { createSession } from "../provider/soap/session";

const execFileAsync = promisify(execFile);
const NS = (process.env.BENCH_N ?? "10,200").split(",").map(Number);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 2);
const VARIANTS = (process.env.BENCH_VARIANTS ?? "ours,skipcp,noop,script").split(",");
const PKG = path.resolve(process.env.BENCH_PKG ?? repoRoot());
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 0);
const PANEL = process.env.BENCH_PANEL;
const PANEL_LOG = process.env.BENCH_PANEL_LOG;
const PANEL_DB = process.env.BENCH_PANEL_DB;
const USER = PANEL ? process.env.BENCH_PANEL_USER ?? "apiuser" : "apiuser";
const PASSWORD = PANEL ? process.env.BENCH_PANEL_PASSWORD ?? "" : "ApiPass123!";
const PROXY = PANEL !== undefined && process.env.BENCH_PANEL_PROXY !== "0";
const PHASES = ["create", "preview", "update", "refresh", "destroy"] as const;
type Phase = (typeof PHASES)[number];

interface Measure {
    n: number;
    variant: string;
    run: number;
    phase: Phase;
    wallMs: number;
    posts?: number;
    logins?: number;
    changes?: number;
    startMs?: number;
    loadMs?: number;
    programMs?: number;
    stepsMs?: number;
    tailMs?: number;
    pluginOpMs?: number;
    pluginOps?: number;
    pluginCpuMs?: number;
    pluginFirstOpAtMs?: number;
    stateBytes?: number;
    /** Panel calls of the phase by SOAP method. */
    byMethod?: Record<string, number>;
    stateBytesPerRecord?: number;
    exportBytesPerRecord?: number;
    openSessions?: number;
}

// ---- the panel: requests and sessions ----------------------------------------------------------

let emu: Emulator | undefined;

/**
 * A real panel's calls, counted by method: a pass-through HTTP proxy on loopback in this process
 * (the panel's own log names no method, and holds other users' calls too).
 */
interface CountingProxy {
    url: string;
    calls: { method: string }[];
    close(): Promise<void>;
}
async function startCountingProxy(target: string): Promise<CountingProxy> {
    const t = new URL(target);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const calls: { method: string }[] = [];
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const body = Buffer.concat(chunks);
            const m = /<(?:[\w.-]+:)?Body[^>]*>\s*<(?:[\w.-]+:)?([\w]+)/.exec(body.toString("utf8", 0, Math.min(body.length, 4096)));
            if (req.method === "POST") calls.push({ method: m?.[1] ?? "?" });
            const headers = { ...req.headers, host: t.host };
            const up = http.request({ host: t.hostname, port: t.port || 80, method: req.method, path: req.url, headers, agent }, (r) => {
                res.writeHead(r.statusCode ?? 502, r.headers);
                r.pipe(res);
            });
            up.on("error", () => req.socket.destroy());
            up.end(body);
        });
    });
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    const port = (server.address() as { port: number }).port;
    return {
        url: `http://127.0.0.1:${port}${t.pathname}${t.search}`,
        calls,
        close: () => new Promise<void>((ok) => {
            server.closeAllConnections();
            server.close(() => ok());
            agent.destroy();
        }),
    };
}
let proxy: CountingProxy | undefined;

const endpoint = () => proxy?.url ?? PANEL ?? emu!.url;
/** Every call so far, by method name, in order (undefined: not known, a real panel without the proxy). */
const callLog = (): { method: string }[] | undefined => emu?.calls ?? proxy?.calls;
function byMethodSince(n0: number): Record<string, number> | undefined {
    const log = callLog();
    if (!log) return undefined;
    const out: Record<string, number> = {};
    for (const c of log.slice(n0)) out[c.method] = (out[c.method] ?? 0) + 1;
    return out;
}
function panelCounters(): { posts: number; logins: number; at: number } {
    const log = callLog();
    if (log) return { posts: log.length, logins: log.filter((c) => c.method === "login").length, at: log.length };
    const posts = PANEL_LOG && fs.existsSync(PANEL_LOG) ? (fs.readFileSync(PANEL_LOG, "utf8").match(/\]: POST /g) ?? []).length : NaN;
    return { posts, logins: NaN, at: 0 };
}
function openSessions(): number | undefined {
    if (emu) return emu.panel.sessions.size;
    if (!PANEL_DB) return undefined;
    try {
        return Number(execFileSync("mariadb", ["-uroot", "-N", PANEL_DB, "-e", "select count(*) from remote_session"], { encoding: "utf8" }).trim());
    } catch {
        return undefined;
    }
}

// ---- the projects: a user's project directory, run with the plain CLI ---------------------------

const zoneName = (n: number, run: number) => `bench${n}-${run}-${process.pid}.example.com`;

/** Our program: a zone and N records, the package installed under node_modules as users have it. */
const OURS_PROGRAM = `const t0 = Date.now();
const pulumi = require("@pulumi/pulumi");
const tp = Date.now();
const isp = require("pulumi-ispconfig");
const t1 = Date.now();
const cfg = new pulumi.Config();
const n = cfg.requireNumber("n"), ttl = cfg.requireNumber("ttl"), origin = cfg.require("origin");
const zone = new isp.DnsZone("zone", { origin, ns: "ns1.example.net", mbox: "hostmaster@" + origin });
for (let i = 0; i < n; i++) new isp.ARecord("r" + i, { zoneId: zone.id, name: "h" + i, address: "10.0." + (i >> 8) + "." + (i & 255), ttl });
require("fs").appendFileSync(process.env.BENCH_MARKS, JSON.stringify({ program: [t0, t1, Date.now(), tp] }) + "\\n");
`;

/**
 * The zone's records as one resource: the zone and one DnsZoneRecords with the same N A records.
 * Config `changed` (a number) gives record h0 another address: a one-record change.
 */
const SET_PROGRAM = `const t0 = Date.now();
const pulumi = require("@pulumi/pulumi");
const tp = Date.now();
const isp = require("pulumi-ispconfig");
const t1 = Date.now();
const cfg = new pulumi.Config();
const n = cfg.requireNumber("n"), ttl = cfg.requireNumber("ttl"), origin = cfg.require("origin"), changed = cfg.getNumber("changed") ?? 0;
const zone = new isp.DnsZone("zone", { origin, ns: "ns1.example.net", mbox: "hostmaster@" + origin });
const records = [];
for (let i = 0; i < n; i++) records.push({ type: "A", name: "h" + i, address: i === 0 && changed ? "10.255.255." + changed : "10.0." + (i >> 8) + "." + (i & 255), ttl });
new isp.DnsZoneRecords("records", { zoneId: zone.id, records });
require("fs").appendFileSync(process.env.BENCH_MARKS, JSON.stringify({ program: [t0, t1, Date.now(), tp] }) + "\\n");
`;

/** The same program shape on a dynamic provider that does nothing: the engine's and SDK's own cost. */
const NOOP_PROGRAM = `const t0 = Date.now();
const pulumi = require("@pulumi/pulumi");
const t1 = Date.now();
const mark = (ms) => require("fs").appendFileSync(process.env.BENCH_MARKS, JSON.stringify({ op: ms }) + "\\n");
const provider = {
    async create(inputs) { const s = Date.now(); mark([s, Date.now()]); return { id: String(Math.random()).slice(2), outs: inputs }; },
    async diff(id, olds, news) { const s = Date.now(); const changes = olds.ttl !== news.ttl; mark([s, Date.now()]); return { changes }; },
    async update(id, olds, news) { const s = Date.now(); mark([s, Date.now()]); return { outs: news }; },
    async read(id, props) { const s = Date.now(); mark([s, Date.now()]); return { id, props }; },
    async delete() { const s = Date.now(); mark([s, Date.now()]); },
};
class Zone extends pulumi.dynamic.Resource { constructor(name, props) { super(provider, name, props, undefined, "noop", "Zone"); } }
class Record extends pulumi.dynamic.Resource { constructor(name, props) { super(provider, name, props, undefined, "noop", "Record"); } }
const cfg = new pulumi.Config();
const n = cfg.requireNumber("n"), ttl = cfg.requireNumber("ttl");
const zone = new Zone("zone", { origin: cfg.require("origin") });
for (let i = 0; i < n; i++) new Record("r" + i, { zoneId: zone.id, name: "h" + i, address: "10.0." + (i >> 8) + "." + (i & 255), ttl });
require("fs").appendFileSync(process.env.BENCH_MARKS, JSON.stringify({ program: [t0, t1, Date.now()] }) + "\\n");
`;

function makeProject(ws: Workspace, variant: string): string {
    const dir = path.join(ws.dir, `project-${variant}`);
    const nm = path.join(dir, "node_modules");
    fs.mkdirSync(nm, { recursive: true });
    // Installed as in a user's project: @pulumi from the repo, this package (or BENCH_PKG) by name.
    if (!fs.existsSync(path.join(nm, "@pulumi"))) fs.symlinkSync(path.join(repoRoot(), "node_modules", "@pulumi"), path.join(nm, "@pulumi"), "dir");
    if (!fs.existsSync(path.join(nm, "pulumi-ispconfig"))) fs.symlinkSync(PKG, path.join(nm, "pulumi-ispconfig"), "dir");
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: bench\nruntime: nodejs\nmain: index.js\n`);
    fs.writeFileSync(path.join(dir, "index.js"), variant === "noop" ? NOOP_PROGRAM : variant === "set" ? SET_PROGRAM : OURS_PROGRAM);
    return dir;
}

/** Asynchronous: the test panel answers from this process meanwhile. */
async function cli(ws: Workspace, cwd: string, env: Record<string, string>, args: string[]): Promise<string> {
    try {
        return (await execFileAsync(ws.cli.command, args, { cwd, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 })).stdout;
    } catch (e: any) {
        // The engine's diagnostics (the provider's error among them), not the tail of 1000 records' events.
        const diags = String(e.stdout ?? "")
            .split("\n")
            .flatMap((l) => {
                try {
                    const d = JSON.parse(l).diagnosticEvent;
                    return d && d.severity !== "debug" && d.severity !== "info" ? [`${d.severity}${d.urn ? ` ${d.urn.split("::").pop()}` : ""}: ${d.message.trim()}`] : [];
                } catch {
                    return [];
                }
            });
        throw new Error(`pulumi ${args.join(" ")} failed:\n${diags.join("\n") || String(e.stdout ?? "").slice(-3000)}\n${String(e.stderr ?? "").slice(-3000)}`);
    }
}

/** What the program and the plugin wrote about themselves (epoch ms). */
function readMarks(file: string) {
    const m: { program?: number[]; firstOp?: number; lastOp?: number } = {};
    if (fs.existsSync(file)) {
        for (const line of fs.readFileSync(file, "utf8").split("\n").filter(Boolean)) {
            const x = JSON.parse(line);
            if (x.program) m.program = x.program;
            if (x.op) {
                m.firstOp = Math.min(m.firstOp ?? Infinity, x.op[0]);
                m.lastOp = Math.max(m.lastOp ?? 0, x.op[1]);
            }
        }
        fs.rmSync(file);
    }
    return m;
}

function pluginProfile(dir: string) {
    let cpu = 0;
    let opMs = 0;
    let ops = 0;
    let firstOp: number | undefined;
    let lastOp: number | undefined;
    for (const f of fs.readdirSync(dir).filter((x) => x.startsWith("provider-profile."))) {
        const p = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
        cpu += (p.cpu.user + p.cpu.system) / 1000;
        ops += p.ops;
        if (p.byOp) for (const o of Object.values<any>(p.byOp)) opMs += o.ms;
        if (p.firstOpStart) firstOp = Math.min(firstOp ?? Infinity, p.firstOpStart);
        if (p.lastOpEnd) lastOp = Math.max(lastOp ?? 0, p.lastOpEnd);
        fs.rmSync(path.join(dir, f));
    }
    return { pluginCpuMs: cpu, pluginOpMs: opMs || undefined, pluginOps: ops, firstOp, lastOp };
}

function stateSize(ws: Workspace, project: string, stackName: string, n: number) {
    const file = path.join(ws.stateDir, ".pulumi", "stacks", project, `${stackName}.json`);
    if (!fs.existsSync(file)) return {};
    const bytes = fs.statSync(file).size;
    const deployment = JSON.parse(fs.readFileSync(file, "utf8")).checkpoint.latest;
    const records = (deployment.resources as any[]).filter((r) => /:(ARecord|Record|DnsZoneRecords)$/.test(r.type));
    // Per record: a record resource's entry, or a DnsZoneRecords entry over the records it holds.
    const count = records.some((r) => /DnsZoneRecords$/.test(r.type)) ? n : records.length;
    // As the file backend stores it (compact JSON), and as `pulumi stack export` prints it (indented).
    const perRecord = records.reduce((a, r) => a + Buffer.byteLength(JSON.stringify(r)), 0) / Math.max(1, count);
    const perRecordExport = records.reduce((a, r) => a + Buffer.byteLength(JSON.stringify(r, null, 4)), 0) / Math.max(1, count);
    if (records[0] && process.env.BENCH_SAMPLE) fs.writeFileSync(process.env.BENCH_SAMPLE, JSON.stringify(records[0], null, 4));
    return { stateBytes: bytes, stateBytesPerRecord: Math.round(perRecord), exportBytesPerRecord: Math.round(perRecordExport) };
}

type CliVariant = "ours" | "skipcp" | "noop" | "set";
async function cliRun(ws: Workspace, variant: CliVariant, n: number, run: number): Promise<Measure[]> {
    const dir = makeProject(ws, variant);
    const stackName = `${variant}-${n}-${run}`;
    const marks = path.join(ws.dir, "marks.jsonl");
    const profile = path.join(ws.dir, "provider-profile");
    const env: Record<string, string> = { ...(process.env as Record<string, string>), ...ws.envVars, BENCH_MARKS: marks, ISPCONFIG_PROFILE_FILE: profile, PULUMI_SKIP_CONFIRMATIONS: "true" };
    // As for a user: the plugin finds the package by name in the project, nothing else helps it.
    delete env.PULUMI_ISPCONFIG_RUNTIME;
    if (variant === "skipcp") env.PULUMI_SKIP_CHECKPOINTS = "true";
    await cli(ws, dir, env, ["stack", "init", stackName]);
    await cli(ws, dir, env, ["config", "set-all", "--plaintext", `ispconfig:endpoint=${endpoint()}`, "--plaintext", `ispconfig:username=${USER}`, "--secret", `ispconfig:password=${PASSWORD}`,
        "--plaintext", `n=${n}`, "--plaintext", "ttl=3600", "--plaintext", `origin=${zoneName(n, run)}`]);
    const out: Measure[] = [];
    const phase = async (name: Phase, args: string[]) => {
        pluginProfile(ws.dir);
        readMarks(marks);
        const c0 = panelCounters();
        const t0 = Date.now();
        const json = await cli(ws, dir, env, args);
        const byMethod = variant === "noop" ? undefined : byMethodSince(c0.at);
        const end = Date.now();
        const c1 = panelCounters();
        const pm = readMarks(marks);
        const pp = pluginProfile(ws.dir);
        const firstOp = variant === "noop" ? pm.firstOp : pp.firstOp;
        const lastOp = variant === "noop" ? pm.lastOp : pp.lastOp;
        // `up --json` prints engine events, one per line, the summary last; `preview --json` one
        // document with a changeSummary. Either way: {"create": 201, "same": 0, …}.
        let counts: Record<string, number> = {};
        const summaryLine = json.split("\n").reverse().find((l) => l.includes('"summaryEvent"'));
        if (summaryLine) counts = JSON.parse(summaryLine).summaryEvent.resourceChanges ?? {};
        else if (json.includes('"changeSummary"')) counts = JSON.parse(json).changeSummary ?? {};
        const changed = Object.entries(counts).filter(([k]) => k !== "same").reduce((a, [, v]) => a + Number(v), 0);
        const m: Measure = {
            n,
            variant,
            run,
            phase: name,
            wallMs: end - t0,
            posts: variant === "noop" ? 0 : c1.posts - c0.posts,
            logins: variant === "noop" ? 0 : c1.logins - c0.logins,
            changes: changed,
            startMs: pm.program ? pm.program[0] - t0 : firstOp !== undefined ? firstOp - t0 : undefined,
            // Loading this package (the SDK is mostly loaded by the language host already).
            loadMs: pm.program ? pm.program[1] - (pm.program[3] ?? pm.program[0]) : undefined,
            programMs: pm.program ? pm.program[2] - pm.program[1] : undefined,
            stepsMs: firstOp !== undefined && lastOp !== undefined ? lastOp - firstOp : undefined,
            tailMs: lastOp !== undefined ? end - lastOp : undefined,
            pluginCpuMs: pp.pluginCpuMs,
            pluginOpMs: pp.pluginOpMs,
            pluginOps: pp.pluginOps,
            openSessions: openSessions(),
            byMethod,
        };
        if (name === "create") Object.assign(m, stateSize(ws, "bench", stackName, n));
        out.push(m);
    };
    await phase("create", ["up", "--yes", "--skip-preview", "--json"]);
    await phase("preview", ["preview", "--json"]);
    // Every record's ttl; for the set, one record's address.
    await cli(ws, dir, env, variant === "set" ? ["config", "set", "changed", "1"] : ["config", "set", "ttl", "7200"]);
    await phase("update", ["up", "--yes", "--skip-preview", "--json"]);
    await phase("refresh", ["refresh", "--yes", "--skip-preview", "--json"]);
    await phase("destroy", ["destroy", "--yes", "--skip-preview", "--json"]);
    await cli(ws, dir, env, ["stack", "rm", "--yes", stackName]);
    return out;
}

// ---- the login-per-call script -----------------------------------------------------------------

async function perCall(method: string, ...args: any[]): Promise<any> {
    const s = createSession({ endpoint: endpoint(), username: USER, password: PASSWORD });
    try {
        return await s.call(method, ...args);
    } finally {
        await s.close();
    }
}

/** `script`: the update changes every record's ttl; `set-script`: one record's address (as `set`). */
async function scriptRun(n: number, run: number, variant: "script" | "set-script" = "script"): Promise<Measure[]> {
    const out: Measure[] = [];
    const phase = async (name: Phase, fn: () => Promise<void>) => {
        const c0 = panelCounters();
        const t0 = performance.now();
        await fn();
        const c1 = panelCounters();
        out.push({ n, variant, run, phase: name, wallMs: performance.now() - t0, posts: c1.posts - c0.posts, logins: c1.logins - c0.logins, openSessions: openSessions(), byMethod: byMethodSince(c0.at) });
    };
    const origin = `${variant === "script" ? "s" : "t"}${zoneName(n, run)}.`;
    let zone = 0;
    const ids: number[] = [];
    await phase("create", async () => {
        zone = Number(await perCall("dns_zone_add", 0, { server_id: 1, origin, ns: "ns1.example.net.", mbox: `hostmaster.${origin}`, serial: 1, refresh: 7200, retry: 540, expire: 604800, minimum: 3600, ttl: 3600, active: "Y", xfer: "", also_notify: "", update_acl: "" }));
        for (let i = 0; i < n; i++) ids.push(Number(await perCall("dns_a_add", 0, { server_id: 1, zone, name: `h${i}`, type: "A", data: `10.0.${i >> 8}.${i & 255}`, ttl: 3600, active: "Y", stamp: "2026-01-01 00:00:00", serial: 1 }, true)));
    });
    await phase("preview", async () => undefined);
    await phase("update", async () => {
        if (variant === "set-script") await perCall("dns_a_update", 0, ids[0], { zone, data: "10.255.255.1", type: "A" }, true);
        else for (const id of ids) await perCall("dns_a_update", 0, id, { zone, ttl: 7200, type: "A" }, true);
    });
    await phase("refresh", async () => {
        await perCall("dns_zone_get", zone);
        for (const id of ids) await perCall("dns_a_get", id);
    });
    await phase("destroy", async () => {
        for (const id of ids) await perCall("dns_a_delete", id, true);
        await perCall("dns_zone_delete", zone);
    });
    return out;
}

// ---- report ------------------------------------------------------------------------------------

const median = (xs: number[]) => {
    const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
    if (v.length === 0) return NaN;
    return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const fmt = (x: number | undefined, unit = "") => (x === undefined || !Number.isFinite(x) ? "–" : `${Math.round(x)}${unit}`);

function report(all: Measure[]): string {
    const ns = [...new Set(all.map((m) => m.n))];
    const variants = [...new Set(all.map((m) => m.variant))];
    const lines: string[] = [];
    const cols = ["N", "variant", "phase", "wall ms", "vs script", "POSTs", "logins", "changes", "start", "load", "program", "steps", "tail", "plugin op ms", "plugin CPU", "state B/rec", "export B/rec", "state KB", "open sess."];
    const widths = [6, 14, 9, 9, 10, 7, 7, 8, 7, 6, 8, 7, 7, 13, 11, 12, 13, 9, 10];
    lines.push(cols.map((c, i) => c.padEnd(widths[i])).join(""));
    for (const n of ns) {
        for (const variant of variants) {
            for (const phase of PHASES) {
                const ms = all.filter((m) => m.n === n && m.variant === variant && m.phase === phase);
                if (ms.length === 0) continue;
                const med = (k: keyof Measure) => median(ms.map((m) => m[k] as number).filter((x) => x !== undefined));
                // Against the script's run of the same round (the machine's load drifts between rounds).
                const ref = scriptOf(variant);
                const ratios = ms.flatMap((m) => {
                    const sc = all.find((x) => x.n === n && x.variant === ref && x.phase === phase && x.run === m.run);
                    return sc ? [m.wallMs / sc.wallMs] : [];
                });
                const vs = !isScript(variant) && phase !== "preview" && ratios.length ? `${median(ratios).toFixed(1)}×` : "";
                const row = [String(n), variant, phase, fmt(med("wallMs")), vs, fmt(med("posts")), fmt(med("logins")), fmt(med("changes")), fmt(med("startMs")), fmt(med("loadMs")), fmt(med("programMs")), fmt(med("stepsMs")), fmt(med("tailMs")),
                    fmt(med("pluginOpMs")), fmt(med("pluginCpuMs")), phase === "create" ? fmt(med("stateBytesPerRecord")) : "", phase === "create" ? fmt(med("exportBytesPerRecord")) : "",
                    phase === "create" ? fmt(med("stateBytes") / 1024) : "", fmt(med("openSessions"))];
                lines.push(row.map((c, i) => c.padEnd(widths[i])).join(""));
            }
        }
    }
    return lines.join("\n") + byMethodReport(all);
}

const isScript = (variant: string) => variant === "script" || variant === "set-script";
/** The script a variant is compared with: `set` with `set-script` (same one-record update), the rest with `script`. */
const scriptOf = (variant: string) => (variant.replace(/^.*:/, "") === "set" ? "set-script" : "script");

/** Panel calls per phase by method (median over the runs, each method on its own). */
function byMethodReport(all: Measure[]): string {
    const rows = all.filter((m) => m.byMethod);
    if (rows.length === 0) return "";
    const lines = ["", "", "Panel calls per phase by method (median of the runs; methods in the order first called):", ""];
    const widths = [6, 14, 9];
    for (const n of [...new Set(rows.map((m) => m.n))]) {
        for (const variant of [...new Set(rows.map((m) => m.variant))]) {
            for (const phase of PHASES) {
                const ms = rows.filter((m) => m.n === n && m.variant === variant && m.phase === phase);
                if (ms.length === 0) continue;
                const methods = [...new Set(ms.flatMap((m) => Object.keys(m.byMethod!)))];
                const text = methods.map((k) => `${k} ${fmt(median(ms.map((m) => m.byMethod![k] ?? 0)))}`).join(", ");
                lines.push([String(n), variant, phase].map((c, i) => c.padEnd(widths[i])).join("") + (text || "no calls"));
            }
        }
    }
    return lines.join("\n");
}

/** BENCH_LABEL names this build's rows (e.g. "before"), so runs of two builds can be merged. */
const LABEL = process.env.BENCH_LABEL ? `${process.env.BENCH_LABEL}:` : "";

async function main() {
    // BENCH_MERGE=a.json,b.json: one table of the medians over several runs' BENCH_JSON files.
    if (process.env.BENCH_MERGE) {
        const files = process.env.BENCH_MERGE.split(",");
        // Files named …-<round>.json: rows of one round (one build's run and the other's, the
        // script's) are compared with each other.
        const all = files.flatMap((f) => (JSON.parse(fs.readFileSync(f, "utf8")).all as Measure[]).map((m) => ({ ...m, run: Number(/-(\d+)\.json$/.exec(f)?.[1] ?? m.run) })));
        const rounds = new Set(all.map((m) => m.run)).size;
        process.stdout.write(`${ND(all)}, real Pulumi CLI, ${PANEL ? `panel ${PANEL}` : "see the files"}: median of ${rounds} rounds (${files.length} files)\n\n${report(all)}\n`);
        return;
    }
    if (!PANEL) emu = await startEmulator({ latencyMs: LATENCY });
    else if (PROXY) proxy = await startCountingProxy(PANEL);
    const ws = await prepareWorkspace();
    const all: Measure[] = [];
    for (const n of NS) {
        for (let run = 0; run < REPEAT; run++) {
            for (const v of VARIANTS) {
                const ms = isScript(v) ? await scriptRun(n, run, v as "script" | "set-script") : await cliRun(ws, v as CliVariant, n, run);
                for (const m of ms) if (v === "ours" || v === "skipcp" || v === "set") m.variant = LABEL + m.variant;
                all.push(...ms);
                process.stderr.write(`N=${n} run ${run + 1}/${REPEAT} ${v}: ${ms.map((m) => `${m.phase} ${Math.round(m.wallMs)} ms`).join(", ")}\n`);
            }
        }
    }
    await emu?.close();
    await proxy?.close();
    const head =
        `${N_DESC()} — real Pulumi CLI ${ws.cli.version}, ${PANEL ? `panel ${PANEL}${PROXY ? " (calls counted by a proxy in this process)" : ""}` : `test panel (latency ${LATENCY} ms)`}, ` +
        `package ${PKG}, median of ${REPEAT} run(s), ${new Date().toISOString()}\n\n`;
    const text = head + report(all) + "\n";
    process.stdout.write(text);
    if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, JSON.stringify({ head, all }, null, 1));
}
const what = (variants: string[]) =>
    [variants.some((v) => !/(^|:)set(-script)?$/.test(v)) ? "zone + N individual A records" : "", variants.some((v) => /(^|:)set(-script)?$/.test(v)) ? "zone + one DnsZoneRecords of N A records" : ""]
        .filter(Boolean)
        .join("; ");
const ND = (all: Measure[]) => `${what([...new Set(all.map((m) => m.variant))])}, N = ${[...new Set(all.map((m) => m.n))].join(", ")}`;
const N_DESC = () => `${what(VARIANTS)}, N = ${NS.join(", ")}`;

main().catch((e) => {
    process.stderr.write(`${e?.stack ?? e}\n`);
    process.exit(1);
});
