#!/usr/bin/env bash
# Every check of the project: type-check, lint, then all unit, integration and e2e tests against real
# PostgreSQL, Redis and WireGuard (wireguard-go), then the demo. Run as root (tests create WireGuard interfaces).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== type-check" && npm run --silent typecheck
echo "== lint" && npm run --silent lint
# Cross-module imports, upward imports and cycles: printed, and an upward import or a cycle fails the run.
echo "== import graph" && npx tsx scripts/import-graph.ts
echo "== tests"
report=$(mktemp)
status=0
# One process runs every suite in turn and keeps what each leaves reachable (Nest apps, compiled modules): past
# 200 suites it outgrows node's default heap (about 4 GB here), so it gets room to finish.
NODE_OPTIONS="--max-old-space-size=12288 ${NODE_OPTIONS:-}" npx jest --runInBand --json --outputFile="$report" "$@" ||
  status=$?
# The demo is the README's first command; it must keep working, so it is checked here too (as one test).
echo "== demo"
demo=0
DEMO_STATE_DIR=$(mktemp -d) bash scripts/demo.sh || demo=$?
[ "$demo" -eq 0 ] || status=1
node -e '
  const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
  const demoPassed = process.argv[2] === "0";
  console.log(`tests: ${r.numPassedTests + (demoPassed ? 1 : 0)} passed, ${r.numFailedTests + (demoPassed ? 0 : 1)} failed`);
' "$report" "$demo"
exit "$status"
