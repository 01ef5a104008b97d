import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { boundQuery } from '../../database/bound-query';
import type { NodeDriftReport } from './domain/drift-report';
import { SCAN_REPORT_SQL } from './scan-reports.store';

/** Reads nodes' latest stored scans back as the reports they were. */
@Injectable()
export class RecentScansStore {
  /**
   * The latest report of each of `nodeIds` whose scan finished at or after `since`; other nodes are absent.
   * Finished, not started: a slow agent's answer is then still fresh for the whole interval. A scan older than
   * a reconcile job that has finished since is not the node's latest result any more (the job changed and
   * verified the node), so that node is absent too and is scanned again.
   */
  async latestReportsSince(
    em: EntityManager,
    nodeIds: readonly string[],
    since: Date,
  ): Promise<Map<string, NodeDriftReport>> {
    if (nodeIds.length === 0) return new Map();
    const rows = await boundQuery<{ node_id: string; report: NodeDriftReport }>(
      em,
      `select st.node_id, ${SCAN_REPORT_SQL} as report
       from node_drift_state st
       join drift_scans s on s.id = st.last_scan_id
       join drift_reports r on r.id = s.report_id
       where st.node_id = any(?::uuid[])
         and s.checked_at + s.duration_ms * interval '1 millisecond' >= ?
         and not exists (select 1 from reconcile_jobs j
                          where j.node_id = st.node_id and j.finished_at > s.checked_at)`,
      [nodeIds, since],
    );
    return new Map(rows.map((row) => [row.node_id, row.report]));
  }
}
