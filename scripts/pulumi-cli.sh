#!/usr/bin/env bash
# Prints the absolute path of a usable `pulumi` CLI on stdout, and nothing else there; progress and
# build logs go to stderr. In order:
#   1. `pulumi` on PATH, if it is a v3 at least as new as the pinned version and its bundled
#      pulumi-resource-pulumi-nodejs plugin is next to it or on PATH (set PULUMI_ISPCONFIG_IGNORE_PATH=1
#      to skip this step);
#   2. the cached build ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-ispconfig/pulumi-<version>/bin/pulumi
#      (override the pulumi-ispconfig directory with PULUMI_ISPCONFIG_CACHE);
#   3. otherwise it builds that binary from the Go module proxy (tools/pulumi-cli pins the version,
#      go.sum pins the dependencies): several minutes, ~2 GiB of memory, needs `go` >= 1.25.
# The pinned version is the one in tools/pulumi-cli/go.mod; it matches the @pulumi/pulumi devDependency.
# The cache's bin/ also gets scripts/pulumi-resource-pulumi-nodejs, the plugin that runs dynamic
# providers, and scripts/pulumi-language-nodejs, a stand-in for the Node language host (which the
# proxy does not serve), so `pulumi up` of a Pulumi.yaml project works and the printed directory
# is a complete `root` for the Automation API:
#   PulumiCommand.get({ root: path.dirname(path.dirname(printedPath)) })
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
moddir="$repo/tools/pulumi-cli"

log() { printf 'pulumi-cli.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

version=$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { print $2; exit }' "$moddir/go.mod")
[ -n "$version" ] || die "no github.com/pulumi/pulumi/pkg/v3 requirement in $moddir/go.mod"
sdk_version=$(node -p 'require(process.argv[1]).devDependencies["@pulumi/pulumi"]' "$repo/package.json" 2>/dev/null || true)
if [ -n "$sdk_version" ] && [ "v$sdk_version" != "$version" ]; then
    log "warning: tools/pulumi-cli pins $version but package.json has @pulumi/pulumi $sdk_version"
fi

cache="${PULUMI_ISPCONFIG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-ispconfig}"
root="$cache/pulumi-$version"
bin="$root/bin"

# `pulumi version` prints e.g. "v3.248.0"; never let it look for updates.
cli_version() { PULUMI_SKIP_UPDATE_CHECK=true "$1" version 2>/dev/null | tail -n 1; }

# compatible HAVE: a v3 CLI no older than the pinned one (the Automation API only needs >= its minimum).
compatible() {
    local have=${1#v} want=${version#v}
    have=${have%%[-+]*}
    [[ $have =~ ^3\.[0-9]+\.[0-9]+$ ]] || return 1
    [ "$(printf '%s\n%s\n' "$want" "$have" | sort -V | head -n 1)" = "$want" ]
}

# 1. PATH
if [ -z "${PULUMI_ISPCONFIG_IGNORE_PATH:-}" ] && found=$(command -v pulumi 2>/dev/null) && [ -x "$found" ]; then
    found=$(cd "$(dirname "$found")" && pwd)/$(basename "$found")
    have=$(cli_version "$found" || true)
    real=$(readlink -f "$found")
    if ! compatible "$have"; then
        log "ignoring $found: version '${have}' is not a v3 >= $version"
    elif [ -x "$(dirname "$real")/pulumi-resource-pulumi-nodejs" ] || command -v pulumi-resource-pulumi-nodejs >/dev/null 2>&1; then
        printf '%s\n' "$found"
        exit 0
    else
        log "ignoring $found ($have): no pulumi-resource-pulumi-nodejs next to it or on PATH"
    fi
fi

install_shim() {
    local name
    for name in pulumi-resource-pulumi-nodejs pulumi-language-nodejs; do
        if ! cmp -s "$here/$name" "$bin/$name" 2>/dev/null; then
            cp "$here/$name" "$bin/$name.tmp.$$"
            chmod 755 "$bin/$name.tmp.$$"
            mv -f "$bin/$name.tmp.$$" "$bin/$name"
        fi
    done
}

cached_ok() { [ -x "$bin/pulumi" ] && [ "$(cli_version "$bin/pulumi" || true)" = "$version" ]; }

# 2. cache
mkdir -p "$bin"
if cached_ok; then
    install_shim
    printf '%s\n' "$bin/pulumi"
    exit 0
fi

# 3. build, one builder at a time (test workers or two checkouts may ask at once).
command -v go >/dev/null 2>&1 || die "no pulumi $version on PATH or in $bin, and no 'go' to build it (install Go >= 1.25, or put a pulumi >= $version with its bundled plugins on PATH)"
exec 9>"$root/.build.lock"
if command -v flock >/dev/null 2>&1; then
    flock 9
fi
if ! cached_ok; then
    # The build is long and silent by nature: say up front what is happening and for how long,
    # then show progress, so nobody mistakes it for a hang (inside `npm test`, before any test).
    log "no Pulumi CLI $version on PATH or in $bin: building it from the Go module proxy, once per machine."
    log "this takes about 7 minutes on 2 cores (385 s measured, plus ~1 min to download modules the first time; ~2 GiB of memory); progress follows."
    start=$(date +%s)
    tmp="$bin/.pulumi.build.$$"
    trap 'rm -f "$tmp"' EXIT
    cd "$moddir"
    export GOWORK=off CGO_ENABLED=0
    # The denominator for the progress: every package the command needs (std library included).
    total=$(go list -mod=readonly -deps github.com/pulumi/pulumi/pkg/v3/cmd/pulumi 2>/dev/null | wc -l) || total=0
    log "downloaded what was missing in $(( $(date +%s) - start ))s; compiling $total packages"
    every=${PULUMI_ISPCONFIG_PROGRESS_SECONDS:-15}
    # go build -v names each package as it is compiled (cached ones are not named, so a warm
    # build ends short of 100%); anything else it prints (errors) is passed through as is.
    progress() {
        local n=0 last=$SECONDS line pct
        while IFS= read -r line; do
            if [[ $line =~ ^[A-Za-z0-9._~/+-]+$ ]]; then
                n=$((n + 1))
                if (( SECONDS - last >= every )); then
                    last=$SECONDS
                    pct=$(( total > 0 ? (n * 100 / total > 100 ? 100 : n * 100 / total) : 0 ))
                    log "compiled $n of $total packages (${pct}%), $(( $(date +%s) - start ))s so far"
                fi
            else
                printf '%s\n' "$line" >&2
            fi
        done
    }
    # As Pulumi's Makefile: the version is stamped with -X; as its release builds: static, stripped.
    # Niced, so that tests running alongside (vitest runs files in parallel) keep their CPU.
    nice=()
    if command -v nice >/dev/null 2>&1; then nice=(nice -n 10); fi
    if ! "${nice[@]}" go build -v -mod=readonly -trimpath \
        -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
        -o "$tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi 2>&1 | progress; then
        die "go build of github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$version failed (see above)"
    fi
    cd "$repo"
    mv -f "$tmp" "$bin/pulumi"
    trap - EXIT
    log "built $("$bin/pulumi" version 2>/dev/null) in $(( $(date +%s) - start ))s, $(du -h "$bin/pulumi" | cut -f1)"
    cached_ok || die "built $bin/pulumi but it reports version '$(cli_version "$bin/pulumi" || true)', not $version"
fi
install_shim
printf '%s\n' "$bin/pulumi"
