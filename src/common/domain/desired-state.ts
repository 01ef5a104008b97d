/**
 * The panel's view of what a node should look like, as read from the projections. Pure domain functions
 * (effective settings, drift detection, reconcile planning, config rendering) take these plain shapes so
 * they can be tested without a database.
 */

/** Per-node overrides (docs/API.md, Drift reports and repairs: effective settings); null = not overridden. */
export interface NodeOverrides {
  override_listen_port: number | null;
  override_dns: string[] | null;
  override_mtu: number | null;
  override_keepalive: number | null;
  override_endpoint_allowed_ip: string[] | null;
}

export interface DesiredNode extends NodeOverrides {
  id: string;
  name: string;
  interface: string;
  /** Public host name or IP clients connect to, optionally with ":port". */
  endpoint: string;
  /** IPv4 pool, e.g. "10.0.1.0/24"; the first host is the node's own address. */
  address_pool: string;
  /** Optional IPv6 pool, e.g. "fd00:1::/64". */
  address_pool_v6: string | null;
  /** Listen port reported by (or given for) the node; the effective port also considers the override. */
  listen_port: number | null;
  /** Interface public key as registered; null until known. */
  public_key: string | null;
  enabled: boolean;
}

/** Per-peer values; null = inherit (node override, then panel default). */
export interface PeerSettings {
  dns: string[] | null;
  mtu: number | null;
  persistent_keepalive: number | null;
  endpoint_allowed_ips: string[] | null;
}

export interface DesiredPeer extends PeerSettings {
  id: string;
  node_id: string;
  name: string;
  public_key: string;
  /** The peer's tunnel addresses: the client's [Interface] Address and part of the node's AllowedIPs for it. */
  allowed_ips: string[];
  /** Networks outside the node's pool the peer routes (a site's LAN): the rest of the node's AllowedIPs. */
  routed_ips: string[];
  /** "host:port" the node sends to (a site's gateway); null = wherever the peer last connected from. */
  endpoint: string | null;
  /** SHA-256 (hex) of the preshared key's raw bytes, null when the peer has none. Never the key itself. */
  preshared_key_sha256: string | null;
  enabled: boolean;
}

/** Panel-wide defaults, the last step of the effective-value chain. */
export interface PanelDefaults {
  dns: string[];
  mtu: number | null;
  persistent_keepalive: number;
  endpoint_allowed_ips: string[];
  listen_port: number;
}

/** Values actually used for a peer after applying peer → node override → panel default. */
export interface EffectivePeerSettings {
  dns: string[];
  mtu: number | null;
  persistent_keepalive: number;
  endpoint_allowed_ips: string[];
  /** Host:port the client connects to. */
  endpoint: string;
}

/** The peer a key on a node belonged to when the panel last managed it. */
export interface ManagedPeerRef {
  peer_id: string;
  name: string;
}
