import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { newMessageId } from './domain/standard-webhooks';
import { NotificationEvent, ReconcileOutcome, reconcileEvent } from './notification-event';
import { DueDelivery, NotificationQueues } from './notification-queues';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookNotificationEntity } from './webhook-notification.entity';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';

/**
 * The transactional outbox: an event and its deliveries are written in the transaction of whatever caused them,
 * so they exist exactly when the cause committed. Enqueueing happens after the commit; if that fails (Redis
 * down, crash), the sweeper finds the pending rows.
 */
@Injectable()
export class AlertOutbox {
  private readonly logger = new Logger(AlertOutbox.name);

  constructor(
    private readonly queues: NotificationQueues,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** For the reconcile module: call inside the job's final transaction, run the returned function after commit. */
  async recordReconcile(em: EntityManager, outcome: ReconcileOutcome): Promise<() => Promise<void>> {
    const due = await this.record(em, reconcileEvent(outcome, this.config.publicUrl), outcome.node.id);
    return this.enqueueAfterCommit(due);
  }

  /** Writes the event for every enabled subscription that wants its type; nothing when nobody does. */
  record(em: EntityManager, event: NotificationEvent, nodeId: string | null): Promise<DueDelivery[]> {
    return this.recordMany(em, [{ event, nodeId }]);
  }

  /** Many events with one read of the subscriptions and one flush per table (an enforcement pass's alerts). */
  async recordMany(
    em: EntityManager,
    events: ReadonlyArray<{ event: NotificationEvent; nodeId: string | null }>,
  ): Promise<DueDelivery[]> {
    if (events.length === 0) return [];
    const enabled = await em.find(
      WebhookSubscriptionEntity,
      { enabled: true },
      { orderBy: { createdAt: 'asc' } },
    );
    return this.write(
      em,
      events.map(({ event, nodeId }) => ({
        event,
        nodeId,
        recipients: enabled.filter((subscription) => (subscription.events as string[]).includes(event.type)),
      })),
    );
  }

  recordFor(
    em: EntityManager,
    event: NotificationEvent,
    nodeId: string | null,
    recipients: readonly WebhookSubscriptionEntity[],
  ): Promise<DueDelivery[]> {
    return this.write(em, [{ event, nodeId, recipients }]);
  }

  private async write(
    em: EntityManager,
    events: ReadonlyArray<{
      event: NotificationEvent;
      nodeId: string | null;
      recipients: readonly WebhookSubscriptionEntity[];
    }>,
  ): Promise<DueDelivery[]> {
    const wanted = events.filter(({ recipients }) => recipients.length > 0);
    if (wanted.length === 0) return [];
    const notifications = wanted.map(({ event, nodeId }) =>
      em.create(WebhookNotificationEntity, {
        id: randomUUID(),
        msgId: newMessageId(),
        type: event.type,
        nodeId,
        payload: event,
        createdAt: new Date(),
      }),
    );
    // Rows carry plain ids, not ORM relations, so the unit of work cannot order the inserts: the parents first.
    await em.flush();
    const due = wanted.flatMap(({ recipients }, i) =>
      recipients.map((subscription) => this.addDelivery(em, notifications[i].id, subscription.id)),
    );
    await em.flush();
    return due;
  }

  /** A new delivery of an existing notification (same `webhook-id`), e.g. a manual redelivery. */
  addDelivery(em: EntityManager, notificationId: string, subscriptionId: string): DueDelivery {
    const now = new Date();
    const delivery = em.create(WebhookDeliveryEntity, {
      id: randomUUID(),
      notificationId,
      subscriptionId,
      status: 'pending',
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
    });
    return { id: delivery.id, nextAttemptAt: delivery.nextAttemptAt };
  }

  enqueueAfterCommit(due: readonly DueDelivery[]): () => Promise<void> {
    return async () => {
      await this.queues
        .enqueueDeliveries(due)
        .catch((error: Error) =>
          this.logger.warn(
            { deliveries: due.length, err: error.message },
            'could not enqueue webhook deliveries; the sweeper will',
          ),
        );
    };
  }
}
