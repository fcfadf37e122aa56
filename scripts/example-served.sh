#!/usr/bin/env bash
# The customer-site example against a REAL panel with its DNS server side (the kit's dns/setup.sh),
# through the plain Pulumi CLI: `pulumi up` of the repo's project (a mirror of the repo root, so the
# repo is never written to), then scripts/dns-served (the panel's server job, named-checkzone, dig of
# every record the example declared), then `pulumi destroy` (KEEP=1 keeps the stack and the rows).
#
#   npm run build
#   ISPCONFIG_ENDPOINT=http://127.0.0.1:8080/remote/index.php PANEL_KIT=/work/shared/ispconfig-panel \
#     bash scripts/example-served.sh [domain]        (default domain: served-<random>.customer.example)
#
# ISPCONFIG_USERNAME / ISPCONFIG_PASSWORD default to the kit's apiuser; the kit's variables
# (PANEL_PORT, PANEL_STATE, DNS_PORT, …) pass through to dns/apply.sh and dns/dig.sh.
# Exit 0 when every record of the example answers as declared.
set -Eeuo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
: "${ISPCONFIG_ENDPOINT:?set ISPCONFIG_ENDPOINT to the panel remote/index.php}"
export ISPCONFIG_USERNAME="${ISPCONFIG_USERNAME:-apiuser}" ISPCONFIG_PASSWORD="${ISPCONFIG_PASSWORD:-ApiPass123!}"
domain="${1:-served-$(date +%s | tail -c 6).customer.example}"
[ -f "$repo/bin/scripts/dns-served.js" ] || { echo "example-served: run npm run build first" >&2; exit 2; }
cli="$(bash "$repo/scripts/pulumi-cli.sh" | tail -n 1)"
tmp="$(mktemp -d)"; project="$tmp/project"; mkdir -p "$project" "$tmp/state" "$tmp/home"
for f in Pulumi.yaml package.json tsconfig.json node_modules bin provider examples; do ln -s "$repo/$f" "$project/$f"; done
export PULUMI_HOME="$tmp/home" PULUMI_BACKEND_URL="file://$tmp/state" PULUMI_CONFIG_PASSPHRASE="throw-away" \
       PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true PULUMI_DISABLE_REGISTRY_RESOLVE=true PULUMI_IGNORE_AMBIENT_PLUGINS=true
p() { (cd "$project" && "$cli" "$@" --non-interactive); }
p stack init served >/dev/null
p config set ispconfig:endpoint "$ISPCONFIG_ENDPOINT" >/dev/null
p config set ispconfig:username "$ISPCONFIG_USERNAME" >/dev/null
p config set --secret ispconfig:password "$ISPCONFIG_PASSWORD" >/dev/null
p config set domain "$domain" >/dev/null
p config set webIp 192.0.2.10 >/dev/null
p config set mailIp 192.0.2.25 >/dev/null
p config set webIpv6 2001:db8::10 >/dev/null
p config set --secret infoPassword 'Info-Mailbox-Pass-7391!' >/dev/null
p config set --secret adminPassword 'Admin-Mailbox-Pass-8462!' >/dev/null
echo "[example-served] pulumi up ($domain)"
p up --yes --skip-preview | tail -n 5
rc=0
node "$repo/bin/scripts/dns-served.js" "$domain" || rc=$?
if [ "${KEEP:-0}" != 1 ]; then
  echo "[example-served] pulumi destroy"
  p destroy --yes --skip-preview | tail -n 3
  rm -rf "$tmp"
else
  echo "[example-served] kept: PULUMI_BACKEND_URL=file://$tmp/state PULUMI_CONFIG_PASSPHRASE=throw-away, project $project"
fi
exit "$rc"
