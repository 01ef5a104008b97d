import { sha256Hex, type DumpPeer, type SyncconfResponse, type WirePeer } from '@wgfleet/protocol';
import { normaliseCidr } from '../validation/network';

function sameCidrs(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a.map(normaliseCidr));
  const right = new Set(b.map(normaliseCidr));
  return left.size === right.size && [...left].every((cidr) => right.has(cidr));
}

/** Whether applying `desired` changes anything wg reports for `current` (absent fields change nothing). */
export function peerDiffers(current: DumpPeer, desired: WirePeer): boolean {
  if (!sameCidrs(current.allowed_ips, desired.allowed_ips)) return true;
  if (
    desired.persistent_keepalive !== undefined &&
    desired.persistent_keepalive !== current.persistent_keepalive
  ) {
    return true;
  }
  if (desired.preshared_key !== undefined) {
    const desiredHash = desired.preshared_key === null ? null : sha256Hex(desired.preshared_key);
    if (desiredHash !== current.preshared_key_sha256) return true;
  }
  return !!desired.endpoint && desired.endpoint !== current.endpoint;
}

/** What `wg syncconf` with `desired` does to an interface that currently has `current`. */
export function countSyncChanges(
  current: readonly DumpPeer[],
  desired: readonly WirePeer[],
): SyncconfResponse {
  const existing = new Map(current.map((peer) => [peer.public_key, peer]));
  const counts = { added: 0, updated: 0, removed: 0 };
  for (const peer of desired) {
    const now = existing.get(peer.public_key);
    if (!now) counts.added += 1;
    else if (peerDiffers(now, peer)) counts.updated += 1;
    existing.delete(peer.public_key);
  }
  counts.removed = existing.size;
  return counts;
}
