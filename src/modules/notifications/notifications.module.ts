import { BullModule } from '@nestjs/bullmq';
import { Module, OnModuleInit } from '@nestjs/common';
import { DriftModule } from '../drift/drift.module';
import { SCAN_STORED } from '../drift';
import { Reactions } from '../../common/reactions';
import { AlertOutbox } from './alert-outbox.service';
import { DriftAlertListener } from './drift-alert.listener';
import { ALERT_RECHECK_QUEUE, DELIVERY_QUEUE, NotificationQueues } from './notification-queues';
import { NotificationsStore } from './notifications.store';
import { AlertRecheckProcessor, DeliveryProcessor } from './notification.processors';
import { OutboxSweeper } from './outbox-sweeper.service';
import { WebhookDeliverer } from './webhook-deliverer.service';
import { WebhookRetention } from './webhook-retention.service';
import { WebhookSender } from './webhook-sender.service';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';
import { WebhookNotificationEntity } from './webhook-notification.entity';
import { WebhookDeliveryAttemptEntity, WebhookDeliveryEntity } from './webhook-delivery.entity';
import { NodeAlertStateEntity } from './node-alert-state.entity';

/** The tables this module owns, for MikroORM (`src/entities.ts`). */
export const NOTIFICATIONS_ENTITIES = [
  WebhookSubscriptionEntity,
  WebhookNotificationEntity,
  WebhookDeliveryEntity,
  WebhookDeliveryAttemptEntity,
  NodeAlertStateEntity,
];

/** Webhook subscriptions, the alert outbox and its delivery. */
@Module({
  imports: [DriftModule, BullModule.registerQueue({ name: DELIVERY_QUEUE }, { name: ALERT_RECHECK_QUEUE })],
  controllers: [WebhooksController],
  providers: [
    WebhooksService,
    AlertOutbox,
    DriftAlertListener,
    NotificationQueues,
    WebhookDeliverer,
    WebhookSender,
    DeliveryProcessor,
    AlertRecheckProcessor,
    OutboxSweeper,
    WebhookRetention,
    NotificationsStore,
  ],
  exports: [AlertOutbox, WebhookSender],
})
export class NotificationsModule implements OnModuleInit {
  constructor(
    private readonly reactions: Reactions,
    private readonly driftAlerts: DriftAlertListener,
  ) {}

  onModuleInit(): void {
    this.reactions.on(SCAN_STORED, 'notifications: DriftAlertListener', (em, scan) =>
      this.driftAlerts.onScanStored(em, scan),
    );
  }
}
