/** What restoring an interface needs from its persisted `<iface>.conf` (`wg showconf` plus wg-quick lines). */
export interface PersistedPeers {
  /** The [Interface] PrivateKey, or null when the file has none. */
  privateKey: string | null;
  /** The [Peer] sections as written, ready for `wg addconf`. */
  peerSections: string;
  peerCount: number;
  /** Every PresharedKey of those sections, so an error of wg can be cleaned of them. */
  presharedKeys: string[];
}

const SECTION_HEADER = /^\s*\[(.*)\]\s*$/;

function keyValue(line: string): [string, string] | null {
  const at = line.indexOf('=');
  if (at < 0) return null;
  return [line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim()];
}

/** Reads the interface's private key and its [Peer] sections out of a persisted config. */
export function parsePersistedPeers(config: string): PersistedPeers {
  let section = '';
  let privateKey: string | null = null;
  const peerLines: string[] = [];
  const presharedKeys: string[] = [];
  let peerCount = 0;
  for (const line of config.split(/\r?\n/)) {
    const header = SECTION_HEADER.exec(line);
    if (header) {
      section = header[1].trim().toLowerCase();
      if (section === 'peer') {
        peerCount += 1;
        peerLines.push('[Peer]');
      }
      continue;
    }
    const entry = keyValue(line);
    if (section === 'interface' && entry?.[0] === 'privatekey') privateKey = entry[1];
    if (section !== 'peer' || line.trim() === '' || line.trim().startsWith('#')) continue;
    if (entry?.[0] === 'presharedkey') presharedKeys.push(entry[1]);
    peerLines.push(line.trim());
  }
  return {
    privateKey,
    peerSections: peerLines.length > 0 ? peerLines.join('\n') + '\n' : '',
    peerCount,
    presharedKeys,
  };
}
