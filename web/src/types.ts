/** The panel's requests and answers as the console uses them: the schemas of its OpenAPI document (@wgfleet/client). */
import type { Schemas } from '@wgfleet/client';

export type Role = Schemas['TokenRole'];
export type DriftStatus = Schemas['DriftStatus'];
export type Me = Schemas['MeView'];
export type SignInOptions = Schemas['SignInOptionsView'];
export type BindingRole = Schemas['Role'];
export type BindingView = Schemas['BindingView'];
export type Scope = Schemas['MeView']['bindings'][number]['scope'];
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
export type ActorKind = Schemas['ActorView']['kind'];
export type TokenView = Schemas['TokenView'];
export type CreatedToken = Schemas['CreatedTokenView'];
export type WebhookView = Schemas['WebhookView'];
export type DeliveryView = Schemas['DeliveryView'];
export type NodeUpdate = Schemas['UpdateNodeDto'];
export type PeerCreation = Schemas['CreatePeerDto'];
export type SettingSource = Schemas['SettingSource'];
export type NodeSettings = Schemas['InheritedSettingsView'];
export type TemplateView = Schemas['TemplateView'];
export type TemplateSettings = Schemas['TemplateSettingsDto'];
export type ClusterView = Schemas['ClusterView'];
export type ClusterMember = Schemas['ClusterMemberView'];
export type ClusterCreation = Schemas['CreateClusterDto'];

/** A mismatch as the drift report and the plan show it: `field: expected → actual`. */
export type FieldMismatch =
  | Schemas['MismatchedPeerView']['mismatches'][number]
  | Schemas['NodeDriftReportView']['interface_mismatches'][number];

/** The options a person picks for a repair (the rest keep the API's defaults). */
export type ReconcileOptions = Pick<
  Schemas['ReconcileOptionsDto'],
  'reconcile_missing' | 'reconcile_mismatched' | 'remove_orphaned' | 'remove_unknown' | 'mode'
>;
export type ClusterDnsNow = Schemas['ClusterDnsNowView'];
export type MemberPlan = Schemas['MemberPlanView'];
export type RolloutView = Schemas['RolloutView'];
export type RolloutCommand = 'start' | 'pause' | 'resume' | 'abort' | 'rollback';
