export { AlertOutbox } from './alert-outbox.service';
export { peerLifecycleEvent } from './notification-event';
export type { AuditNotice, EventSummary, NotificationEvent, RolloutNotice } from './notification-event';
export type { DueDelivery } from './notification-queues';
