import type { WebhookEventType } from './domain/payload-format';
import type { NotificationEvent } from './notification-event';
import type {
  DeliveryStatus,
  WebhookDeliveryAttemptEntity,
  WebhookDeliveryEntity,
} from './webhook-delivery.entity';
import type { WebhookNotificationEntity } from './webhook-notification.entity';
import type { WebhookFormat, WebhookSubscriptionEntity } from './webhook-subscription.entity';

/** A subscription as the API shows it: never its secret (that is shown once, on creation and rotation). */
export interface WebhookView {
  id: string;
  url: string;
  events: WebhookEventType[];
  enabled: boolean;
  format: WebhookFormat;
  description: string | null;
  /** Why the panel disabled it (e.g. a 410 answer); null when enabled or disabled by an operator. */
  disabled_reason: string | null;
  /** Until when the secret before the last rotation still signs beside the current one. */
  previous_secret_expires_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AttemptView {
  attempt: number;
  status_code: number | null;
  duration_ms: number;
  response_excerpt: string | null;
  error: string | null;
  at: string;
}

export interface DeliveryView {
  id: string;
  subscription_id: string;
  /** The `webhook-id` header: the same on every attempt and redelivery. */
  webhook_id: string;
  event_type: NotificationEvent['type'];
  status: DeliveryStatus;
  attempt_count: number;
  next_attempt_at: string | null;
  delivered_at: string | null;
  created_at: string;
  attempts: AttemptView[];
}

export function toWebhookView(subscription: WebhookSubscriptionEntity, now = new Date()): WebhookView {
  const expiresAt = subscription.previousSecretExpiresAt;
  return {
    id: subscription.id,
    url: subscription.url,
    events: subscription.events,
    enabled: subscription.enabled,
    format: subscription.format,
    description: subscription.description,
    disabled_reason: subscription.enabled ? null : subscription.disabledReason,
    previous_secret_expires_at: expiresAt !== null && expiresAt > now ? expiresAt.toISOString() : null,
    version: subscription.version,
    created_at: subscription.createdAt.toISOString(),
    updated_at: subscription.updatedAt.toISOString(),
  };
}

export function toDeliveryView(
  delivery: WebhookDeliveryEntity,
  notification: Pick<WebhookNotificationEntity, 'msgId' | 'type'>,
  attempts: readonly WebhookDeliveryAttemptEntity[],
): DeliveryView {
  return {
    id: delivery.id,
    subscription_id: delivery.subscriptionId,
    webhook_id: notification.msgId,
    event_type: notification.type,
    status: delivery.status,
    attempt_count: delivery.attempts,
    next_attempt_at: delivery.nextAttemptAt?.toISOString() ?? null,
    delivered_at: delivery.deliveredAt?.toISOString() ?? null,
    created_at: delivery.createdAt.toISOString(),
    attempts: attempts.map((attempt) => ({
      attempt: attempt.attempt,
      status_code: attempt.statusCode,
      duration_ms: attempt.durationMs,
      response_excerpt: attempt.responseExcerpt,
      error: attempt.error,
      at: attempt.createdAt.toISOString(),
    })),
  };
}
