import { ApiProperty } from '@nestjs/swagger';
import type { WebhookEventType } from './domain/payload-format';
import { NotificationEvent, WEBHOOK_EVENT_TYPES } from './notification-event';
import {
  DELIVERY_STATUSES,
  DeliveryStatus,
  WebhookDeliveryAttemptEntity,
  WebhookDeliveryEntity,
} from './webhook-delivery.entity';
import type { WebhookNotificationEntity } from './webhook-notification.entity';
import { WEBHOOK_FORMATS, WebhookFormat, WebhookSubscriptionEntity } from './webhook-subscription.entity';

/** A subscription as the API shows it: never its secret (that is shown once, on creation and rotation). */
export class WebhookView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'https://hooks.example.com/wgfleet' })
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, enumName: 'WebhookEventType', isArray: true })
  events!: WebhookEventType[];

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ enum: WEBHOOK_FORMATS, enumName: 'WebhookFormat' })
  format!: WebhookFormat;

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Why the panel disabled it (e.g. a 410 answer); null when enabled or disabled by an operator',
  })
  disabled_reason!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Until when the secret before the last rotation still signs beside the current one',
  })
  previous_secret_expires_at!: string | null;

  @ApiProperty()
  version!: number;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;
}

/** The answer to a create or a secret rotation: the only time the secret is shown. */
export class WebhookWithSecretView extends WebhookView {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'Shown this once' })
  secret!: string;
}

export class AttemptView {
  @ApiProperty()
  attempt!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: "The receiver's HTTP status; null when none came",
  })
  status_code!: number | null;

  @ApiProperty()
  duration_ms!: number;

  @ApiProperty({ type: String, nullable: true })
  response_excerpt!: string | null;

  @ApiProperty({ type: String, nullable: true })
  error!: string | null;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

const DELIVERY_EVENT_TYPES: readonly NotificationEvent['type'][] = [...WEBHOOK_EVENT_TYPES, 'test'];

export class DeliveryView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  subscription_id!: string;

  @ApiProperty({ description: 'The `webhook-id` header: the same on every attempt and redelivery' })
  webhook_id!: string;

  @ApiProperty({ enum: DELIVERY_EVENT_TYPES, enumName: 'DeliveryEventType' })
  event_type!: NotificationEvent['type'];

  @ApiProperty({ enum: DELIVERY_STATUSES, enumName: 'DeliveryStatus' })
  status!: DeliveryStatus;

  @ApiProperty()
  attempt_count!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  next_attempt_at!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  delivered_at!: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ type: AttemptView, isArray: true })
  attempts!: AttemptView[];
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
