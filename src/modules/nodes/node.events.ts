import { AutoReconcileMode } from './node.entity';

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
