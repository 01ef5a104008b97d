export { AlertOutbox } from './alert-outbox.service';
export { peerLifecycleEvent } from './notification-event';
export type {
  AuditNotice,
  ClusterNotice,
  EventSummary,
  NotificationEvent,
  RolloutNotice,
} from './notification-event';
export { WebhookSender } from './webhook-sender.service';
export type { DueDelivery } from './notification-queues';
