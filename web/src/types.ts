/**
 * Shapes of the panel's answers the console reads (CONTRACT §3 and §5). The OpenAPI document types request
 * bodies; these stand in for its answers until it describes them too.
 */
export type Role = 'read' | 'write' | 'admin';
export type DriftStatus = 'in_sync' | 'drift' | 'unknown';

export interface Me {
  token_id: string;
  role: Role;
  name: string;
}

export interface Page<T> {
  items: T[];
  next?: string | null;
}

export interface NodeView {
  id: string;
  name: string;
  agent_url: string;
  interface: string;
  endpoint: string;
  address_pool: string;
  listen_port: number | null;
  public_key: string | null;
  enabled: boolean;
  override_listen_port: number | null;
  override_dns: string[] | null;
  override_mtu: number | null;
  override_keepalive: number | null;
  override_endpoint_allowed_ip: string[] | null;
  auto_reconcile: 'off' | 'safe' | 'full';
  version: number;
  created_at: string;
  updated_at: string;
}

export interface EffectiveSetting {
  field: string;
  value: unknown;
  source: 'node' | 'default';
}

export interface DriftSummary {
  expected: number;
  actual: number;
  missing: number;
  mismatched: number;
  orphaned: number;
  unknown: number;
  interface: number;
  pending: number;
}

export interface FieldMismatch {
  field: string;
  expected: unknown;
  actual: unknown;
}

export interface DriftReport {
  node_id: string;
  node_name: string;
  checked_at: string;
  status: DriftStatus;
  has_drift: boolean;
  error?: string;
  summary: DriftSummary;
  missing_peers: { peer_id: string; name: string; public_key: string; allowed_ips: string[] }[];
  mismatched_peers: { peer_id: string; name: string; public_key: string; mismatches: FieldMismatch[] }[];
  orphaned_peers: { peer_id: string; name: string; public_key: string; allowed_ips: string[] }[];
  unknown_peers: {
    public_key: string;
    allowed_ips: string[];
    endpoint: string | null;
    persistent_keepalive: number;
  }[];
  interface_mismatches: FieldMismatch[];
  pending_peers?: { peer_id: string; name: string; public_key: string }[];
}

export interface FleetReport {
  checked_at: string;
  summary: { nodes: number; in_sync: number; drift: number; unknown: number };
  nodes: DriftReport[];
}

export interface ScanEntry {
  id: string;
  node_id: string;
  trigger: string;
  status: DriftStatus;
  status_changed: boolean;
  summary: DriftSummary;
  error: string | null;
  checked_at: string;
  duration_ms: number;
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
  update: (PlannedPeer & { changes: FieldMismatch[] })[];
  remove: {
    public_key: string;
    peer_id: string | null;
    name: string | null;
    reason: 'orphaned' | 'unknown';
  }[];
  interface?: FieldMismatch[];
}

export interface ReconcileOptions {
  reconcile_missing: boolean;
  reconcile_mismatched: boolean;
  remove_orphaned: boolean;
  remove_unknown: boolean;
  mode: 'batch' | 'peer' | 'syncconf';
}

export interface ReconcileJob {
  id: string;
  node_id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  result: {
    added: string[];
    updated: string[];
    removed: string[];
    errors: { public_key: string; operation: string; message: string }[];
    verified: boolean;
    error?: string;
  } | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
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
  sync_status: 'pending' | 'applied' | 'failed';
  sync_error?: string | null;
  effective?: Record<string, unknown>;
  version: number;
  created_at: string;
}

export interface EventView {
  position: string;
  aggregate_type: string;
  aggregate_id: string;
  version: number;
  type: string;
  payload: Record<string, unknown>;
  metadata: Record<string, unknown>;
  created_at: string;
}

export interface TokenView {
  id: string;
  name: string;
  role: Role;
  created_at: string;
  revoked_at: string | null;
  token?: string;
}

export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
  description: string | null;
  disabled_reason: string | null;
  version: number;
  secret?: string;
  created_at: string;
}

export interface DeliveryView {
  id: string;
  event_type: string;
  status: string;
  attempt_count: number;
  delivered_at: string | null;
  created_at: string;
  attempts: { attempt: number; status_code: number | null; error: string | null; at: string }[];
}
