import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { HistoryPruner } from '../../common/scheduling/history-pruner';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { NotificationsStore } from './notifications.store';

export type WebhookPruneResult = { deliveries: number; notifications: number };

/**
 * Keeps the webhook delivery log as long as drift history (DRIFT_HISTORY_DAYS): settled deliveries (delivered,
 * failed, cancelled) last touched before that go with their attempts, then notifications no delivery refers
 * to any more. A pending delivery is never dropped, however old: the outbox still owes it.
 */
@Injectable()
export class WebhookRetention extends HistoryPruner<WebhookPruneResult> {
  protected readonly history = 'webhook delivery log';

  constructor(
    em: EntityManager,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly store: NotificationsStore,
  ) {
    super(em, config);
  }

  protected async pruneBefore(em: EntityManager, cutoff: Date): Promise<WebhookPruneResult> {
    const deliveries = await this.store.deleteSettledDeliveriesBefore(em, cutoff);
    const notifications = await this.store.deleteOrphanNotificationsBefore(em, cutoff);
    return { deliveries, notifications };
  }
}
