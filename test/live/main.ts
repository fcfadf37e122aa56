/*
 * `npm run test:live`: the live suite (lifecycle.ts) and the differential test
 * (differential.ts) against the real panel named by ISPCONFIG_LIVE_*. Both always run; the
 * last line is "live (<mode>): N passed, N failed" over both, where each lifecycle check and
 * each compared call counts once (a divergence not in known-differences.json, or a listed
 * one that no longer occurs, is a failure). Exit status 1 if anything failed.
 *
 *   --create-only   the lifecycle's create path only (up, preview, destroy): the strict
 *                   sql_mode run in CI, where the rest of the lifecycle adds nothing new
 */
import { createSession } from "../../provider/soap/session";
import { liveConfig } from "./config";
import { describeLeftovers, count, sweep } from "./sweep";
import { report, runDifferential } from "./differential";
import * as fs from "node:fs";
import { activeWorkspace, runLifecycle, table } from "./lifecycle";

async function main(): Promise<number> {
    const createOnly = process.argv.includes("--create-only");
    let cfg;
    try {
        cfg = liveConfig();
    } catch (e: any) {
        process.stderr.write(`live: ${e?.message ?? e}\n`);
        process.stdout.write(`live: 0 passed, 1 failed\n`);
        return 1;
    }
    const label = `live (${cfg.sqlMode} sql_mode${createOnly ? ", create path" : ""})`;
    // Interrupted (Ctrl-C, CI timeout): the finally blocks will not run, so sweep here. A
    // permanent listener, first in line: a once-listener lets the CLI wrapper's signal-exit
    // re-raise the signal and end the process before the sweep.
    const c = cfg;
    let interrupted = false;
    for (const sig of ["SIGINT", "SIGTERM"] as const) {
        process.prependListener(sig, () => {
            if (interrupted) return;
            interrupted = true;
            if (activeWorkspace.dir) fs.rmSync(activeWorkspace.dir, { recursive: true, force: true });
            const s = createSession({ endpoint: c.endpoint, username: c.username, password: c.password, insecure: c.insecure, caFile: c.caFile });
            sweep(s)
                .then((l) => process.stdout.write(`live: interrupted; removed ${count(l) ? describeLeftovers(l) : "nothing"}\n`))
                .catch((e) => process.stderr.write(`live: interrupted; cleanup failed: ${e?.message ?? e} (run again with ISPCONFIG_LIVE_CLEAN=1)\n`))
                .finally(() => process.exit(130));
        });
    }
    let passed = 0;
    let failed = 0;

    const t0 = Date.now();
    try {
        const r = await runLifecycle(cfg, { createOnly, label });
        process.stdout.write(table(label, r.steps));
        for (const f of r.failures) process.stdout.write(`  FAIL ${f}\n`);
        process.stdout.write(`${label} lifecycle: ${r.passed} checks passed, ${r.failed} failed (${((Date.now() - t0) / 1000).toFixed(1)} s)\n\n`);
        passed += r.passed;
        failed += r.failed;
    } catch (e: any) {
        process.stdout.write(`  FAIL lifecycle: ${e?.stack ?? e}\n`);
        failed++;
    }

    const t1 = Date.now();
    try {
        const d = await runDifferential(cfg);
        process.stdout.write(report(d));
        const bad = d.unexplained.length + d.stale.length;
        process.stdout.write(`differential (${cfg.sqlMode} sql_mode): ${((Date.now() - t1) / 1000).toFixed(1)} s\n\n`);
        passed += d.compared - d.unexplained.length;
        failed += bad;
    } catch (e: any) {
        process.stdout.write(`  FAIL differential: ${e?.stack ?? e}\n`);
        failed++;
    }
    process.stdout.write(`${label}: ${passed} passed, ${failed} failed\n`);
    return failed ? 1 : 0;
}

main().then(
    (code) => process.exit(code),
    (e) => {
        process.stderr.write(`live: ${e?.stack ?? e}\n`);
        process.stdout.write(`live: 0 passed, 1 failed\n`);
        process.exit(1);
    },
);
