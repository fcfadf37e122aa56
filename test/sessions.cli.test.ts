import { userProject } from "./helpers/pulumiEnv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { Emulator, startEmulator } from "./emulator";

/*
 * Sessions are closed: after each `pulumi up`, `preview`, `refresh` and `destroy` typed at the
 * command line, no session of ours is left open on the panel. The engine ends the provider plugin
 * with SIGINT to its process group (then SIGKILL after 5 s); the plugin logs out on that signal
 * (provider/soap/sharedSession.ts). Before, every run left its session open until the panel's
 * 1800 s expiry.
 *
 * Against the test panel always; also against a real ISPConfig panel when
 * SESSIONS_REAL_PANEL_URL (its remote/index.php), SESSIONS_REAL_PANEL_DB (its MariaDB database,
 * read as root through `mariadb`: remote_session) and SESSIONS_REAL_PANEL_PASSWORD (of `apiuser`)
 * are set.
 */
const run = promisify(execFile);
const repo = path.join(__dirname, "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ispconfig-sessions-"));
let cli = "";

const PROGRAM = `const pulumi = require("@pulumi/pulumi");
const isp = require("pulumi-ispconfig");
const cfg = new pulumi.Config();
const origin = cfg.require("origin"), ttl = cfg.getNumber("ttl") ?? 3600;
const zone = new isp.DnsZone("zone", { origin, ns: "ns1.example.net", mbox: "hostmaster@" + origin });
for (let i = 0; i < 3; i++) new isp.ARecord("r" + i, { zoneId: zone.id, name: "h" + i, address: "192.0.2." + (10 + i), ttl });
`;

/** A user's project: Pulumi.yaml, index.js, and this package installed by name. */
function project(name: string): { dir: string; env: NodeJS.ProcessEnv } {
    const dir = path.join(tmp, name);
    return { dir, env: userProject(dir, "sessions", PROGRAM) };
}

async function pulumi(p: { dir: string; env: NodeJS.ProcessEnv }, args: string[]): Promise<string> {
    const r = await run(cli, [...args, "--non-interactive"], { cwd: p.dir, env: p.env, maxBuffer: 64 << 20, timeout: 5 * 60_000 }).catch((e) => {
        throw new Error(`pulumi ${args.join(" ")} failed: ${e.message}\n${String(e.stdout ?? "").slice(-3000)}\n${String(e.stderr ?? "").slice(-3000)}`);
    });
    return r.stdout;
}

interface Panel {
    url: string;
    password: string;
    /** Sessions open on the panel now. */
    open(): number;
    /** Logins and logouts so far (test panel only). */
    counts?(): { logins: number; logouts: number };
}

/** up, preview, refresh, up with a change, destroy: after each, no session of ours is open. */
async function everyCommandLogsOut(panel: Panel, name: string): Promise<void> {
    const p = project(name);
    const opened = panel.open();
    await pulumi(p, ["stack", "init", "dev"]);
    await pulumi(p, ["config", "set", "ispconfig:endpoint", panel.url]);
    await pulumi(p, ["config", "set", "ispconfig:username", "apiuser"]);
    await pulumi(p, ["config", "set", "--secret", "ispconfig:password", panel.password]);
    await pulumi(p, ["config", "set", "origin", `${name}-${process.pid}.example.com`]);
    const steps: [string, string[]][] = [
        ["up", ["up", "--yes", "--skip-preview"]],
        ["preview", ["preview"]],
        ["refresh", ["refresh", "--yes", "--skip-preview"]],
        ["config", ["config", "set", "ttl", "7200"]],
        ["up (update)", ["up", "--yes", "--skip-preview"]],
        ["destroy", ["destroy", "--yes", "--skip-preview"]],
    ];
    for (const [label, args] of steps) {
        const c0 = panel.counts?.();
        await pulumi(p, args);
        expect(panel.open(), `sessions left open after ${label}`).toBe(opened);
        if (c0 && label !== "config") {
            const c1 = panel.counts!();
            const logins = c1.logins - c0.logins;
            expect(c1.logouts - c0.logouts, `logouts after ${label}`).toBe(logins);
            // preview never calls the panel; every other command logs in once.
            expect(logins, `logins in ${label}`).toBe(label === "preview" ? 0 : 1);
        }
    }
}

beforeAll(async () => {
    const { stdout } = await run("bash", [path.join(repo, "scripts", "pulumi-cli.sh")], { cwd: repo, timeout: 45 * 60_000, maxBuffer: 64 << 20 });
    cli = stdout.trim().split("\n").pop()!;
    if (!fs.existsSync(path.join(repo, "bin", "provider", "runtime.js"))) throw new Error("bin/ is missing: run `npm run build` first (npm test does)");
}, 45 * 60_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("sessions are closed at the end of every CLI run", () => {
    let emu: Emulator;
    beforeAll(async () => {
        emu = await startEmulator();
    });
    afterAll(() => emu?.close());

    it("test panel: each up, preview, refresh and destroy logs out what it logged in", async () => {
        await everyCommandLogsOut(
            {
                url: emu.url,
                password: "ApiPass123!",
                open: () => emu.panel.sessions.size,
                counts: () => ({ logins: emu.calls.filter((c) => c.method === "login").length, logouts: emu.calls.filter((c) => c.method === "logout").length }),
            },
            "emu",
        );
    }, 5 * 60_000);

    const real = process.env.SESSIONS_REAL_PANEL_URL;
    const db = process.env.SESSIONS_REAL_PANEL_DB;
    it.skipIf(!real || !db)("real panel: remote_session holds no session of ours after any command", async () => {
        const open = () => Number(execFileSync("mariadb", ["-uroot", "-N", db!, "-e", "select count(*) from remote_session"], { encoding: "utf8" }).trim());
        await everyCommandLogsOut({ url: real!, password: process.env.SESSIONS_REAL_PANEL_PASSWORD ?? "ApiPass123!", open }, "real");
    }, 5 * 60_000);
});
