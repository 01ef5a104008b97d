/**
 * Reads the parts of a wg-quick config that `wg setconf` ignores and wg-quick itself would act on: the
 * addresses to put on the interface and the routes its peers' AllowedIPs imply.
 */
export interface WgQuickSettings {
  /** [Interface] Address, in order. */
  addresses: string[];
  /** [Interface] DNS, in order. */
  dns: string[];
  mtu: number | null;
  /** Every [Peer] AllowedIPs, in order. */
  allowedIps: string[];
  /** [Peer] PersistentKeepalive (panel configs have one peer); null when not set. */
  persistentKeepalive: number | null;
}

const list = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

export function parseWgQuickConfig(text: string): WgQuickSettings {
  const settings: WgQuickSettings = {
    addresses: [],
    dns: [],
    mtu: null,
    allowedIps: [],
    persistentKeepalive: null,
  };
  let section = '';
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/#.*/, '').trim();
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      section = header[1].toLowerCase();
      continue;
    }
    const pair = /^(\w+)\s*=\s*(.*)$/.exec(line);
    if (!pair) continue;
    const key = `${section}.${pair[1].toLowerCase()}`;
    const value = pair[2];
    if (key === 'interface.address') settings.addresses.push(...list(value));
    else if (key === 'interface.dns') settings.dns.push(...list(value));
    else if (key === 'interface.mtu') settings.mtu = Number(value);
    else if (key === 'peer.allowedips') settings.allowedIps.push(...list(value));
    else if (key === 'peer.persistentkeepalive') settings.persistentKeepalive = Number(value);
  }
  return settings;
}
