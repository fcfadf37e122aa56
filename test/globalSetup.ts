import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/*
 * Runs once in vitest's main process, before any test file and after the last.
 *
 * 1. The Pulumi CLI: when the run includes tests that need it and it is not built yet, the build
 *    (~7 minutes, once per machine) happens here with its progress on this terminal, rather than
 *    silently inside a test file's beforeAll (whose output vitest holds back).
 * 2. Temporary directories: every test and driver it starts gets a private TMPDIR. Whatever our
 *    code leaves there under our prefixes (ispc-*, ispconfig-*) fails the run by name, and the
 *    whole directory goes, so no run leaves anything in the system's temp dir.
 */
const repo = path.join(__dirname, "..");
const OURS = /^(ispc|ispconfig)[-_]/;

/** `vitest run a.test.ts b` filters by file name; none means every file. */
function needsCli(): boolean {
    const filters = process.argv.slice(2).filter((a) => !a.startsWith("-") && a !== "run" && a !== "watch");
    return filters.length === 0 || filters.some((f) => /cli|package|e2e|project|faults/.test(f));
}

export default function setup(): () => void {
    const systemTmp = os.tmpdir();
    const tmp = fs.mkdtempSync(path.join(systemTmp, "pulumi-ispconfig-tests-"));
    process.env.TMPDIR = tmp;

    if (needsCli()) {
        const t0 = Date.now();
        const r = spawnSync("bash", [path.join(repo, "scripts", "pulumi-cli.sh")], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8", timeout: 45 * 60_000 });
        if (r.status !== 0) process.stderr.write("pulumi-ispconfig tests: no Pulumi CLI (see above); the tests that need it will fail.\n");
        else if (Date.now() - t0 > 10_000) process.stderr.write(`pulumi-ispconfig tests: Pulumi CLI ready at ${r.stdout.trim()}\n`);
    }

    return () => {
        const left = fs.existsSync(tmp) ? fs.readdirSync(tmp).filter((n) => OURS.test(n)) : [];
        fs.rmSync(tmp, { recursive: true, force: true });
        if (left.length > 0) {
            throw new Error(`tests or scripts left temporary directories behind (removed now, but the code that made them must): ${left.join(", ")}`);
        }
    };
}
