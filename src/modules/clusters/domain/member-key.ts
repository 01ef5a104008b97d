import { createHash } from 'node:crypto';

/**
 * A short, stable name for a WireGuard public key in messages: the first 16 hex digits of the SHA-256 of its
 * raw bytes. Private keys are never fingerprinted or shown.
 */
export function keyFingerprint(publicKey: string): string {
  return `SHA256:${createHash('sha256').update(Buffer.from(publicKey, 'base64')).digest('hex').slice(0, 16)}`;
}

export type MemberKeyCheck =
  | { kind: 'ok'; clusterKey: string; adopted: boolean }
  | { kind: 'node_key_unknown' }
  | { kind: 'key_differs'; clusterFingerprint: string; nodeFingerprint: string };

/**
 * Whether a node may join a cluster: members share one interface key, so the node's must be the cluster's. A
 * cluster without a key yet takes the first member's (`adopted`).
 */
export function checkMemberKey(clusterKey: string | null, nodeKey: string | null): MemberKeyCheck {
  if (nodeKey === null) return { kind: 'node_key_unknown' };
  if (clusterKey === null) return { kind: 'ok', clusterKey: nodeKey, adopted: true };
  if (clusterKey === nodeKey) return { kind: 'ok', clusterKey, adopted: false };
  return {
    kind: 'key_differs',
    clusterFingerprint: keyFingerprint(clusterKey),
    nodeFingerprint: keyFingerprint(nodeKey),
  };
}
