export { AlertOutbox } from './alert-outbox.service';
export { peerLifecycleEvent } from './notification-event';
export type { AuditNotice, EventSummary, NotificationEvent } from './notification-event';
export type { DueDelivery } from './notification-queues';
