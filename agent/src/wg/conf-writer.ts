import type { WirePeer } from '@wgfleet/protocol';

/** wg treats an all-zero preshared key as "none": the way to remove one inside a config file. */
export const ZERO_KEY = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/** [Interface] keys only wg-quick understands; `wg showconf` drops them, so persistence carries them over. */
const WG_QUICK_KEYS = new Set([
  'address',
  'dns',
  'mtu',
  'table',
  'preup',
  'postup',
  'predown',
  'postdown',
  'saveconfig',
]);

/**
 * A [Peer] section for `wg addconf` / `wg syncconf`. Both always replace a peer's allowed IPs with the
 * section's (none when there is no AllowedIPs line: the config syntax has no empty value), so a peer here
 * carries its whole list. The optional fields are set only when present (the contract's upsert rules); a
 * null preshared key becomes the all-zero key, which wg reads as "none".
 */
export function renderPeerSection(peer: WirePeer): string {
  const lines = ['[Peer]', `PublicKey = ${peer.public_key}`];
  if (peer.preshared_key !== undefined) lines.push(`PresharedKey = ${peer.preshared_key ?? ZERO_KEY}`);
  if (peer.allowed_ips.length > 0) lines.push(`AllowedIPs = ${peer.allowed_ips.join(', ')}`);
  if (peer.persistent_keepalive !== undefined)
    lines.push(`PersistentKeepalive = ${peer.persistent_keepalive}`);
  if (peer.endpoint) lines.push(`Endpoint = ${peer.endpoint}`);
  return lines.join('\n') + '\n';
}

/**
 * The part of a `wg syncconf` file after its `PrivateKey` line: the private key is copied into the file by
 * `wg show <iface> private-key` itself, so it never passes through the agent. ListenPort is always written
 * because syncconf picks a random port when it is missing.
 */
export function renderSyncconfRest(settings: {
  listenPort: number;
  fwmark: number | null;
  peers: readonly WirePeer[];
}): string {
  const head = [`ListenPort = ${settings.listenPort}`];
  if (settings.fwmark !== null) head.push(`FwMark = 0x${settings.fwmark.toString(16)}`);
  return [head.join('\n') + '\n', ...settings.peers.map(renderPeerSection)].join('\n');
}

function isSectionHeader(line: string): boolean {
  return /^\s*\[.*\]\s*$/.test(line);
}

/** The wg-quick-only [Interface] lines of an existing config file, in their order. */
export function wgQuickLines(existing: string): string[] {
  const kept: string[] = [];
  let inInterface = false;
  for (const line of existing.split(/\r?\n/)) {
    if (isSectionHeader(line)) {
      inInterface = /^\s*\[interface\]\s*$/i.test(line);
      continue;
    }
    const key = line.split('=', 1)[0].trim().toLowerCase();
    if (inInterface && line.includes('=') && WG_QUICK_KEYS.has(key)) kept.push(line.trim());
  }
  return kept;
}

/** `wg showconf` output with the wg-quick lines of the file it replaces put back into [Interface]. */
export function mergeWgQuickSettings(showconf: string, existing: string | null): string {
  const kept = existing ? wgQuickLines(existing) : [];
  const lines = showconf.replace(/\s+$/, '').split('\n');
  const header = lines.findIndex((line) => /^\s*\[interface\]\s*$/i.test(line));
  if (kept.length > 0) lines.splice(header + 1, 0, ...kept);
  return lines.join('\n') + '\n';
}
