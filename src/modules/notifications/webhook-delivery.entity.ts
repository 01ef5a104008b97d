import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** `cancelled`: its subscription was disabled before it got through. */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One notification on its way to one subscription; pending rows are what the sweeper re-enqueues. */
@Entity({ tableName: 'webhook_deliveries' })
@Index({ properties: ['subscriptionId', 'createdAt', 'id'] })
export class WebhookDeliveryEntity {
  [OptionalProps]?: 'attempts' | 'lastStatusCode' | 'lastError' | 'deliveredAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  notificationId!: string;

  @Property({ type: 'uuid' })
  subscriptionId!: string;

  @Property({ type: 'text' })
  status!: DeliveryStatus;

  @Property({ type: 'integer' })
  attempts: number = 0;

  /** When the next attempt is due; null once the delivery is settled. */
  @Property({ type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @Property({ type: 'integer', nullable: true })
  lastStatusCode: number | null = null;

  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  deliveredAt: Date | null = null;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** The log of every attempt, as shown in GET /api/webhooks/{id}/deliveries. */
@Entity({ tableName: 'webhook_delivery_attempts' })
@Index({ properties: ['deliveryId', 'attempt'] })
export class WebhookDeliveryAttemptEntity {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  deliveryId!: string;

  @Property({ type: 'integer' })
  attempt!: number;

  @Property({ type: 'integer', nullable: true })
  statusCode!: number | null;

  @Property({ type: 'integer' })
  durationMs!: number;

  @Property({ type: 'text', nullable: true })
  responseExcerpt!: string | null;

  @Property({ type: 'text', nullable: true })
  error!: string | null;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;
}
