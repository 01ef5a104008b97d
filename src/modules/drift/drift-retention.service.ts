import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { HistoryPruner } from '../../common/scheduling/history-pruner';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { DriftStore } from './drift.store';

export type PruneResult = { scans: number; reports: number; states: number };

/**
 * Drops scans older than DRIFT_HISTORY_DAYS, but never a node's latest scan nor a scan where its status
 * changed (so the history still tells when each node went into and out of drift), then the reports no scan
 * refers to any more (a kept scan's report stays, however old), and forgets the state of nodes that no longer
 * exist.
 */
@Injectable()
export class DriftRetention extends HistoryPruner<PruneResult> {
  protected readonly history = 'drift history';

  constructor(
    em: EntityManager,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly store: DriftStore,
  ) {
    super(em, config);
  }

  protected async pruneBefore(em: EntityManager, cutoff: Date): Promise<PruneResult> {
    const scans = await this.store.deleteScansBefore(em, cutoff);
    const reports = await this.store.deleteUnreferencedReports(em);
    const states = await this.store.deleteStateOfGoneNodes(em);
    return { scans, reports, states };
  }
}
