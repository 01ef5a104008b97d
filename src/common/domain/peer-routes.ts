import { normaliseCidrSet } from './cidr';
import type { DesiredPeer } from './desired-state';

/** The peer's AllowedIPs on its node: its tunnel addresses and the networks it routes (docs/API.md). */
export function nodeAllowedIps(peer: Pick<DesiredPeer, 'allowed_ips' | 'routed_ips'>): string[] {
  return normaliseCidrSet(
    peer.routed_ips.length === 0 ? peer.allowed_ips : [...peer.allowed_ips, ...peer.routed_ips],
  );
}
