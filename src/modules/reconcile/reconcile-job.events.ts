import type { DomainEvent } from '../events';
import type { ReconcileOptions } from '../node-apply/domain/reconcile-plan';
import type { ReconcileResult } from '../node-apply/domain/plan-apply';
import type { ReconcileJobStatus, ReconcileTrigger } from './reconcile-job.entity';

export const RECONCILE_REQUESTED = 'reconcile.requested';
export const RECONCILE_COMPLETED = 'reconcile.completed';
export const RECONCILE_FAILED = 'reconcile.failed';

export interface ReconcileRequestedPayload {
  node_id: string;
  node_name: string;
  trigger: ReconcileTrigger;
  requested_by: string | null;
  options: ReconcileOptions;
}

/** How a job ended: its result when it ran, its error when it did not. */
export interface ReconcileFinishedPayload {
  node_id: string;
  node_name: string;
  status: Extract<ReconcileJobStatus, 'succeeded' | 'failed'>;
  result: ReconcileResult | null;
  error: string | null;
}

export type ReconcileRequested = DomainEvent<
  'reconcile_job',
  typeof RECONCILE_REQUESTED,
  ReconcileRequestedPayload
>;
export type ReconcileCompleted = DomainEvent<
  'reconcile_job',
  typeof RECONCILE_COMPLETED,
  ReconcileFinishedPayload
>;
export type ReconcileFailed = DomainEvent<'reconcile_job', typeof RECONCILE_FAILED, ReconcileFinishedPayload>;

/** Every event of a reconcile job's stream (no projection reads them; the API's event log lists them). */
export type ReconcileJobEvent = ReconcileRequested | ReconcileCompleted | ReconcileFailed;
