import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SecretBox } from '../../common/crypto/secret-box';
import { sealContext } from '../../common/crypto/secret-box.provider';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AttemptOutcome, attemptOutcome, AttemptResult } from './delivery-outcome';
import { webhookHeaders } from './domain/standard-webhooks';
import { renderBody } from './notification-event';
import {
  DeliveryStatus,
  WebhookDeliveryAttemptEntity,
  WebhookDeliveryEntity,
} from './webhook-delivery.entity';
import { WebhookNotificationEntity } from './webhook-notification.entity';
import { WebhookSender } from './webhook-sender.service';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';

const DELIVERY_STATUS_AFTER: Record<AttemptOutcome['kind'], DeliveryStatus> = {
  delivered: 'delivered',
  retry: 'pending',
  gone: 'failed',
  exhausted: 'failed',
};

/** Makes one attempt of a delivery and records it; the queue worker calls it and reschedules as told. */
@Injectable()
export class WebhookDeliverer {
  private readonly logger = new Logger(WebhookDeliverer.name);
  private readonly schedule: readonly number[];

  constructor(
    private readonly orm: MikroORM,
    private readonly box: SecretBox,
    private readonly sender: WebhookSender,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.schedule = config.webhookRetrySchedule;
  }

  /** Returns when the delivery wants its next attempt, or null when it is settled (or was already). */
  async attempt(deliveryId: string): Promise<Date | null> {
    const em = this.orm.em.fork();
    const delivery = await em.findOne(WebhookDeliveryEntity, { id: deliveryId });
    if (delivery?.status !== 'pending') return null;
    const now = new Date();
    // Woken early (a re-enqueued job, a stalled worker): wait for the time the last attempt asked for.
    if (delivery.nextAttemptAt !== null && delivery.nextAttemptAt > now) return delivery.nextAttemptAt;

    const subscription = await em.findOne(WebhookSubscriptionEntity, { id: delivery.subscriptionId });
    const notification = await em.findOne(WebhookNotificationEntity, { id: delivery.notificationId });
    if (!subscription || !notification) return null; // deleted with its subscription
    if (!subscription.enabled) {
      const cancelled = {
        status: 'cancelled',
        nextAttemptAt: null,
        lastError: 'subscription disabled',
      } as const;
      Object.assign(delivery, cancelled, { updatedAt: now });
      await em.flush();
      return null;
    }

    const body = renderBody(notification.payload, subscription.format);
    const headers = webhookHeaders(
      this.signingSecrets(subscription, now),
      notification.msgId,
      Math.floor(now.getTime() / 1000),
      body,
    );
    const result = await this.sender.send(subscription.url, body, { ...headers });
    const attempt = delivery.attempts + 1;
    const outcome = attemptOutcome(result, this.schedule, attempt);
    await this.record(em, delivery, subscription, attempt, result, outcome);

    this.logger.log(
      {
        delivery_id: delivery.id,
        subscription_id: subscription.id,
        webhook_id: notification.msgId,
        event_type: notification.type,
        attempt,
        status_code: result.statusCode ?? null,
        duration_ms: result.durationMs,
        error: result.error,
        outcome: outcome.kind,
      },
      'webhook delivery attempt',
    );
    return outcome.kind === 'retry' ? outcome.at : null;
  }

  /** One flush, so one transaction: the attempt's log row and its effects land together or not at all. */
  private async record(
    em: EntityManager,
    delivery: WebhookDeliveryEntity,
    subscription: WebhookSubscriptionEntity,
    attempt: number,
    result: AttemptResult,
    outcome: AttemptOutcome,
  ): Promise<void> {
    const now = new Date();
    em.create(WebhookDeliveryAttemptEntity, {
      id: randomUUID(),
      deliveryId: delivery.id,
      attempt,
      statusCode: result.statusCode ?? null,
      durationMs: result.durationMs,
      responseExcerpt: result.responseExcerpt,
      error: result.error,
      createdAt: now,
    });
    Object.assign(delivery, {
      attempts: attempt,
      status: DELIVERY_STATUS_AFTER[outcome.kind],
      nextAttemptAt: outcome.kind === 'retry' ? outcome.at : null,
      lastStatusCode: result.statusCode ?? null,
      lastError: result.error,
      deliveredAt: outcome.kind === 'delivered' ? now : null,
      updatedAt: now,
    });
    if (outcome.kind === 'gone' && subscription.enabled) {
      Object.assign(subscription, {
        enabled: false,
        disabledReason: 'the receiver answered 410 Gone',
        version: subscription.version + 1,
        updatedAt: now,
      });
    }
    await em.flush();
  }

  /** The current secret, and the one before a rotation while its window lasts; receivers may hold either. */
  private signingSecrets(subscription: WebhookSubscriptionEntity, now: Date): string[] {
    const context = sealContext.webhookSecret(subscription.id);
    const secrets = [this.box.open(subscription.secretSealed, context)];
    const { previousSecretSealed, previousSecretExpiresAt } = subscription;
    if (previousSecretSealed !== null && previousSecretExpiresAt !== null && previousSecretExpiresAt > now) {
      secrets.push(this.box.open(previousSecretSealed, context));
    }
    return secrets;
  }
}

/** Refuses to start on a bad WEBHOOK_RETRY_SCHEDULE rather than deliver on a schedule nobody asked for. */
