import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { NotificationEvent } from './notification-event';

/** One event to tell subscribers about (the outbox); each subscriber gets its own delivery of it. */
@Entity({ tableName: 'webhook_notifications' })
export class WebhookNotificationEntity {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  /** The Standard Webhooks `webhook-id`: the same on every attempt and redelivery, so receivers can dedupe. */
  @Property({ type: 'text', unique: true })
  msgId!: string;

  @Property({ type: 'text' })
  type!: NotificationEvent['type'];

  @Property({ type: 'uuid', nullable: true })
  nodeId: string | null = null;

  @Property({ type: 'jsonb' })
  payload!: NotificationEvent;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;
}
