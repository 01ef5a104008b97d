#!/usr/bin/env bash
# Every check of the project: type-check, lint, then all unit, integration and e2e tests against real
# PostgreSQL, Redis and WireGuard (wireguard-go). Run as root (tests create WireGuard interfaces).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== type-check" && npm run --silent typecheck
echo "== lint" && npm run --silent lint
echo "== tests"
report=$(mktemp)
status=0
npx jest --runInBand --json --outputFile="$report" "$@" || status=$?
node -e '
  const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
' "$report"
exit "$status"
