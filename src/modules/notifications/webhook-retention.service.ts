import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { HistoryPruner } from '../../common/scheduling/history-pruner';
import { boundQuery } from '../../database/bound-query';

export type WebhookPruneResult = { deliveries: number; notifications: number };

/**
 * Keeps the webhook delivery log as long as drift history (DRIFT_HISTORY_DAYS): settled deliveries (delivered,
 * failed, cancelled) last touched before that go with their attempts, then notifications no delivery refers
 * to any more. A pending delivery is never dropped, however old: the outbox still owes it.
 */
@Injectable()
export class WebhookRetention extends HistoryPruner<WebhookPruneResult> {
  protected readonly history = 'webhook delivery log';

  protected async pruneBefore(em: EntityManager, cutoff: Date): Promise<WebhookPruneResult> {
    // Attempts go with their delivery (foreign key cascade).
    const deliveries = await deletedCount(
      em,
      "delete from webhook_deliveries where status <> 'pending' and updated_at < ? returning 1",
      cutoff,
    );
    const notifications = await deletedCount(
      em,
      `delete from webhook_notifications n
        where n.created_at < ?
          and not exists (select 1 from webhook_deliveries d where d.notification_id = n.id)
       returning 1`,
      cutoff,
    );
    return { deliveries, notifications };
  }
}

async function deletedCount(em: EntityManager, deleteReturning: string, cutoff: Date): Promise<number> {
  const [{ count }] = await boundQuery<{ count: number }>(
    em,
    `with deleted as (${deleteReturning}) select count(*)::int as count from deleted`,
    [cutoff],
  );
  return count;
}
