import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { HistoryPruner } from '../../common/scheduling/history-pruner';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { PeerActivityStore } from './peer-activity.store';
import { PeerUsageStore } from './peer-usage.store';

/**
 * Keeps usage periods PEER_USAGE_HISTORY_DAYS after they end; a `total` period never ends. Forgets the activity
 * of peers that no longer exist.
 */
@Injectable()
export class PeerUsageRetention extends HistoryPruner<{ periods: number; activity: number }> {
  protected readonly history = 'peer usage';

  constructor(
    em: EntityManager,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly usage: PeerUsageStore,
    private readonly activity: PeerActivityStore,
  ) {
    super(em, config);
  }

  protected override keepDays(config: AppConfig): number {
    return config.peerUsageHistoryDays;
  }

  protected async pruneBefore(
    em: EntityManager,
    cutoff: Date,
  ): Promise<{ periods: number; activity: number }> {
    const periods = await this.usage.pruneBefore(em, cutoff);
    const activity = await this.activity.deleteOfGonePeers(em);
    return { periods, activity };
  }
}
