import {
  AuditCheckpointEntity,
  AuditSigningKeyEntity,
  AuditVerificationEntity,
} from '../modules/audit/audit.entities';
import { AdoptionPlanEntity } from '../modules/adoption/adoption-plan.entity';
import { EnrollmentEntity } from '../modules/enrollments/enrollment.entity';
import { PeerActivityEntity } from '../modules/lifecycle/peer-activity.entity';
import { DriftScanEntity } from '../modules/drift/drift-scan.entity';
import { NodeDriftStateEntity } from '../modules/drift/node-drift-state.entity';
import { EventRecord } from '../modules/events/event-record.entity';
import { NodeEntity } from '../modules/nodes/node.entity';
import { IpAllocationEntity } from '../modules/peers/ip-allocation.entity';
import { ManagedKeyEntity } from '../modules/peers/managed-key.entity';
import { NodeAlertStateEntity } from '../modules/notifications/node-alert-state.entity';
import {
  WebhookDeliveryAttemptEntity,
  WebhookDeliveryEntity,
} from '../modules/notifications/webhook-delivery.entity';
import { WebhookNotificationEntity } from '../modules/notifications/webhook-notification.entity';
import { WebhookSubscriptionEntity } from '../modules/notifications/webhook-subscription.entity';
import { PeerEntity } from '../modules/peers/peer.entity';
import { ApiTokenEntity } from '../modules/tokens/api-token.entity';
import { ReconcileJobEntity } from '../modules/reconcile/reconcile-job.entity';
import { ReconcilePlanEntity } from '../modules/reconcile/reconcile-plan.entity';
import {
  NodeSyncStateEntity,
  PeerSyncStateEntity,
  PendingRemovalEntity,
} from '../modules/sync/sync-state.entity';

/** Every entity of the panel; each module adds its own here. */
export const ENTITIES = [
  EventRecord,
  NodeEntity,
  PeerEntity,
  IpAllocationEntity,
  ManagedKeyEntity,
  ApiTokenEntity,
  WebhookSubscriptionEntity,
  WebhookNotificationEntity,
  WebhookDeliveryEntity,
  WebhookDeliveryAttemptEntity,
  NodeAlertStateEntity,
  DriftScanEntity,
  NodeDriftStateEntity,
  PeerActivityEntity,
  ReconcileJobEntity,
  ReconcilePlanEntity,
  PeerSyncStateEntity,
  NodeSyncStateEntity,
  PendingRemovalEntity,
  AdoptionPlanEntity,
  EnrollmentEntity,
  AuditSigningKeyEntity,
  AuditCheckpointEntity,
  AuditVerificationEntity,
];
