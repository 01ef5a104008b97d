/**
 * The shapes of the panel's answers the CLI reads (CONTRACT §3), until the OpenAPI document describes them.
 */
export interface NodeView {
  id: string;
  name: string;
  agent_url: string;
  interface: string;
  endpoint: string;
  address_pool: string;
  address_pool_v6?: string | null;
  listen_port: number | null;
  public_key: string | null;
  enabled: boolean;
  override_listen_port: number | null;
  override_dns: string[] | null;
  override_mtu: number | null;
  override_keepalive: number | null;
  override_endpoint_allowed_ip: string[] | null;
  auto_reconcile?: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface PeerView {
  id: string;
  node_id: string;
  name: string;
  public_key: string;
  allowed_ips: string[];
  dns: string[] | null;
  mtu: number | null;
  persistent_keepalive: number | null;
  endpoint_allowed_ips: string[] | null;
  has_preshared_key: boolean;
  has_private_key: boolean;
  enabled: boolean;
  sync_status?: string;
  sync_error?: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface Page<T> {
  items: T[];
  next?: string;
}

export interface FieldDifference {
  field: string;
  expected: unknown;
  actual: unknown;
}

export interface NodeDriftReport {
  node_id: string;
  node_name: string;
  checked_at: string;
  status: 'in_sync' | 'drift' | 'unknown';
  has_drift: boolean;
  error?: string | null;
  summary: {
    expected: number;
    actual: number;
    missing: number;
    mismatched: number;
    orphaned: number;
    unknown: number;
    interface: number;
    pending: number;
  };
  missing_peers: { peer_id: string; name: string; public_key: string; allowed_ips: string[] }[];
  mismatched_peers: { peer_id: string; name: string; public_key: string; mismatches: FieldDifference[] }[];
  orphaned_peers: { peer_id: string; name: string; public_key: string; allowed_ips: string[] }[];
  unknown_peers: { public_key: string; allowed_ips: string[]; endpoint: string | null }[];
  interface_mismatches: FieldDifference[];
}

export interface FleetDriftReport {
  checked_at: string;
  summary: { nodes: number; in_sync: number; drift: number; unknown: number };
  nodes: NodeDriftReport[];
}

export interface PlannedPeer {
  peer_id: string;
  name: string;
  public_key: string;
  allowed_ips: string[];
  persistent_keepalive: number;
  has_preshared_key: boolean;
}

export interface ReconcilePlan {
  add: PlannedPeer[];
  update: (PlannedPeer & { changes: FieldDifference[] })[];
  remove: { public_key: string; peer_id: string | null; name: string | null; reason: string }[];
  interface?: FieldDifference[];
}

export interface DryRunAnswer {
  plan_id: string;
  plan: ReconcilePlan;
}

export interface ReconcileJob {
  id: string;
  node_id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  trigger: string;
  plan: ReconcilePlan | null;
  result: {
    added: unknown[];
    updated: unknown[];
    removed: unknown[];
    errors: { public_key: string; operation: string; message: string }[];
    verified: boolean;
  } | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface EventView {
  position: string;
  aggregate_type: string;
  aggregate_id: string;
  version: number;
  type: string;
  payload: Record<string, unknown>;
  created_at: string;
}

export interface TokenView {
  id: string;
  name: string;
  role: string;
  created_at?: string;
  last_used_at?: string | null;
  token?: string;
}

export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
  format?: string;
  description?: string | null;
  version: number;
  secret?: string;
}

export interface DeliveryView {
  id: string;
  type?: string;
  status: string;
  attempts?: number;
  response_status?: number | null;
  created_at?: string;
}
