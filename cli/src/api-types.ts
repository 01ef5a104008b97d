import type { Schemas } from '@wgfleet/client';

/** The panel's requests and answers as the CLI uses them, as the OpenAPI document describes them. */
export type NodeView = Schemas['NodeView'];
export type PeerView = Schemas['PeerView'];
export type NodeDriftReport = Schemas['NodeDriftReportView'];
export type FleetDriftReport = Schemas['FleetDriftReportView'];
export type FleetDriftSummary = Schemas['FleetDriftSummaryView'];
export type ReconcilePlan = Schemas['ReconcilePlanView'];
export type DryRunAnswer = Schemas['ReconcileDryRunView'];
export type QueuedJob = Schemas['ReconcileQueuedView'];
export type ReconcileJob = Schemas['ReconcileJobView'];
export type EventView = Schemas['EventView'];
export type AdoptRequest = Schemas['AdoptPeersDto'];
export type AdoptionPlan = Schemas['AdoptionPlanView'];
export type AdoptionDryRun = Schemas['AdoptionDryRunView'];
export type AdoptionResult = Schemas['AdoptionResultView'];
export type TokenView = Schemas['TokenView'];
export type CreatedToken = Schemas['CreatedTokenView'];
export type WebhookView = Schemas['WebhookView'];
export type CreatedWebhook = Schemas['WebhookWithSecretView'];
export type DeliveryView = Schemas['DeliveryView'];
export type NodeCreation = Schemas['RegisterNodeDto'];
export type NodeUpdate = Schemas['UpdateNodeDto'];
export type PeerCreation = Schemas['CreatePeerDto'];
export type PeerUpdate = Schemas['UpdatePeerDto'];
export type WebhookCreation = Schemas['CreateWebhookDto'];
export type TokenRole = Schemas['TokenRole'];
export type Role = Schemas['Role'];
export type Scope = Schemas['MeView']['bindings'][number]['scope'];
export type Me = Schemas['MeView'];
export type BindingView = Schemas['BindingView'];
export type UserView = Schemas['UserView'];
export type BindingCreation = Schemas['CreateBindingDto'];
export type WebhookEventType = Schemas['WebhookEventType'];
export type ReconcileMode = Schemas['ReconcileMode'];
export type ReconcileOptions = Schemas['ReconcileOptionsDto'];
export type TemplateView = Schemas['TemplateView'];
export type TemplateCreation = Schemas['CreateTemplateDto'];
export type TemplateUpdate = Schemas['UpdateTemplateDto'];
export type TemplateSettings = Schemas['TemplateSettingsDto'];
export type ClientRoutes = NonNullable<TemplateSettings['client_routes']>;
export type NodeSettings = Schemas['InheritedSettingsView'];
export type ClusterView = Schemas['ClusterView'];
export type ClusterCreation = Schemas['CreateClusterDto'];
export type ClusterUpdate = Schemas['UpdateClusterDto'];
export type ClusterDns = Schemas['DnsConfigDto'];

/** One page of a listing, as every paged answer of the document has it (NodeViewPage, PeerViewPage ...). */
export type Page<Item> = Omit<Schemas['NodeViewPage'], 'items'> & { items: Item[] };
export type ClusterDnsNow = Schemas['ClusterDnsNowView'];
export type MemberPlan = Schemas['MemberPlanView'];

export type RolloutView = Schemas['RolloutView'];
export type RolloutCreation = Schemas['CreateRolloutDto'];
export type WaveSpec = Schemas['WaveSpecDto'];
