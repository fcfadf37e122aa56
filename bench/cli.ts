/*
 * The provider's share of a real `pulumi up` (issue 6): the mixed 200-resource program through
 * the Pulumi CLI against the test panel with 20 ms latency. For up, refresh and destroy it
 * reports the wall time, the time the panel was busy (at least one call in flight), what is
 * left (engine + plugin + provider), and the CPU time of the provider plugin process itself.
 *
 *   npm run bench:cli
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { startEmulator } from "../test/emulator";
import { prepareWorkspace } from "../scripts/workspace";
import { MAILBOX_PASSWORDS, program } from "../scripts/mixedProgram";

const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 20);

async function main() {
    const emu = await startEmulator({ latencyMs: LATENCY });
    const ws = await prepareWorkspace();
    const profile = path.join(ws.dir, "provider-profile");
    const envVars = { ...ws.envVars, ISPCONFIG_PROFILE_FILE: profile };
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: "bench", projectName: "faults", program: program(20, 2) },
        { workDir: ws.project, pulumiCommand: ws.cli, envVars },
    );
    await stack.setAllConfig({
        "ispconfig:endpoint": { value: emu.url },
        "ispconfig:username": { value: "apiuser" },
        "ispconfig:password": { value: "ApiPass123!", secret: true },
        "faults:pw0": { value: MAILBOX_PASSWORDS[0], secret: true },
        "faults:pw1": { value: MAILBOX_PASSWORDS[1], secret: true },
    });
    const cpu = () => fs.readdirSync(ws.dir).filter((f) => f.startsWith("provider-profile.")).reduce((ms, f) => {
        const p = JSON.parse(fs.readFileSync(path.join(ws.dir, f), "utf8"));
        return ms + (p.cpu.user + p.cpu.system) / 1000;
    }, 0);
    const rows: string[] = [];
    const phase = async (name: string, fn: () => Promise<{ summary: { resourceChanges?: Record<string, number> } }>) => {
        for (const f of fs.readdirSync(ws.dir)) if (f.startsWith("provider-profile.")) fs.rmSync(path.join(ws.dir, f));
        const busy0 = emu.busyMs();
        const calls0 = emu.calls.length;
        const t0 = performance.now();
        const r = await fn();
        const wall = performance.now() - t0;
        const busy = emu.busyMs() - busy0;
        const n = Object.values(r.summary.resourceChanges ?? {}).reduce((a, b) => a + b, 0);
        rows.push([name.padEnd(9), String(n).padEnd(10), String(Math.round(wall)).padEnd(9), String(Math.round(busy)).padEnd(12), String(Math.round(wall - busy)).padEnd(14),
            `${Math.round(((wall - busy) / wall) * 100)}%`.padEnd(8), String(Math.round(cpu())).padEnd(14), String(emu.calls.length - calls0)].join(""));
    };
    await phase("up", () => stack.up());
    await phase("refresh", () => stack.refresh());
    await phase("destroy", () => stack.destroy());
    await emu.close();
    process.stdout.write(
        `mixed program (160 resources + 40 records = 200), real Pulumi CLI ${ws.cli.version}, panel latency ${LATENCY} ms\n\n` +
            `${"phase".padEnd(9)}${"resources".padEnd(10)}${"wall ms".padEnd(9)}${"panel busy".padEnd(12)}${"not on panel".padEnd(14)}${"share".padEnd(8)}${"plugin CPU ms".padEnd(14)}calls\n` +
            rows.join("\n") + "\n",
    );
}

main().catch((e) => {
    process.stderr.write(`${e?.stack ?? e}\n`);
    process.exit(1);
});
