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

/** A client's routes preset: everything through the tunnel, or only the listed networks. */
export type ClientRoutes = { mode: 'full' } | { mode: 'split'; networks: string[] };

/**
 * A node template's settings at one version (docs/API.md, Templates); a key left out is not set by the template
 * and the chain goes on to the panel default. Versions are immutable, so a node carries the settings of the
 * version it pinned and a later edit of the template changes nothing on it.
 */
export interface TemplateSettings {
  override_listen_port?: number;
  override_dns?: string[];
  override_mtu?: number;
  override_keepalive?: number;
  override_endpoint_allowed_ip?: string[];
  /** Search domains written into clients' `DNS =` line after the servers. */
  client_dns_search?: string[];
  /** Clients' AllowedIPs as a preset; override_endpoint_allowed_ip, when also set, wins. */
  client_routes?: ClientRoutes;
  /** The server interface's MTU, set by the agent. */
  interface_mtu?: number;
  /** The server interface's firewall mark, set by the agent; 0 clears it. */
  fwmark?: number;
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
  /** The settings of the template version the node runs; null when it follows none. */
  template_settings: TemplateSettings | null;
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

/** Where an effective value comes from: the peer's own, the node's override, its template, the panel default. */
export const SETTING_SOURCES = ['peer', 'node', 'template', 'default'] as const;
export type SettingSource = (typeof SETTING_SOURCES)[number];

/** Values actually used for a peer after applying peer → node override → template → panel default. */
export interface EffectivePeerSettings {
  dns: string[];
  /** Search domains, after the servers in the client's `DNS =` line. */
  dns_search: string[];
  mtu: number | null;
  persistent_keepalive: number;
  endpoint_allowed_ips: string[];
  /** Host:port the client connects to. */
  endpoint: string;
  /** Where each of the values above comes from. */
  sources: Record<Exclude<keyof EffectivePeerSettings, 'sources'>, SettingSource>;
}

/** The peer a key on a node belonged to when the panel last managed it. */
export interface ManagedPeerRef {
  peer_id: string;
  name: string;
}
