import { EntityManager } from '@mikro-orm/postgresql';
import { tellTopic, type AfterCommit } from '../../common/reactions';
import type { NodeDriftReport } from './domain/drift-report';
import type { ObservedManagedPeer } from './domain/observed-peers';

export const SCAN_TRIGGERS = ['schedule', 'api'] as const;
export type ScanTrigger = (typeof SCAN_TRIGGERS)[number];

/** A scan as stored in the drift history. */
export interface StoredScan {
  id: string;
  nodeId: string;
  nodeName: string;
  trigger: ScanTrigger;
  status: 'in_sync' | 'drift' | 'unknown';
  fingerprint: string | null;
  report: NodeDriftReport;
  checkedAt: Date;
  /**
   * The managed peers the node reported, for activity and usage; absent when the agent did not answer or a
   * newer scan of the node was stored first (a late scan must not roll counters back).
   */
  activity?: readonly ObservedManagedPeer[];
}

/**
 * Called inside the transaction that stores a scan, so what a listener writes (an outbox row, a reconcile
 * job) commits or rolls back with it. A returned function runs after the commit (e.g. to enqueue a job).
 */
export interface ScanListener {
  onScanStored(em: EntityManager, scan: StoredScan): Promise<void | AfterCommit>;
}

/** A scan was stored: lets lifecycle, notifications and reconcile react to scans without drift depending on them. */
export const SCAN_STORED = tellTopic<[em: EntityManager, scan: StoredScan]>(
  'drift.scan-stored',
  'inTransaction',
);

/** A scan is stored and its after-commit work done; `durationMs` counts the whole scan (metrics observe it). */
export const SCAN_FINISHED = tellTopic<[scan: StoredScan, durationMs: number]>(
  'drift.scan-finished',
  'afterCommit',
  'a finished scan was not counted',
);
