#!/usr/bin/env bash
# Installs and starts what wgfleet and its tests need on a fresh Debian or Ubuntu machine with Node 20:
# wireguard-tools and wireguard-go, ping, nftables (the rollout test's clients keep NAT-like state), Knot DNS
# (knotd, knotc, kdig: the cluster DNS tests' server), Chromium (the console's browser tests), tmux (the CLI's
# terminal tests),
# PostgreSQL and Redis (from the distribution's packages when none is installed or reachable), the panel's
# database (not with --no-database: the demo's panel creates its own), npm packages, the build.
# Each step it starts is told on a line beginning "setup: " (scripts/demo.sh shows those while it runs).
set -euo pipefail
cd "$(dirname "$0")/.."

make_database=true
case ${1:-} in
  --no-database) make_database=false ;;
  '') ;;
  *) echo "setup: unknown option $1 (the only one is --no-database)" >&2; exit 2 ;;
esac

echo "setup: checking for wg, wireguard-go, PostgreSQL, Redis and the other tools"

need=()
for tool in wg wireguard-go ping pg_dump psql ip nft chromium tmux knotd kdig; do command -v "$tool" >/dev/null || need+=("$tool"); done
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing system packages (missing: ${need[*]})"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wireguard-tools wireguard-go iputils-ping postgresql-client iproute2 nftables chromium tmux knot knot-dnsutils >/dev/null
fi

# PostgreSQL and Redis from the distribution when there is neither a server nor one installed. A fresh
# PostgreSQL lets the postgres user in from loopback without a password, which is what the default
# DATABASE_URL (postgres://postgres@127.0.0.1:5432/wgfleet) expects; an existing one is left as it is.
if ! pg_isready -h 127.0.0.1 -q && [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
  echo "setup: installing PostgreSQL"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  hba=$(ls /etc/postgresql/*/main/pg_hba.conf | head -n1)
  sed -i '1i host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust' "$hba"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main reload 2>/dev/null || true
fi
if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && ! command -v redis-server >/dev/null; then
  echo "setup: installing Redis"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi
# The Sentinel failover test (test/resilience/redis-sentinel-failover) runs its own redis-sentinel processes.
if ! command -v redis-sentinel >/dev/null; then
  echo "setup: installing redis-sentinel"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-sentinel >/dev/null
fi

if ! pg_isready -h 127.0.0.1 -q; then
  echo "setup: starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  for _ in $(seq 30); do pg_isready -h 127.0.0.1 -q && break; sleep 1; done
fi
if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  echo "setup: starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  for _ in $(seq 30); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 1; done
fi

database=$(basename "${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/wgfleet}")
database=${database%%\?*}
if $make_database && ! psql -h 127.0.0.1 -U postgres -Atc "select 1 from pg_database where datname = '$database'" | grep -q 1; then
  echo "setup: creating database $database"
  psql -h 127.0.0.1 -U postgres -qc "create database \"$database\""
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "setup: building the panel, agent, CLI and web console (npm run build, a minute or two)"
npm run build --silent
