import { afterAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

/*
 * scripts/pulumi-cli.sh when it has to build the CLI (issue 15, point 6: the ~7-minute build was
 * silent inside `npm test`). A stand-in `go` on PATH plays the Go toolchain in a second: it lists
 * 40 packages, "compiles" them as `go build -v` does (one name per line on stderr) and writes a
 * binary that reports the version stamped with -X. What is asserted is what a person waiting sees.
 */
const run = promisify(execFile);
const script = path.join(__dirname, "..", "scripts", "pulumi-cli.sh");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ispconfig-cli-build-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const FAKE_GO = `#!/usr/bin/env bash
case "$1" in
  list) for i in $(seq 1 40); do echo "example.com/dep/pkg$i"; done ;;
  build)
    out=""; version=""
    while [ $# -gt 0 ]; do
      case "$1" in
        -o) out=$2; shift ;;
        -ldflags) version=$(sed -nE 's/.*version\\.Version=(v[^ ]+).*/\\1/p' <<<"$2"); shift ;;
      esac
      shift
    done
    for i in $(seq 1 40); do echo "example.com/dep/pkg$i" >&2; done
    if [ -n "\${FAKE_GO_FAIL:-}" ]; then echo "example.com/dep/pkg41/x.go:3:1: syntax error: non-declaration statement outside function body" >&2; exit 1; fi
    printf '#!/bin/sh\\necho %s\\n' "$version" > "$out"; chmod +x "$out" ;;
  *) echo "fake go: unexpected $*" >&2; exit 2 ;;
esac
`;

async function cli(name: string, extraEnv: Record<string, string> = {}) {
    const fake = path.join(tmp, name, "fakebin");
    fs.mkdirSync(fake, { recursive: true });
    fs.writeFileSync(path.join(fake, "go"), FAKE_GO, { mode: 0o755 });
    const cache = path.join(tmp, name, "cache");
    const env = {
        ...process.env,
        PATH: `${fake}:${process.env.PATH}`,
        PULUMI_ISPCONFIG_CACHE: cache,
        PULUMI_ISPCONFIG_IGNORE_PATH: "1",
        PULUMI_ISPCONFIG_PROGRESS_SECONDS: "0",
        ...extraEnv,
    };
    const r = await run("bash", [script], { env, encoding: "utf8" }).then(
        (x) => ({ code: 0, stdout: x.stdout, stderr: x.stderr }),
        (e) => ({ code: e.code as number, stdout: String(e.stdout), stderr: String(e.stderr) }),
    );
    return { ...r, cache };
}

describe("building the Pulumi CLI says what it does, how long it takes, and how far it is", () => {
    it("announces the build and its duration before starting, shows progress, and prints only the path on stdout", async () => {
        const r = await cli("ok");
        expect(r.code).toBe(0);
        const bin = path.join(r.cache, "pulumi-v3.248.0", "bin");
        expect(r.stdout).toBe(`${path.join(bin, "pulumi")}\n`);
        const lines = r.stderr.trim().split("\n");
        expect(lines[0]).toMatch(/^pulumi-cli\.sh: no Pulumi CLI v3\.248\.0 on PATH or in .*: building it from the Go module proxy, once per machine\.$/);
        expect(lines[1]).toMatch(/^pulumi-cli\.sh: this takes about 7 minutes on 2 cores .*progress follows\.$/);
        expect(r.stderr).toMatch(/compiling 40 packages/);
        expect(r.stderr).toMatch(/compiled 20 of 40 packages \(50%\), \d+s so far/);
        expect(r.stderr).toMatch(/compiled 40 of 40 packages \(100%\)/);
        expect(lines.at(-1)).toMatch(/^pulumi-cli\.sh: built v3\.248\.0 in \d+s, /);
        // The package names themselves are progress, not noise.
        expect(r.stderr).not.toMatch(/^example\.com\/dep/m);
        // The cache is complete: the language host stand-in and the dynamic-provider plugin sit beside it.
        for (const f of ["pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]) expect(fs.existsSync(path.join(bin, f)), f).toBe(true);

        // Second time: cached, silent, same path.
        const again = await cli("ok");
        expect(again.stdout).toBe(r.stdout);
        expect(again.stderr).toBe("");
    });

    it("a failing build shows the compiler's own error and fails", async () => {
        const r = await cli("fails", { FAKE_GO_FAIL: "1" });
        expect(r.code).not.toBe(0);
        expect(r.stdout).toBe("");
        expect(r.stderr).toMatch(/^example\.com\/dep\/pkg41\/x\.go:3:1: syntax error/m);
        expect(r.stderr).toMatch(/error: go build of github\.com\/pulumi\/pulumi\/pkg\/v3\/cmd\/pulumi@v3\.248\.0 failed/);
        expect(fs.existsSync(path.join(r.cache, "pulumi-v3.248.0", "bin", "pulumi"))).toBe(false);
    });
});
