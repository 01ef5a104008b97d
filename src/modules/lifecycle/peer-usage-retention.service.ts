import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { HistoryPruner } from '../../common/scheduling/history-pruner';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { PeerUsageStore } from './peer-usage.store';

/** Keeps usage periods PEER_USAGE_HISTORY_DAYS after they end; a `total` period never ends. */
@Injectable()
export class PeerUsageRetention extends HistoryPruner<{ periods: number }> {
  protected readonly history = 'peer usage';

  constructor(
    em: EntityManager,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly usage: PeerUsageStore,
  ) {
    super(em, config);
  }

  protected override keepDays(config: AppConfig): number {
    return config.peerUsageHistoryDays;
  }

  protected async pruneBefore(em: EntityManager, cutoff: Date): Promise<{ periods: number }> {
    return { periods: await this.usage.pruneBefore(em, cutoff) };
  }
}
