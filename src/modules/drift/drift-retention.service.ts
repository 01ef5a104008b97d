import { QueryResult } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { HistoryPruner } from '../../common/scheduling/history-pruner';
import { ScanReportsStore } from './scan-reports.store';

export type PruneResult = { scans: number; reports: number; activity: number; states: number };

/**
 * Drops scans older than DRIFT_HISTORY_DAYS, but never a node's latest scan nor a scan where its status
 * changed (so the history still tells when each node went into and out of drift), then the reports no scan
 * refers to any more (a kept scan's report stays, however old), and forgets the state and activity of nodes
 * and peers that no longer exist.
 */
@Injectable()
export class DriftRetention extends HistoryPruner<PruneResult> {
  protected readonly history = 'drift history';

  constructor(
    em: EntityManager,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly reports: ScanReportsStore,
  ) {
    super(em, config);
  }

  protected async pruneBefore(em: EntityManager, cutoff: Date): Promise<PruneResult> {
    const scans = await em.execute<QueryResult>(
      `delete from drift_scans s
       where s.checked_at < ? and not s.status_changed
         and not exists (select 1 from node_drift_state st where st.last_scan_id = s.id)`,
      [cutoff],
      'run',
    );
    const reports = await this.reports.deleteUnreferenced(em);
    const activity = await em.execute<QueryResult>(
      'delete from peer_activity a where not exists (select 1 from peers p where p.id = a.peer_id)',
      [],
      'run',
    );
    const states = await em.execute<QueryResult>(
      'delete from node_drift_state st where not exists (select 1 from nodes n where n.id = st.node_id)',
      [],
      'run',
    );
    return {
      scans: scans.affectedRows,
      reports,
      activity: activity.affectedRows,
      states: states.affectedRows,
    };
  }
}
