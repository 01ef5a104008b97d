#!/bin/sh
# Installs (or upgrades in place) the wgfleet agent from this release folder. Run as root on the node:
#   sh install.sh [--interface wg0] [--listen 0.0.0.0:8420] [--host PUBLIC_HOST] [--no-tls] [--no-systemd]
#                 [--root DIR]
#   sh install.sh --uninstall [--purge] [--root DIR]
# Makes the system user, /opt/wgfleet-agent, /etc/wgfleet-agent (a secret made here, a self-signed TLS
# certificate, agent.env), the systemd unit, and prints what the panel needs. A re-run replaces the program
# and keeps the secret, the certificate and agent.env. --root installs below DIR (for staging and tests; the
# paths written into agent.env then include DIR) and implies no system user. --uninstall stops and removes the
# agent and its unit, keeps /etc/wgfleet-agent unless --purge, and never touches a WireGuard interface.
set -eu

interface=wg0
listen=0.0.0.0:8420
host=
tls=yes
systemd=yes
root=
uninstall=no
purge=no

usage() {
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
  exit "$1"
}
while [ $# -gt 0 ]; do
  case "$1" in
    --interface) interface=$2; shift 2 ;;
    --listen) listen=$2; shift 2 ;;
    --host) host=$2; shift 2 ;;
    --no-tls) tls=no; shift ;;
    --no-systemd) systemd=no; shift ;;
    --root) root=$(readlink -f "$2"); shift 2 ;;
    --uninstall) uninstall=yes; shift ;;
    --purge) purge=yes; shift ;;
    -h|--help) usage 0 ;;
    *) echo "install.sh: unknown option $1" >&2; usage 2 >&2 ;;
  esac
done

fail() {
  echo "install.sh: $*" >&2
  exit 1
}

here=$(dirname "$(readlink -f "$0")")
prefix="$root/opt/wgfleet-agent"
confdir="$root/etc/wgfleet-agent"
user=wgfleet-agent

if [ "$uninstall" = yes ]; then
  if [ -z "$root" ] && command -v systemctl >/dev/null 2>&1; then
    systemctl disable --now wgfleet-agent >/dev/null 2>&1 || true
  fi
  rm -f "$root/etc/systemd/system/wgfleet-agent.service"
  [ -n "$root" ] || { rm -f /usr/local/bin/wgfleet-agent; systemctl daemon-reload 2>/dev/null || true; }
  rm -rf "$prefix"
  if [ "$purge" = yes ]; then
    rm -rf "$confdir"
    [ -n "$root" ] || userdel "$user" 2>/dev/null || true
    echo "wgfleet agent removed with its configuration; WireGuard interfaces and their peers are untouched"
  else
    echo "wgfleet agent removed; kept $confdir (--purge removes it); WireGuard interfaces and their peers are untouched"
  fi
  exit 0
fi

command -v node >/dev/null 2>&1 || fail "Node.js >= 20 is needed (node is not on PATH)"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
  fail "Node.js >= 20 is needed (this is $(node --version))"
command -v wg >/dev/null 2>&1 || echo "install.sh: warning: wg (wireguard-tools) is not on PATH; the agent needs it" >&2
[ "$tls" = no ] || command -v openssl >/dev/null 2>&1 || fail "openssl is needed for the TLS certificate (or give --no-tls)"
port=${listen##*:}
[ -n "$host" ] || host=$(hostname -I 2>/dev/null | awk '{print $1}')
[ -n "$host" ] || host=127.0.0.1

if [ -z "$root" ] && ! getent passwd "$user" >/dev/null 2>&1; then
  useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user"
fi
group=root
getent group "$user" >/dev/null 2>&1 && group=$user

# The program: replaced whole on every run.
install -d -m 0755 "$prefix" "$prefix/bin" "$prefix/lib"
install -m 0644 "$here/lib/wgfleet-agent.js" "$prefix/lib/wgfleet-agent.js.new"
mv -f "$prefix/lib/wgfleet-agent.js.new" "$prefix/lib/wgfleet-agent.js"
install -m 0755 "$here/bin/wgfleet-agent" "$prefix/bin/wgfleet-agent"
install -m 0644 "$here/package.json" "$here/README.md" "$prefix/"

# The configuration: made once, kept by upgrades.
install -d -m 0750 -o root -g "$group" "$confdir"
if [ ! -s "$confdir/secret" ]; then
  (umask 0137 && od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$confdir/secret")
  chown "root:$group" "$confdir/secret"
  chmod 0640 "$confdir/secret"
fi
if [ "$tls" = yes ] && [ ! -s "$confdir/tls.crt" ]; then
  case "$host" in
    *[!0-9.]*) san="DNS:$host" ;;
    *) san="IP:$host" ;;
  esac
  (umask 0137 && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
    -subj "/CN=wgfleet-agent $host" -addext "subjectAltName=$san,IP:127.0.0.1" \
    -keyout "$confdir/tls.key" -out "$confdir/tls.crt" 2>/dev/null) || fail "openssl could not make the certificate"
  chown "root:$group" "$confdir/tls.key" "$confdir/tls.crt"
  chmod 0640 "$confdir/tls.key"
  chmod 0644 "$confdir/tls.crt"
fi
if [ ! -s "$confdir/agent.env" ]; then
  (
    umask 0137
    {
      echo "# wgfleet agent configuration (agent/README.md, Configure). Kept by upgrades."
      echo "AGENT_SECRET_FILE=$confdir/secret"
      echo "AGENT_INTERFACES=$interface"
      echo "AGENT_LISTEN=$listen"
      if [ "$tls" = yes ]; then
        echo "AGENT_TLS_CERT=$confdir/tls.crt"
        echo "AGENT_TLS_KEY=$confdir/tls.key"
      fi
      echo "AGENT_LOG_LEVEL=info"
    } >"$confdir/agent.env"
  )
  chown "root:$group" "$confdir/agent.env"
  chmod 0640 "$confdir/agent.env"
fi

if [ "$systemd" = yes ]; then
  install -d -m 0755 "$root/etc/systemd/system"
  sed -e "s#/opt/wgfleet/agent#$prefix#g" -e "s#/etc/wgfleet-agent#$confdir#g" "$here/wgfleet-agent.service" \
    >"$root/etc/systemd/system/wgfleet-agent.service"
  if [ -z "$root" ]; then
    ln -sf "$prefix/bin/wgfleet-agent" /usr/local/bin/wgfleet-agent
    systemctl daemon-reload
    systemctl enable wgfleet-agent >/dev/null 2>&1
    # An upgrade restarts the running agent onto the new program; a first install starts it.
    systemctl restart wgfleet-agent
  fi
fi

# What the panel needs.
scheme=http
grep -q '^AGENT_TLS_CERT=' "$confdir/agent.env" && scheme=https
cert=$(sed -n 's/^AGENT_TLS_CERT=//p' "$confdir/agent.env")
fingerprint=none
[ -n "$cert" ] && fingerprint=$(openssl x509 -in "$cert" -noout -fingerprint -sha256 | sed 's/^.*=//')
iface=$(sed -n 's/^AGENT_INTERFACES=//p' "$confdir/agent.env" | cut -d, -f1)
public_key=$(wg show "$iface" public-key 2>/dev/null || echo "unknown: interface $iface is not up")
wg_port=$(wg show "$iface" listen-port 2>/dev/null || echo unknown)
cat <<EOF
wgfleet agent $(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$prefix/package.json") installed in $prefix
  agent URL        $scheme://$host:$port
  interface        $iface
  public key       $public_key
  listen port      $wg_port
  cert fingerprint $fingerprint
  config           $confdir/agent.env (secret in $confdir/secret)
next: wgfleet-agent enroll --panel https://PANEL --token TOKEN --url $scheme://$host:$port
EOF
