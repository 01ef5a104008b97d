/**
 * Drift report shapes (docs/API.md, Drift reports and repairs); field names are snake_case because they are the
 * API's JSON.
 */
import type { DriftStatus } from '../../../common/domain/drift-status';

export interface DriftSummary {
  /** Enabled desired peers of the node. */
  expected: number;
  /** Peers present on the node. */
  actual: number;
  missing: number;
  mismatched: number;
  orphaned: number;
  unknown: number;
  interface: number;
  pending: number;
}

export interface MissingPeer {
  peer_id: string;
  name: string;
  public_key: string;
  /** Normalised, sorted. */
  allowed_ips: string[];
}

/**
 * How a preshared key difference is shown: the report names presence, never a key or its hash.
 * `expected` is `present` or `absent`; `actual` is `absent`, `present` (the node has one, the panel wants none)
 * or `different` (both have one, but not the same key).
 */
export type PresharedKeyState = 'present' | 'absent' | 'different';

export type PeerFieldMismatch =
  | { field: 'allowed_ips'; expected: string[]; actual: string[] }
  /** Compared only when the panel sets an endpoint; `actual` null: the node has none. */
  | { field: 'endpoint'; expected: string; actual: string | null }
  | { field: 'persistent_keepalive'; expected: number; actual: number }
  | { field: 'preshared_key'; expected: PresharedKeyState; actual: PresharedKeyState };

export type PeerField = PeerFieldMismatch['field'];

export interface MismatchedPeer {
  peer_id: string;
  name: string;
  public_key: string;
  /** Sorted by field name. */
  mismatches: PeerFieldMismatch[];
}

/** On the node and once managed by the panel, but now deleted or disabled. */
export interface OrphanedPeer {
  peer_id: string;
  name: string;
  public_key: string;
  /** As observed on the node, normalised. */
  allowed_ips: string[];
}

/** On the node and never managed by the panel. */
export interface UnknownPeer {
  public_key: string;
  allowed_ips: string[];
  endpoint: string | null;
  persistent_keepalive: number;
}

export type InterfaceMismatch =
  | { field: 'listen_port'; expected: number; actual: number }
  | { field: 'public_key'; expected: string; actual: string }
  /** Only when the node's pinned template sets one; actual null = the agent does not report it (or no fwmark). */
  | { field: InterfaceSettingField; expected: number; actual: number | null };

/** The server interface's settings a template sets and the agent applies. */
export type InterfaceSettingField = 'interface_mtu' | 'fwmark';

/** A peer whose latest change the panel has not applied yet: its own backlog, not drift. */
export interface PendingPeer {
  peer_id: string;
  name: string;
  public_key: string;
}

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

export interface NodeDriftReport extends Divergence {
  node_id: string;
  node_name: string;
  /** ISO 8601. */
  checked_at: string;
  status: DriftStatus;
  has_drift: boolean;
  /** Why the node's state is unknown; only with status `unknown`. */
  error?: string;
  summary: DriftSummary;
  pending_peers: PendingPeer[];
}

export interface FleetDriftSummary {
  nodes: number;
  in_sync: number;
  drift: number;
  unknown: number;
}

export interface FleetDriftReport {
  checked_at: string;
  summary: FleetDriftSummary;
  nodes: NodeDriftReport[];
}

/** The all-nodes report: counts by status over the given node reports, kept in the given order. */
export function fleetDriftReport(reports: NodeDriftReport[], checkedAt: Date): FleetDriftReport {
  const count = (status: DriftStatus) => reports.filter((report) => report.status === status).length;
  return {
    checked_at: checkedAt.toISOString(),
    summary: {
      nodes: reports.length,
      in_sync: count('in_sync'),
      drift: count('drift'),
      unknown: count('unknown'),
    },
    nodes: reports,
  };
}
