#!/usr/bin/env bash
# The wgfleet demo: a panel and three agents on real WireGuard (wireguard-go), each agent in its own network
# namespace, walked through drift detection, a signed webhook, a dry-run plan and a reconcile.
# Needs root (namespaces, interfaces), Node 20, PostgreSQL and Redis (scripts/setup.sh installs/starts them).
# Exit code 0 only when every step succeeded. `bash scripts/demo.sh --help` lists its options.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  cat <<'USAGE'
Usage: bash scripts/demo.sh [--prefix NAME] [--database NAME|URL] [--subnet A.B.0.0/16] [--keep]

Runs a panel and three agents on real WireGuard, one network namespace per node, through drift and repair.
Runs as root. Everything it starts is stopped and removed again, also on failure or Ctrl-C.

  --prefix NAME       names the demo's namespaces (NAME-1..3), WireGuard interfaces (NAME1..3) and veths,
                      so demos of several people on one machine do not meet; lowercase letters, digits and
                      '-', at most 11 characters (interface names are limited to 15)   [wgf-demo]
  --database NAME|URL the demo's PostgreSQL database, a name on the local server or a postgres:// URL. It
                      is dropped and recreated at every run, so its name must contain "demo"  [wgfleet_demo]
                      (its Redis queues are named after it, so they are the demo's own too)
  --subnet A.B.0.0/16 every address the demo uses: node N's veth link from the host A.B.N.0/30, its
                      tunnel and peers A.B.(100+N).0/24; give each demo on one machine its own
                                                                                        [10.203.0.0/16]
  --keep              leave everything running at the end for a look in the web console (Ctrl-C stops it)
  -h, --help          this text

The same from the environment: DEMO_PREFIX, DEMO_DATABASE_URL, DEMO_SUBNET; DEMO_STATE_DIR is where the logs
go (default /tmp/wgfleet-demo, or /tmp/wgfleet-demo-NAME with a --prefix).
USAGE
}

prefix=${DEMO_PREFIX:-wgf-demo}
database=${DEMO_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/wgfleet_demo}
subnet=${DEMO_SUBNET:-10.203.0.0/16}
keep=()
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) prefix=${2:?--prefix needs a name}; shift 2 ;;
    --database) database=${2:?--database needs a name or URL}; shift 2 ;;
    --subnet) subnet=${2:?--subnet needs a /16 like 10.203.0.0/16}; shift 2 ;;
    --keep) keep=(--keep); shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "demo: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if ! [[ $prefix =~ ^[a-z][a-z0-9-]{0,10}$ ]]; then
  echo "demo: --prefix \"$prefix\": lowercase letters, digits and '-', starting with a letter, at most 11" >&2
  exit 2
fi
[[ $database == *://* ]] || database="postgres://postgres@127.0.0.1:5432/$database"
database_name=${database##*/}
database_name=${database_name%%\?*}
if ! [[ $database_name =~ ^[a-z_][a-z0-9_]*$ && $database_name == *demo* ]]; then
  echo "demo: --database \"$database_name\": the demo drops it at every run, so it must be named like" \
    "wgfleet_demo (lowercase letters, digits, '_', and \"demo\" in it)" >&2
  exit 2
fi
if ! [[ $subnet =~ ^([0-9]{1,3})\.([0-9]{1,3})\.0\.0/16$ ]] || ((BASH_REMATCH[1] > 255 || BASH_REMATCH[2] > 255)); then
  echo "demo: --subnet \"$subnet\": a /16 like 10.203.0.0/16" >&2
  exit 2
fi
default_state_dir=/tmp/wgfleet-demo
[ "$prefix" = wgf-demo ] || default_state_dir=/tmp/wgfleet-demo-$prefix
export DEMO_PREFIX=$prefix DEMO_DATABASE_URL=$database DEMO_SUBNET=$subnet
export DEMO_STATE_DIR=${DEMO_STATE_DIR:-$default_state_dir}
state_dir=$DEMO_STATE_DIR
namespaces=("$prefix-1" "$prefix-2" "$prefix-3")

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
echo "    namespaces ${namespaces[*]} · database $database_name · logs $state_dir"
mkdir -p "$state_dir"
setup_log=$state_dir/setup.log
started=$SECONDS
# setup.sh tells each step it starts on a "setup: " line; those are shown as they come, the rest is logged. A
# step can take minutes (npm ci, the build), so every 20 s of quiet says it is still at it.
show_setup_steps() {
  local line step=''
  while true; do
    if IFS= read -r -t 20 line; then
      case $line in 'setup: '*)
        step=${line#setup: }
        printf '    %3d s  %s\n' $((SECONDS - started)) "$step"
        ;;
      esac
    elif [ $? -gt 128 ]; then
      printf '    %3d s  … still %s\n' $((SECONDS - started)) "${step%% (*}"
    else
      break
    fi
  done
}
# The demo's panel creates its own database, so setup makes none.
set +e
bash scripts/setup.sh --no-database 2>&1 | tee "$setup_log" | show_setup_steps
setup_status=${PIPESTATUS[0]}
set -e
if [ "$setup_status" -ne 0 ]; then
  printf ' 1. %-36s FAILED:\n' setup
  tail -n 20 "$setup_log"
  exit 1
fi
printf ' 1. %-36s %s (%d s)\n' setup 'wg, wireguard-go, PostgreSQL, Redis, npm packages ready · panel and agent built' \
  $((SECONDS - started))

npx ts-node --transpile-only scripts/demo/main.ts "${keep[@]}"
