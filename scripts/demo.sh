#!/usr/bin/env bash
# The wgfleet demo: a panel and three agents on real WireGuard (wireguard-go), each agent in its own network
# namespace, walked through drift detection, a signed webhook, a dry-run plan and a reconcile.
# Needs root (namespaces, interfaces), Node 20, PostgreSQL and Redis (scripts/setup.sh installs/starts them).
# Exit code 0 only when every step succeeded. Logs: /tmp/wgfleet-demo/. It ends by printing the web console's URL
# and a token; `--keep` leaves everything running for a look in a browser (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."

state_dir=${DEMO_STATE_DIR:-/tmp/wgfleet-demo}
namespaces=(wgf-demo-1 wgf-demo-2 wgf-demo-3)

# Backstop for a demo killed too hard to clean up itself: stop what it started (by pid) and remove its namespaces.
leftovers() {
  if [ -f "$state_dir/panel.pid" ]; then
    kill "$(cat "$state_dir/panel.pid")" 2>/dev/null || true
    rm -f "$state_dir/panel.pid"
  fi
  for ns in "${namespaces[@]}"; do
    ip netns list 2>/dev/null | grep -qw "^$ns" || continue
    for pid in $(ip netns pids "$ns"); do kill -9 "$pid" 2>/dev/null || true; done
    ip link del "vh$ns" 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
}
trap leftovers EXIT
trap 'exit 130' INT TERM

if [ "$(id -u)" -ne 0 ]; then
  echo "demo: run as root (it creates network namespaces and WireGuard interfaces)" >&2
  exit 1
fi

echo "wgfleet demo: a panel and 3 agents on real WireGuard (wireguard-go), one network namespace per node"
setup_log=$(mktemp)
if ! bash scripts/setup.sh >"$setup_log" 2>&1; then
  printf ' 1. %-36s FAILED:\n' setup
  tail -n 20 "$setup_log"
  exit 1
fi
printf ' 1. %-36s %s\n' setup 'wg, wireguard-go, PostgreSQL, Redis, npm packages ready · panel and agent built'
rm -f "$setup_log"

npx ts-node --transpile-only scripts/demo/main.ts "$@"
