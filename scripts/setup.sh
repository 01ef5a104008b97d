#!/usr/bin/env bash
# Installs and starts what wgfleet and its tests need on a fresh Debian machine with Node 20:
# wireguard-tools and wireguard-go, ping, the PostgreSQL client, tmux (the CLI's terminal tests), running
# PostgreSQL and Redis, npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for tool in wg wireguard-go ping pg_dump psql ip tmux; do command -v "$tool" >/dev/null || need+=("$tool"); done
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing system packages (missing: ${need[*]})"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wireguard-tools wireguard-go iputils-ping postgresql-client iproute2 tmux >/dev/null
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

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run build --silent
