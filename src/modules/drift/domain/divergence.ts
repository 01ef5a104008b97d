import type {
  InterfaceMismatch,
  MismatchedPeer,
  MissingPeer,
  NodeDriftReport,
  OrphanedPeer,
  UnknownPeer,
} from './drift-report';

/**
 * How a node differs from its desired state: what the planner works from, and all it works from. A drift scan
 * finds it (a report is a divergence with a status, counts and times); sync makes one from what changed.
 */
export interface Divergence {
  missing_peers: MissingPeer[];
  mismatched_peers: MismatchedPeer[];
  orphaned_peers: OrphanedPeer[];
  unknown_peers: UnknownPeer[];
  interface_mismatches: InterfaceMismatch[];
}

/** The divergence a scan found; a node whose state is unknown has none to plan from. */
export function divergenceOf(report: NodeDriftReport): Divergence {
  if (report.status === 'unknown') {
    throw new Error(`cannot plan a reconcile of node ${report.node_name}: its state is unknown`);
  }
  return {
    missing_peers: report.missing_peers,
    mismatched_peers: report.mismatched_peers,
    orphaned_peers: report.orphaned_peers,
    unknown_peers: report.unknown_peers,
    interface_mismatches: report.interface_mismatches,
  };
}
