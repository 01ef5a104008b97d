/** Peers put on a node's interface behind the panel's back, as a server being onboarded already has them. */
import { sha256Hex } from '@wgfleet/protocol';
import { randomKey, withSecretFile } from '../../../agent/test/support/wg-interface';
import type { FleetNode } from '../../reconcile-fixture';

export interface ExistingPeer {
  public_key: string;
  allowed_ips: string[];
  persistent_keepalive: number;
  preshared_key_sha256: string | null;
}

/** Writes the peers onto the node's interface with one `wg addconf` (the preshared keys stay in a 0600 file). */
export async function putPeersOnNode(
  node: Pick<FleetNode, 'wg'>,
  peers: readonly { allowed_ips: string[]; persistent_keepalive?: number; psk?: boolean }[],
): Promise<ExistingPeer[]> {
  const made = peers.map((peer) => ({
    public_key: randomKey(),
    allowed_ips: peer.allowed_ips,
    persistent_keepalive: peer.persistent_keepalive ?? 0,
    psk: peer.psk ? randomKey() : null,
  }));
  const config = made
    .map((peer) =>
      [
        '[Peer]',
        `PublicKey = ${peer.public_key}`,
        `AllowedIPs = ${peer.allowed_ips.join(', ')}`,
        peer.persistent_keepalive ? `PersistentKeepalive = ${peer.persistent_keepalive}` : '',
        peer.psk ? `PresharedKey = ${peer.psk}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    )
    .join('\n\n');
  await withSecretFile(config, (file) => node.wg.wg('addconf', node.wg.name, file));
  return made.map(({ psk, ...peer }) => ({ ...peer, preshared_key_sha256: psk ? sha256Hex(psk) : null }));
}

/** The node's peer configuration as WireGuard holds it (no counters, handshakes or endpoints), sorted. */
export async function peerConfiguration(node: Pick<FleetNode, 'dump'>) {
  const dump = await node.dump();
  return dump.peers
    .map((peer) => ({
      public_key: peer.public_key,
      allowed_ips: [...peer.allowed_ips].sort(),
      persistent_keepalive: peer.persistent_keepalive,
      preshared_key_sha256: peer.preshared_key_sha256,
    }))
    .sort((a, b) => (a.public_key < b.public_key ? -1 : 1));
}
