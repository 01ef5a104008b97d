import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
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
  onScanStored?(em: EntityManager, scan: StoredScan): Promise<void | (() => Promise<void>)>;
  /** Once the scan is stored and its listeners' after-commit work done; `durationMs` counts the whole scan. */
  onScanFinished?(scan: StoredScan, durationMs: number): void;
}

/** Lets lifecycle, metrics, notifications and reconcile react to scans without drift depending on them. */
@Injectable()
export class ScanListeners {
  private readonly listeners: ScanListener[] = [];

  register(listener: ScanListener): void {
    this.listeners.push(listener);
  }

  /** Runs every listener in the scan's transaction; returns what must run once it has committed. */
  async stored(em: EntityManager, scan: StoredScan): Promise<Array<() => Promise<void>>> {
    const afterCommit: Array<() => Promise<void>> = [];
    for (const listener of this.listeners) {
      const next = await listener.onScanStored?.(em, scan);
      if (next) afterCommit.push(next);
    }
    return afterCommit;
  }

  finished(scan: StoredScan, durationMs: number): void {
    for (const listener of this.listeners) listener.onScanFinished?.(scan, durationMs);
  }
}
