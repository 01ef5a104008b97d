import { QueryResult } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { boundQuery } from '../../database/bound-query';
import type { DriftStatus, NodeDriftReport } from './domain/drift-report';
import type { ScanTrigger } from './scan-listeners';

/** A node's drift state before a scan is stored; timestamps as text (see boundQuery). */
export interface StoredDriftState {
  status: DriftStatus;
  last_scan_at: string;
  status_changed_at: string;
}

export interface ScanRow {
  id: string;
  nodeId: string;
  trigger: ScanTrigger;
  status: DriftStatus;
  statusChanged: boolean;
  fingerprint: string | null;
  report: NodeDriftReport;
  checkedAt: Date;
  durationMs: number;
}

/**
 * The drift module's statements on drift_scans and node_drift_state. Plain SQL: a fleet scan stores many scans
 * at once, and entity bookkeeping would cost more than the writes.
 */
@Injectable()
export class DriftStore {
  /** Scans of one node are written one at a time (a transaction-scoped advisory lock). */
  async lockNodeScans(em: EntityManager, nodeId: string): Promise<void> {
    await boundQuery(em, 'select pg_advisory_xact_lock(hashtextextended(?, 0))', [`drift:${nodeId}`]);
  }

  async driftState(em: EntityManager, nodeId: string): Promise<StoredDriftState | null> {
    const [state] = await boundQuery<StoredDriftState>(
      em,
      'select status, last_scan_at, status_changed_at from node_drift_state where node_id = ?',
      [nodeId],
    );
    return state ?? null;
  }

  /**
   * The scan and, when `advancesState`, the node's state in one statement (one round trip per stored scan
   * fewer).
   */
  async insertScan(
    em: EntityManager,
    scan: ScanRow,
    statusChangedAt: Date,
    advancesState: boolean,
  ): Promise<void> {
    await boundQuery(
      em,
      `with scan as (
         insert into drift_scans
           (id, node_id, trigger, status, status_changed, summary, fingerprint, report, error, checked_at, duration_ms)
         values (?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, ?))
       insert into node_drift_state (node_id, status, fingerprint, last_scan_id, last_scan_at, status_changed_at)
       select ?, ?, ?, ?, ?::timestamptz, ?::timestamptz where ?::boolean
       on conflict (node_id) do update set status = excluded.status, fingerprint = excluded.fingerprint,
         last_scan_id = excluded.last_scan_id, last_scan_at = excluded.last_scan_at,
         status_changed_at = excluded.status_changed_at`,
      [
        scan.id,
        scan.nodeId,
        scan.trigger,
        scan.status,
        scan.statusChanged,
        JSON.stringify(scan.report.summary),
        scan.fingerprint,
        JSON.stringify(scan.report),
        scan.report.error ?? null,
        scan.checkedAt,
        Math.round(scan.durationMs),
        scan.nodeId,
        scan.status,
        scan.fingerprint,
        scan.id,
        scan.checkedAt,
        statusChangedAt,
        advancesState,
      ],
    );
  }

  /**
   * The latest scan of each of `nodeIds` if it finished at or after `since`; other nodes are absent. Finished,
   * not started: a slow agent's answer is then still fresh for the whole interval. `checked_at` as text.
   */
  async latestScansSince(
    em: EntityManager,
    nodeIds: readonly string[],
    since: Date,
  ): Promise<Array<{ node_id: string; report: NodeDriftReport; checked_at: string }>> {
    return boundQuery(
      em,
      `select st.node_id, s.report, s.checked_at
       from node_drift_state st
       join drift_scans s on s.id = st.last_scan_id
       where st.node_id = any(?::uuid[])
         and s.checked_at + s.duration_ms * interval '1 millisecond' >= ?`,
      [nodeIds, since],
    );
  }

  /** Scans before `cutoff`, but never a node's latest one nor one where its status changed. */
  async deleteScansBefore(em: EntityManager, cutoff: Date): Promise<number> {
    const result = await em.execute<QueryResult>(
      `delete from drift_scans s
       where s.checked_at < ? and not s.status_changed
         and not exists (select 1 from node_drift_state st where st.last_scan_id = s.id)`,
      [cutoff],
      'run',
    );
    return result.affectedRows;
  }

  /** Activity of peers that no longer exist. */
  async deleteActivityOfGonePeers(em: EntityManager): Promise<number> {
    const result = await em.execute<QueryResult>(
      'delete from peer_activity a where not exists (select 1 from peers p where p.id = a.peer_id)',
      [],
      'run',
    );
    return result.affectedRows;
  }

  /** Drift state of nodes that no longer exist. */
  async deleteStateOfGoneNodes(em: EntityManager): Promise<number> {
    const result = await em.execute<QueryResult>(
      'delete from node_drift_state st where not exists (select 1 from nodes n where n.id = st.node_id)',
      [],
      'run',
    );
    return result.affectedRows;
  }
}
