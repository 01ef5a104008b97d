import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SecretBox } from '../../common/crypto/secret-box';
import { sealContext } from '../../common/crypto/secret-box.provider';
import { conflict, notFound, versionConflict } from '../../common/http/api-error';
import { afterCursor, Cursor, decodeCursor, page } from '../../common/http/cursor';
import { validationFailed } from '../../common/http/validation';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ListQuery } from '../../common/http/queries';
import { AlertOutbox } from './alert-outbox.service';
import { assertDeliverableUrl, UndeliverableUrlError } from './domain/address-guard';
import { generateWebhookSecret } from './domain/standard-webhooks';
import { DEFAULT_WEBHOOK_EVENT_TYPES, testEvent } from './notification-event';
import { DueDelivery } from './notification-queues';
import { WebhookDeliveryAttemptEntity, WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookNotificationEntity } from './webhook-notification.entity';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';
import {
  DeliveryView,
  toDeliveryView,
  toWebhookView,
  WebhookView,
  WebhookWithSecretView,
} from './webhook-view';
import { Page } from '../../common/http/api-responses';
import { CreateWebhookDto, UpdateWebhookDto } from './webhooks.dto';

/** How long the secret before a rotation keeps signing, so receivers can switch without losing events. */
export const SECRET_ROTATION_WINDOW_MS = 24 * 60 * 60 * 1000;

@Injectable()
export class WebhooksService {
  constructor(
    private readonly em: EntityManager,
    private readonly box: SecretBox,
    private readonly outbox: AlertOutbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The secret is in this answer only. */
  async create(dto: CreateWebhookDto): Promise<WebhookWithSecretView> {
    await this.assertDeliverable(dto.url);
    const id = randomUUID();
    const secret = generateWebhookSecret();
    const now = new Date();
    const em = this.em.fork();
    const subscription = em.create(WebhookSubscriptionEntity, {
      id,
      url: dto.url,
      events: dto.events ?? [...DEFAULT_WEBHOOK_EVENT_TYPES],
      enabled: dto.enabled ?? true,
      format: dto.format ?? 'json',
      description: dto.description ?? null,
      secretSealed: this.box.seal(secret, sealContext.webhookSecret(id)),
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    await em.flush();
    return { ...toWebhookView(subscription), secret };
  }

  async list(query: ListQuery): Promise<Page<WebhookView>> {
    const limit = query.limit ?? 100;
    const rows = await this.em
      .fork()
      .find(WebhookSubscriptionEntity, afterCursor(decodeCursor(query.cursor)), {
        orderBy: { createdAt: 'asc', id: 'asc' },
        limit,
      });
    return page(rows, limit, (row) => toWebhookView(row));
  }

  async get(id: string): Promise<WebhookView> {
    return toWebhookView(await this.require(this.em.fork(), id));
  }

  async update(id: string, dto: Omit<UpdateWebhookDto, 'version'>, expected?: number): Promise<WebhookView> {
    if (dto.url !== undefined) await this.assertDeliverable(dto.url);
    const em = this.em.fork();
    const subscription = await this.requireVersion(em, id, expected);
    const changes = changedFields(subscription, dto);
    if (Object.keys(changes).length > 0) {
      Object.assign(subscription, changes, { version: subscription.version + 1, updatedAt: new Date() });
      // Re-enabling is the operator's answer to whatever disabled it.
      if (changes.enabled === true) subscription.disabledReason = null;
      await em.flush();
    }
    return toWebhookView(subscription);
  }

  async delete(id: string, expected?: number): Promise<void> {
    const em = this.em.fork();
    await em.removeAndFlush(await this.requireVersion(em, id, expected));
  }

  /** The new secret is shown once; the old one keeps signing beside it for SECRET_ROTATION_WINDOW_MS. */
  async rotateSecret(id: string): Promise<WebhookWithSecretView> {
    const em = this.em.fork();
    const subscription = await this.require(em, id);
    const secret = generateWebhookSecret();
    const now = new Date();
    Object.assign(subscription, {
      previousSecretSealed: subscription.secretSealed,
      previousSecretExpiresAt: new Date(now.getTime() + SECRET_ROTATION_WINDOW_MS),
      secretSealed: this.box.seal(secret, sealContext.webhookSecret(id)),
      version: subscription.version + 1,
      updatedAt: now,
    });
    await em.flush();
    return { ...toWebhookView(subscription), secret };
  }

  /** Sends a `test` event to this subscription alone, through the same outbox and retries as any event. */
  async sendTest(id: string): Promise<DeliveryView> {
    const due = await this.em.fork().transactional(async (em) => {
      const subscription = await this.requireEnabled(em, id);
      const event = testEvent(subscription.id, this.config.publicUrl, new Date());
      return this.outbox.recordFor(em, event, null, [subscription]);
    });
    return this.enqueued(due[0]);
  }

  /** Sends a delivery's event again, with the same `webhook-id`, as a new delivery with its own attempts. */
  async redeliver(deliveryId: string): Promise<DeliveryView> {
    const due = await this.em.fork().transactional(async (em) => {
      const original = await em.findOne(WebhookDeliveryEntity, { id: deliveryId });
      if (!original) throw notFound('delivery', deliveryId);
      await this.requireEnabled(em, original.subscriptionId);
      return this.outbox.addDelivery(em, original.notificationId, original.subscriptionId);
    });
    return this.enqueued(due);
  }

  /** The delivery log of a subscription, newest first. */
  async deliveries(id: string, query: ListQuery): Promise<Page<DeliveryView>> {
    const em = this.em.fork();
    await this.require(em, id);
    const limit = query.limit ?? 100;
    const rows = await em.find(
      WebhookDeliveryEntity,
      { subscriptionId: id, ...beforeCursor(decodeCursor(query.cursor)) },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit },
    );
    const views = await this.deliveryViews(em, rows);
    return page(rows, limit, (row) => views.get(row.id) as DeliveryView);
  }

  private async enqueued(due: DueDelivery): Promise<DeliveryView> {
    await this.outbox.enqueueAfterCommit([due])();
    const em = this.em.fork();
    const delivery = await em.findOneOrFail(WebhookDeliveryEntity, { id: due.id });
    return (await this.deliveryViews(em, [delivery])).get(delivery.id) as DeliveryView;
  }

  private async deliveryViews(
    em: EntityManager,
    deliveries: readonly WebhookDeliveryEntity[],
  ): Promise<Map<string, DeliveryView>> {
    const ids = deliveries.map((delivery) => delivery.id);
    const notificationIds = [...new Set(deliveries.map((delivery) => delivery.notificationId))];
    const [notifications, attempts] = await Promise.all([
      em.find(
        WebhookNotificationEntity,
        { id: { $in: notificationIds } },
        { fields: ['id', 'msgId', 'type'] },
      ),
      em.find(WebhookDeliveryAttemptEntity, { deliveryId: { $in: ids } }, { orderBy: { attempt: 'asc' } }),
    ]);
    const notificationById = new Map(notifications.map((notification) => [notification.id, notification]));
    return new Map(
      deliveries.map((delivery) => [
        delivery.id,
        toDeliveryView(
          delivery,
          notificationById.get(delivery.notificationId) as WebhookNotificationEntity,
          attempts.filter((attempt) => attempt.deliveryId === delivery.id),
        ),
      ]),
    );
  }

  private async assertDeliverable(url: string): Promise<void> {
    try {
      await assertDeliverableUrl(url, { allowPrivate: this.config.webhookAllowPrivate });
    } catch (error) {
      if (error instanceof UndeliverableUrlError) {
        throw validationFailed([{ field: error.field, message: error.message }]);
      }
      throw error;
    }
  }

  private async require(em: EntityManager, id: string): Promise<WebhookSubscriptionEntity> {
    const subscription = await em.findOne(WebhookSubscriptionEntity, { id });
    if (!subscription) throw notFound('webhook', id);
    return subscription;
  }

  private async requireVersion(
    em: EntityManager,
    id: string,
    expected: number | undefined,
  ): Promise<WebhookSubscriptionEntity> {
    const subscription = await this.require(em, id);
    if (expected !== undefined && expected !== subscription.version) {
      throw versionConflict('webhook', expected, subscription.version);
    }
    return subscription;
  }

  private async requireEnabled(em: EntityManager, id: string): Promise<WebhookSubscriptionEntity> {
    const subscription = await this.require(em, id);
    if (!subscription.enabled) {
      throw conflict(`webhook ${id} is disabled: enable it first`, [
        { field: 'enabled', message: 'disabled' },
      ]);
    }
    return subscription;
  }
}

type SubscriptionChanges = Partial<
  Pick<WebhookSubscriptionEntity, 'url' | 'events' | 'enabled' | 'format' | 'description'>
>;

/** Only fields whose value really changes, so a no-op PATCH keeps the version. */
function changedFields(
  subscription: WebhookSubscriptionEntity,
  dto: Omit<UpdateWebhookDto, 'version'>,
): SubscriptionChanges {
  const wanted: SubscriptionChanges = {
    url: dto.url,
    events: dto.events,
    enabled: dto.enabled,
    format: dto.format,
    description: dto.description,
  };
  return Object.fromEntries(
    Object.entries(wanted).filter(
      ([field, value]) =>
        value !== undefined &&
        JSON.stringify(value) !== JSON.stringify(subscription[field as keyof SubscriptionChanges]),
    ),
  );
}

/** Rows before the cursor in (created_at, id) order: the next page of a newest-first list. */
function beforeCursor(cursor: Cursor | undefined) {
  if (!cursor) return {};
  return {
    $or: [{ createdAt: { $lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { $lt: cursor.id } }],
  };
}
