import { QueryResult } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { boundQuery } from '../../database/bound-query';
import type { DriftStatus, NodeDriftReport } from './domain/drift-report';

/**
 * A stored report as the scan `s` made it: the report `r` it shares with earlier scans of the same findings,
 * with `s`'s own time (written as Date.toISOString() wrote it when the report was made).
 */
export const SCAN_REPORT_SQL = `jsonb_set(r.report, '{checked_at}',
  to_jsonb(to_char(s.checked_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))`;

/** A node's latest scan as the next scan of it needs it; timestamps as text (see boundQuery). */
export interface LatestScan {
  status: DriftStatus;
  last_scan_at: string;
  status_changed_at: string;
  report_id: string;
  content_hash: string | null;
}

/**
 * `drift_reports`: reports stored once per change of a node's findings and shared by the scans that found
 * the same, so a scan of an unchanged node stores a small row.
 */
@Injectable()
export class ScanReportsStore {
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

  async insert(
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

  /** Reports no scan refers to any more (retention removed their scans); returns how many went. */
  async deleteUnreferenced(em: EntityManager): Promise<number> {
    const result = await em.execute<QueryResult>(
      `delete from drift_reports r where not exists (select 1 from drift_scans s where s.report_id = r.id)`,
      [],
      'run',
    );
    return result.affectedRows;
  }
}
