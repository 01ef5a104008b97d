import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { WebhookEventType } from './domain/payload-format';

export const WEBHOOK_FORMATS = ['json', 'slack'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** Where to send which events. Secrets are sealed with PANEL_SECRET_KEY and never leave in a view. */
@Entity({ tableName: 'webhook_subscriptions' })
export class WebhookSubscriptionEntity {
  [OptionalProps]?: 'description' | 'previousSecretSealed' | 'previousSecretExpiresAt' | 'disabledReason';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  url!: string;

  @Property({ type: 'jsonb' })
  events!: WebhookEventType[];

  @Property({ type: 'boolean' })
  enabled!: boolean;

  @Property({ type: 'text' })
  format!: WebhookFormat;

  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Property({ type: 'text' })
  secretSealed!: string;

  /** The secret before the last rotation: it keeps signing beside the new one until the window ends. */
  @Property({ type: 'text', nullable: true })
  previousSecretSealed: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  previousSecretExpiresAt: Date | null = null;

  /** Why the panel disabled the subscription itself (e.g. the receiver answered 410 Gone). */
  @Property({ type: 'text', nullable: true })
  disabledReason: string | null = null;

  @Property({ type: 'integer' })
  version!: number;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}
