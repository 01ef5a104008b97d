/** The counts of a drift report that tell whether a node's interface came back empty. */
export interface PeerCounts {
  expected: number;
  actual: number;
  missing: number;
}

/**
 * What an alert says when a node has none of its peers: its interface came back empty with the same key
 * (wireguard-go restarted, a reboot without wg-quick), which is repaired by putting the peers back, not by
 * anyone looking for what changed. Null for any other drift.
 */
export function lostPeersNote(counts: PeerCounts): string | null {
  if (counts.expected === 0 || counts.actual !== 0 || counts.missing !== counts.expected) return null;
  return (
    `the node's interface has none of its ${counts.expected} peers (restarted empty, e.g. wireguard-go ` +
    `restarted or a reboot without wg-quick); a node with auto_reconcile "safe" gets them back at its next ` +
    `scan, otherwise reconcile it: POST /api/drift/nodes/{id}/reconcile`
  );
}
