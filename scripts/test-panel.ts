/*
 * Starts the test panel (the ISPConfig-compatible emulator) on loopback and keeps it running:
 *   npm run build && node bin/scripts/test-panel.js [port]
 * Prints the endpoint and the credentials to point a stack (or ISPCONFIG_* env vars) at.
 */
import { startEmulator } from "../test/emulator";

async function main() {
    const port = Number(process.argv[2] ?? process.env.EMULATOR_PORT ?? 0);
    const emu = await startEmulator({ port: Number.isInteger(port) ? port : 0 });
    process.stdout.write(
        `ISPConfig test panel listening.\n` +
            `  ISPCONFIG_ENDPOINT=${emu.url}\n  ISPCONFIG_USERNAME=apiuser\n  ISPCONFIG_PASSWORD=ApiPass123!\n` +
            `Ctrl-C stops it (its tables live in memory only).\n`,
    );
    const stop = () => void emu.close().then(() => process.exit(0));
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
}

main().catch((e) => {
    process.stderr.write(`${e?.message ?? e}\n`);
    process.exit(1);
});
