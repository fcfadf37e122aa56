import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["test/**/*.test.ts"],
        testTimeout: 30_000,
        hookTimeout: 60_000,
        // Tests start their own emulator on a free loopback port, so files can run in parallel.
        pool: "forks",
        // The Pulumi CLI build with visible progress, and a private TMPDIR checked for leftovers.
        globalSetup: ["test/globalSetup.ts"],
    },
});
