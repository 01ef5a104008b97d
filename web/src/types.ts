/** The panel's answers as the console reads them: the schemas of its OpenAPI document (@wgfleet/client). */
import type { Schemas } from '@wgfleet/client';

export type Role = Schemas['TokenRole'];
export type DriftStatus = Schemas['DriftStatus'];
export type Me = Schemas['WhoAmIView'];
export type NodeView = Schemas['NodeView'];
export type EffectiveSetting = Schemas['InheritedSettingView'];
export type DriftSummary = Schemas['DriftSummaryView'];
export type DriftReport = Schemas['NodeDriftReportView'];
export type FleetReport = Schemas['FleetDriftReportView'];
export type ScanEntry = Schemas['ScanView'];
export type ReconcilePlan = Schemas['ReconcilePlanView'];
export type ReconcileJob = Schemas['ReconcileJobView'];
export type ReconcileProblem = Schemas['ReconcileProblemView'];
export type PeerView = Schemas['PeerView'];
export type EventView = Schemas['EventView'];
export type TokenView = Schemas['TokenView'] & { token?: string };
export type WebhookView = Schemas['WebhookView'] & { secret?: string };
export type DeliveryView = Schemas['DeliveryView'];

/** A mismatch as the drift report and the plan show it: `field: expected → actual`. */
export interface FieldMismatch {
  field: string;
  expected: unknown;
  actual: unknown;
}

/** The options a person picks for a repair (the rest keep the API's defaults). */
export type ReconcileOptions = Pick<
  Schemas['ReconcileOptionsDto'],
  'reconcile_missing' | 'reconcile_mismatched' | 'remove_orphaned' | 'remove_unknown' | 'mode'
>;

export interface Page<T> {
  items: T[];
  next?: string | null;
}
