import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { NodeDriftReport } from './domain/drift-report';

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
}

/**
 * Called inside the transaction that stores a scan, so what a listener writes (an outbox row, a reconcile
 * job) commits or rolls back with it. A returned function runs after the commit (e.g. to enqueue a job).
 */
export interface ScanListener {
  onScanStored(em: EntityManager, scan: StoredScan): Promise<void | (() => Promise<void>)>;
}

/** Lets notifications and reconcile react to scans without drift depending on them. */
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
      const next = await listener.onScanStored(em, scan);
      if (next) afterCommit.push(next);
    }
    return afterCommit;
  }
}
