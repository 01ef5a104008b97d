import type { NodeReceipt } from '@wgfleet/protocol';
import type { TemplateSettings } from '../../common/domain/desired-state';
import type { NodeTags } from '../../common/domain/node-tags';
import type { DomainEvent } from '../events';

export const AUTO_RECONCILE_MODES = ['off', 'safe', 'full'] as const;
export type AutoReconcileMode = (typeof AUTO_RECONCILE_MODES)[number];

/** Node state as carried by events (snake_case, as in the API); the agent secret only ever sealed. */
export interface NodeState {
  name: string;
  agent_url: string;
  interface: string;
  endpoint: string;
  address_pool: string;
  address_pool_v6: string | null;
  listen_port: number | null;
  public_key: string | null;
  enabled: boolean;
  override_listen_port: number | null;
  override_dns: string[] | null;
  override_mtu: number | null;
  override_keepalive: number | null;
  override_endpoint_allowed_ip: string[] | null;
  auto_reconcile: AutoReconcileMode;
  agent_secret_sealed: string;
  agent_ca_cert: string | null;
  agent_cert_fingerprint: string | null;
  /** The agent's receipt public key, pinned at registration and changed only by a refresh; null = none. */
  receipt_key: string | null;
  /** The template the node follows and the version it runs; null = none. */
  template_id: string | null;
  template_version: number | null;
  /** That version's settings, copied when pinned: versions never change, and the node's events replay alone. */
  template_settings: TemplateSettings | null;
  /** Absent from events recorded before nodes had tags: the column's default (none) stands for them. */
  tags?: NodeTags;
}

export const NODE_REGISTERED = 'node.registered';
export const NODE_UPDATED = 'node.updated';
export const NODE_DELETED = 'node.deleted';
/** A verified receipt of a node (docs/AUDIT.md "Node receipts"); its own aggregate, so node versions stay. */
export const NODE_RECEIPT_RECORDED = 'node.receipt_recorded';
export const NODE_RECEIPT_AGGREGATE = 'node_receipt';

export type NodeRegisteredPayload = NodeState;
export interface NodeUpdatedPayload {
  changes: Partial<NodeState>;
}

export interface NodeDeletedPayload {
  name: string;
}

export type NodeRegistered = DomainEvent<'node', typeof NODE_REGISTERED, NodeRegisteredPayload>;
export type NodeUpdated = DomainEvent<'node', typeof NODE_UPDATED, NodeUpdatedPayload>;
/** The node's peers and their sync state go with it (the peers' and sync's projections handle it too). */
export type NodeDeleted = DomainEvent<'node', typeof NODE_DELETED, NodeDeletedPayload>;

/** Every event of a node's stream. */
export type NodeEvent = NodeRegistered | NodeUpdated | NodeDeleted;

export interface NodeReceiptRecordedPayload {
  node_id: string;
  receipt: NodeReceipt;
}

/** Each verified receipt is a stream of one event, so a node's version does not move with every sync. */
export type NodeReceiptRecorded = DomainEvent<
  typeof NODE_RECEIPT_AGGREGATE,
  typeof NODE_RECEIPT_RECORDED,
  NodeReceiptRecordedPayload
>;
