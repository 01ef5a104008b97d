#!/bin/sh
# Installs (or upgrades in place) the wgfleet agent from this release folder. Run as root on the node:
#   sh install.sh [--interface wg0] [--listen 0.0.0.0:8420] [--host PUBLIC_HOST] [--no-tls] [--no-systemd]
#                 [--private-key-file FILE] [--root DIR]
#   sh install.sh --uninstall [--purge] [--root DIR]
# Makes the system user, /opt/wgfleet-agent, /etc/wgfleet-agent (a secret made here, a self-signed TLS
# certificate, agent.env), /var/lib/wgfleet-agent (its state), the systemd unit, the wgfleet-agent command, and
# prints what the panel needs. --host is the address the panel reaches (URL and certificate); without it, the
# one address of `hostname -I` (several: it refuses and lists them). A re-run replaces the program, keeps the
# secret, the certificate and agent.env (tightening their modes), and reissues the certificate for a new
# --host. --root installs below DIR (for staging and tests; the paths written into agent.env then include DIR)
# and implies no system user. --private-key-file installs FILE as the interface's private key (cluster members
# share one; docs/ONBOARDING.md): kept root-only in /etc/wgfleet-agent/IFACE.key, written into
# /etc/wireguard/IFACE.conf when that exists and set on the interface when it is up; the key is never printed.
# --uninstall stops and removes the agent and its unit, keeps /etc/wgfleet-agent unless --purge, and never
# touches a WireGuard interface.
set -eu

interface=wg0
listen=0.0.0.0:8420
host=
tls=yes
systemd=yes
root=
uninstall=no
purge=no
keyfile=

usage() {
  sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
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
    --private-key-file) keyfile=$2; shift 2 ;;
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
statedir="$root/var/lib/wgfleet-agent"
bindir="$root/usr/local/bin"
user=wgfleet-agent

if [ "$uninstall" = yes ]; then
  if [ -z "$root" ] && command -v systemctl >/dev/null 2>&1; then
    systemctl disable --now wgfleet-agent >/dev/null 2>&1 || true
  fi
  rm -f "$root/etc/systemd/system/wgfleet-agent.service"
  rm -f "$bindir/wgfleet-agent"
  [ -n "$root" ] || systemctl daemon-reload 2>/dev/null || true
  rm -rf "$prefix"
  if [ "$purge" = yes ]; then
    rm -rf "$confdir" "$statedir"
    [ -n "$root" ] || userdel "$user" 2>/dev/null || true
    echo "wgfleet agent removed with its configuration; WireGuard interfaces and their peers are untouched"
  else
    echo "wgfleet agent removed; kept $confdir (--purge removes it); WireGuard interfaces and their peers are untouched"
  fi
  exit 0
fi

# A release folder whose files differ from its SHA256SUMS was damaged or altered: install nothing from it.
if [ -f "$here/SHA256SUMS" ] && command -v sha256sum >/dev/null 2>&1; then
  (cd "$here" && sha256sum --check --quiet --strict SHA256SUMS >/dev/null 2>&1) ||
    fail "the files of $here do not match its SHA256SUMS (run: cd $here && sha256sum -c SHA256SUMS)"
fi

# A shared interface key is checked before anything is installed: 32 bytes in base64, as `wg genkey` makes.
if [ -n "$keyfile" ]; then
  [ -r "$keyfile" ] || fail "--private-key-file $keyfile is not a readable file"
  command -v wg >/dev/null 2>&1 || fail "--private-key-file needs wg (wireguard-tools) to check the key"
  key_public=$(wg pubkey <"$keyfile" 2>/dev/null) ||
    fail "--private-key-file $keyfile does not hold a WireGuard private key (make one with: wg genkey)"
fi

command -v node >/dev/null 2>&1 || fail "Node.js >= 20 is needed (node is not on PATH)"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
  fail "Node.js >= 20 is needed (this is $(node --version))"
command -v wg >/dev/null 2>&1 || echo "install.sh: warning: wg (wireguard-tools) is not on PATH; the agent needs it" >&2
[ "$tls" = no ] || command -v openssl >/dev/null 2>&1 || fail "openssl is needed for the TLS certificate (or give --no-tls)"
port=${listen##*:}
# The host the panel reaches: --host, else the one the certificate was made for, else this host's only address.
# Never the first of several: that may be a tunnel's address the panel cannot reach.
if [ -z "$host" ] && [ -s "$confdir/tls.crt" ]; then
  host=$(openssl x509 -in "$confdir/tls.crt" -noout -subject 2>/dev/null | sed -n 's/^.*CN *= *wgfleet-agent //p')
fi
if [ -z "$host" ]; then
  candidates=$(hostname -I 2>/dev/null | tr -s ' ' '\n' | sed '/^$/d')
  case $(printf '%s\n' "$candidates" | sed '/^$/d' | wc -l) in
    0) host=127.0.0.1 ;;
    1) host=$candidates ;;
    *) fail "this host has several addresses; give the one the panel reaches with --host:
$(printf '%s\n' "$candidates" | sed 's/^/  /')" ;;
  esac
fi

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

# The command on PATH, with or without systemd.
install -d -m 0755 "$bindir"
ln -sf "$prefix/bin/wgfleet-agent" "$bindir/wgfleet-agent"

# The configuration: made once, kept by upgrades.
install -d -m 0750 -o root -g "$group" "$confdir"
if [ ! -s "$confdir/secret" ]; then
  (umask 0137 && od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$confdir/secret")
fi
# The agent's state (its nonce journal): its own, nobody else's.
install -d -m 0700 "$statedir"
[ -n "$root" ] || chown "$user:$group" "$statedir"
# A certificate that does not name the host the panel reaches is made again for it.
reissued=no
if [ "$tls" = yes ] && [ -s "$confdir/tls.crt" ]; then
  case "$host" in
    *[!0-9.]*) covers="-checkhost" ;;
    *) covers="-checkip" ;;
  esac
  if ! openssl x509 -in "$confdir/tls.crt" -noout "$covers" "$host" 2>/dev/null | grep -q 'does match'; then
    rm -f "$confdir/tls.crt" "$confdir/tls.key"
    reissued=yes
  fi
fi
if [ "$tls" = yes ] && [ ! -s "$confdir/tls.crt" ]; then
  case "$host" in
    *[!0-9.]*) san="DNS:$host" ;;
    *) san="IP:$host" ;;
  esac
  (umask 0137 && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
    -subj "/CN=wgfleet-agent $host" -addext "subjectAltName=$san,IP:127.0.0.1" \
    -keyout "$confdir/tls.key" -out "$confdir/tls.crt" 2>/dev/null) || fail "openssl could not make the certificate"
fi
if [ ! -s "$confdir/agent.env" ]; then
  (
    umask 0137
    {
      echo "# wgfleet agent configuration (agent/README.md, Configure). Kept by upgrades."
      echo "AGENT_SECRET_FILE=$confdir/secret"
      echo "AGENT_INTERFACES=$interface"
      echo "AGENT_LISTEN=$listen"
      echo "AGENT_STATE_DIR=$statedir"
      if [ "$tls" = yes ]; then
        echo "AGENT_TLS_CERT=$confdir/tls.crt"
        echo "AGENT_TLS_KEY=$confdir/tls.key"
      fi
      echo "AGENT_LOG_LEVEL=info"
    } >"$confdir/agent.env"
  )
fi
grep -q '^AGENT_STATE_DIR=' "$confdir/agent.env" || echo "AGENT_STATE_DIR=$statedir" >>"$confdir/agent.env"
# Every run, not only the first: a secret, key or env file loosened since is made root:agent 0640 again.
for file in secret tls.key agent.env; do
  if [ -e "$confdir/$file" ]; then
    chown "root:$group" "$confdir/$file"
    chmod 0640 "$confdir/$file"
  fi
done
if [ -e "$confdir/tls.crt" ]; then
  chown "root:$group" "$confdir/tls.crt"
  chmod 0644 "$confdir/tls.crt"
fi

# The shared interface key: root's only (the agent never reads private keys; wg does). wg-quick's file gets it
# so a restart keeps it, and a running interface takes it now.
if [ -n "$keyfile" ]; then
  keycopy="$confdir/$interface.key"
  (umask 0177 && tr -d ' \n' <"$keyfile" >"$keycopy.new" && echo >>"$keycopy.new")
  chown root:root "$keycopy.new" 2>/dev/null || true
  chmod 0600 "$keycopy.new"
  mv -f "$keycopy.new" "$keycopy"
  wgconf="$root/etc/wireguard/$interface.conf"
  if [ -f "$wgconf" ]; then
    # The key is read by awk from its file, never passed as an argument (others may read a command line).
    (umask 0177 && awk -v keyfile="$keycopy" 'BEGIN { getline key <keyfile }
      /^[[:space:]]*PrivateKey[[:space:]]*=/ { print "PrivateKey = " key; next } { print }' "$wgconf" >"$wgconf.new")
    chmod 0600 "$wgconf.new"
    mv -f "$wgconf.new" "$wgconf"
  fi
  if [ -z "$root" ] && wg show "$interface" >/dev/null 2>&1; then
    wg set "$interface" private-key "$keycopy" || fail "wg could not set the private key of $interface"
  fi
fi

if [ "$systemd" = yes ]; then
  install -d -m 0755 "$root/etc/systemd/system"
  sed -e "s#/opt/wgfleet/agent#$prefix#g" -e "s#/etc/wgfleet-agent#$confdir#g" "$here/wgfleet-agent.service" \
    >"$root/etc/systemd/system/wgfleet-agent.service"
  if [ -z "$root" ]; then
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
listening=$(sed -n 's/^AGENT_LISTEN=//p' "$confdir/agent.env")
case "$listening" in
  0.0.0.0:* | \[::\]:*) listening="$listening (every address of this host; AGENT_LISTEN in agent.env narrows it)" ;;
esac
# The next step exactly as it runs here: the command is on PATH only without --root.
enroll="wgfleet-agent enroll"
[ -z "$root" ] || enroll="$prefix/bin/wgfleet-agent enroll --config-dir $confdir"
public_key=$(wg show "$iface" public-key 2>/dev/null || echo "unknown: interface $iface is not up")
# Under --root (or with the interface down) the key just installed is the one to show.
[ -z "$keyfile" ] || [ -n "$root" ] || wg show "$iface" >/dev/null 2>&1 || public_key=$key_public
[ -z "$keyfile" ] || [ -z "$root" ] || public_key=$key_public
wg_port=$(wg show "$iface" listen-port 2>/dev/null || echo unknown)
cat <<EOF
wgfleet agent $(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$prefix/package.json") installed in $prefix
  agent URL        $scheme://$host:$port
  listens on       $listening
  interface        $iface
  public key       $public_key
  listen port      $wg_port
  cert fingerprint $fingerprint
  config           $confdir/agent.env (secret in $confdir/secret)
EOF
if [ "$reissued" = yes ]; then
  echo "  certificate      made again for $host: set the node's agent_cert_fingerprint in the panel to the one above"
fi
echo "next: $enroll --panel https://PANEL --token-file TOKEN_FILE --url $scheme://$host:$port"
echo "      (or --token - to read the token from standard input; never put it on the command line)"
