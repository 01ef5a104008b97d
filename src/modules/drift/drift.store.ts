import { QueryResult } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { boundQuery } from '../../database/bound-query';
import { PUBLISHED_NODES } from '../nodes';
import type { DriftStatus } from '../../common/domain/drift-status';
import type { DriftSummary, NodeDriftReport } from './domain/drift-report';
import type { ScanTrigger } from './scan-listeners';

/**
 * A stored report as the scan `s` made it: the report `r` it shares with earlier scans of the same findings,
 * with `s`'s own time (written as Date.toISOString() wrote it when the report was made).
 */
const SCAN_REPORT_SQL = `jsonb_set(r.report, '{checked_at}',
  to_jsonb(to_char(s.checked_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))`;

/** A node's latest scan as the next scan of it needs it; timestamps as text (see boundQuery). */
export interface LatestScan {
  status: DriftStatus;
  last_scan_at: string;
  status_changed_at: string;
  report_id: string;
  content_hash: string | null;
}

/** An enabled node's latest scan as the metrics read it; all null when it was never scanned. */
export interface NodeScanRow {
  node: string;
  status: DriftStatus | null;
  lastScanAt: Date | null;
  summary: DriftSummary | null;
}

export interface ScanRow {
  id: string;
  nodeId: string;
  trigger: ScanTrigger;
  status: DriftStatus;
  statusChanged: boolean;
  fingerprint: string | null;
  summary: NodeDriftReport['summary'];
  error: string | null;
  /** The stored report (drift_reports) this scan found: its own, or the one it shares with earlier scans. */
  reportId: string;
  checkedAt: Date;
  durationMs: number;
}

/**
 * The drift module's statements on drift_scans, drift_reports and node_drift_state. Plain SQL: a fleet scan
 * stores many scans at once, and entity bookkeeping would cost more than the writes. A report is stored once
 * per change of a node's findings and shared by the scans that found the same, so a scan of an unchanged node
 * stores a small row.
 */
@Injectable()
export class DriftStore {
  /** The node a stored scan is of, or null when there is no such scan. */
  async nodeOfScan(em: EntityManager, scanId: string): Promise<string | null> {
    const [row] = await boundQuery<{ node_id: string }>(em, 'select node_id from drift_scans where id = ?', [
      scanId,
    ]);
    return row?.node_id ?? null;
  }

  /** Scans of one node are written one at a time (a transaction-scoped advisory lock). */
  async lockNodeScans(em: EntityManager, nodeId: string): Promise<void> {
    await boundQuery(em, 'select pg_advisory_xact_lock(hashtextextended(?, 0))', [`drift:${nodeId}`]);
  }

  /** The node's state with its latest scan's report; undefined before its first scan. */
  async latestScan(em: EntityManager, nodeId: string): Promise<LatestScan | undefined> {
    const [latest] = await boundQuery<LatestScan>(
      em,
      `select st.status, st.last_scan_at, st.status_changed_at, s.report_id, r.content_hash
       from node_drift_state st
       join drift_scans s on s.id = st.last_scan_id
       join drift_reports r on r.id = s.report_id
       where st.node_id = ?`,
      [nodeId],
    );
    return latest;
  }

  async insertReport(
    em: EntityManager,
    report: { id: string; nodeId: string; contentHash: string; report: NodeDriftReport },
  ): Promise<void> {
    await boundQuery(
      em,
      'insert into drift_reports (id, node_id, content_hash, report) values (?, ?, ?, ?::jsonb)',
      [report.id, report.nodeId, report.contentHash, JSON.stringify(report.report)],
    );
  }

  /** The report of one scan; undefined when there is no such scan. */
  async reportOf(em: EntityManager, scanId: string): Promise<NodeDriftReport | undefined> {
    const [row] = await boundQuery<{ report: NodeDriftReport }>(
      em,
      `select ${SCAN_REPORT_SQL} as report
       from drift_scans s join drift_reports r on r.id = s.report_id where s.id = ?`,
      [scanId],
    );
    return row?.report;
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
           (id, node_id, trigger, status, status_changed, summary, fingerprint, report_id, error, checked_at, duration_ms)
         values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?))
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
        JSON.stringify(scan.summary),
        scan.fingerprint,
        scan.reportId,
        scan.error,
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
      `select st.node_id, ${SCAN_REPORT_SQL} as report, s.checked_at
       from node_drift_state st
       join drift_scans s on s.id = st.last_scan_id
       join drift_reports r on r.id = s.report_id
       where st.node_id = any(?::uuid[])
         and s.checked_at + s.duration_ms * interval '1 millisecond' >= ?`,
      [nodeIds, since],
    );
  }

  /** Each enabled node's latest scan, by node name. */
  async latestScansOfEnabledNodes(em: EntityManager): Promise<NodeScanRow[]> {
    const rows = await em.execute<
      Array<{
        node: string;
        status: DriftStatus | null;
        last_scan_at: Date | string | null;
        summary: DriftSummary | null;
      }>
    >(
      `select n.name as node, st.status, st.last_scan_at, s.summary
       from ${PUBLISHED_NODES} n
       left join node_drift_state st on st.node_id = n.id
       left join drift_scans s on s.id = st.last_scan_id
       where n.enabled`,
    );
    return rows.map((row) => ({
      node: row.node,
      status: row.status,
      lastScanAt: row.last_scan_at === null ? null : new Date(row.last_scan_at),
      summary: row.summary,
    }));
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

  /** Reports no scan refers to any more (retention removed their scans); returns how many went. */
  async deleteUnreferencedReports(em: EntityManager): Promise<number> {
    const result = await em.execute<QueryResult>(
      'delete from drift_reports r where not exists (select 1 from drift_scans s where s.report_id = r.id)',
      [],
      'run',
    );
    return result.affectedRows;
  }

  /** Drift state of nodes that no longer exist. */
  async deleteStateOfGoneNodes(em: EntityManager): Promise<number> {
    const result = await em.execute<QueryResult>(
      `delete from node_drift_state st where not exists (select 1 from ${PUBLISHED_NODES} n where n.id = st.node_id)`,
      [],
      'run',
    );
    return result.affectedRows;
  }
}
