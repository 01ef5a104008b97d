import { QueryResult } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { historyCutoff, pruneOnSchedule } from '../../common/scheduling/scheduled-pruning';
import { APP_CONFIG, AppConfig } from '../../config/app-config';

export type PruneResult = { scans: number; activity: number; states: number };

/**
 * Drops scans older than DRIFT_HISTORY_DAYS, but never a node's latest scan nor a scan where its status
 * changed (so the history still tells when each node went into and out of drift), and forgets the state
 * and activity of nodes and peers that no longer exist.
 */
@Injectable()
export class DriftRetention {
  private readonly logger = new Logger(DriftRetention.name);

  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Cron(CronExpression.EVERY_HOUR, { name: 'drift-retention' })
  pruneOnSchedule(): Promise<void> {
    return pruneOnSchedule(this.logger, 'drift history', () => this.prune());
  }

  async prune(now: Date = new Date()): Promise<PruneResult> {
    const cutoff = historyCutoff(now, this.config.driftHistoryDays);
    return this.em.fork().transactional(async (em) => {
      const scans = await em.execute<QueryResult>(
        `delete from drift_scans s
         where s.checked_at < ? and not s.status_changed
           and not exists (select 1 from node_drift_state st where st.last_scan_id = s.id)`,
        [cutoff],
        'run',
      );
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
      return { scans: scans.affectedRows, activity: activity.affectedRows, states: states.affectedRows };
    });
  }
}
