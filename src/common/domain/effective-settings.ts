import type { DesiredNode, EffectivePeerSettings, PanelDefaults, PeerSettings } from './desired-state';

export interface ParsedEndpoint {
  /** Host name, IPv4 address, or IPv6 address without brackets. */
  host: string;
  port: number | null;
}

/**
 * Splits "host", "host:port", "[v6]" or "[v6]:port" into its parts; null when the shape is wrong. An IPv6 host
 * must be bracketed: "2001:db8::1:51820" is itself a valid address, so a bare one would be ambiguous. The host
 * text itself is not validated here (see IsEndpoint).
 */
export function parseEndpoint(endpoint: string): ParsedEndpoint | null {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(endpoint);
  if (!match) return null;
  const port = match[3] === undefined ? null : Number(match[3]);
  if (port !== null && (port < 1 || port > 65535)) return null;
  return { host: match[1] ?? match[2], port };
}

function formatEndpoint(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The port WireGuard should listen on for this node. */
export function effectiveListenPort(node: DesiredNode, defaults: PanelDefaults): number {
  return node.override_listen_port ?? node.listen_port ?? defaults.listen_port;
}

/** The keepalive alone, for the hot paths (drift, planning) that need nothing else of the chain. */
export function effectiveKeepalive(
  peer: Pick<PeerSettings, 'persistent_keepalive'>,
  node: Pick<DesiredNode, 'override_keepalive'>,
  defaults: Pick<PanelDefaults, 'persistent_keepalive'>,
): number {
  return peer.persistent_keepalive ?? node.override_keepalive ?? defaults.persistent_keepalive;
}

/**
 * Peer value, else the node's override, else the panel default. An empty list is a value ("no DNS"), only null
 * inherits.
 */
export function effectivePeerSettings(
  peer: PeerSettings,
  node: DesiredNode,
  defaults: PanelDefaults,
): EffectivePeerSettings {
  return {
    dns: peer.dns ?? node.override_dns ?? defaults.dns,
    mtu: peer.mtu ?? node.override_mtu ?? defaults.mtu,
    persistent_keepalive: effectiveKeepalive(peer, node, defaults),
    endpoint_allowed_ips:
      peer.endpoint_allowed_ips ?? node.override_endpoint_allowed_ip ?? defaults.endpoint_allowed_ips,
    endpoint: clientEndpoint(node, defaults),
  };
}

/**
 * Where clients connect. A port written in node.endpoint is the public one (e.g. a NAT port-forward), so it beats
 * the node's listen port; an explicit override_listen_port beats both, as it is what the panel enforces.
 */
function clientEndpoint(node: DesiredNode, defaults: PanelDefaults): string {
  const parsed = parseEndpoint(node.endpoint);
  if (!parsed) throw new Error(`node ${node.name} has an invalid endpoint ${JSON.stringify(node.endpoint)}`);
  const port = node.override_listen_port ?? parsed.port ?? node.listen_port ?? defaults.listen_port;
  return formatEndpoint(parsed.host, port);
}

export type SettingSource = 'node' | 'default';

/** One setting of a node's peers: the value they get when they set none themselves, and whose it is. */
export interface NodeSetting {
  field: 'listen_port' | 'dns' | 'mtu' | 'persistent_keepalive' | 'endpoint_allowed_ips';
  value: number | string[] | null;
  source: SettingSource;
}

/**
 * The node's half of the effective-value chain, for people: each setting with the value a peer without its own
 * gets and whether it comes from the node (an override, or the port it was registered with) or the panel default.
 */
export function nodeSettings(node: DesiredNode, defaults: PanelDefaults): NodeSetting[] {
  const pick = <T extends NodeSetting['value']>(
    field: NodeSetting['field'],
    own: T | null,
    fallback: T,
  ): NodeSetting =>
    own === null ? { field, value: fallback, source: 'default' } : { field, value: own, source: 'node' };
  return [
    pick('listen_port', node.override_listen_port ?? node.listen_port, defaults.listen_port),
    pick('dns', node.override_dns, defaults.dns),
    pick('mtu', node.override_mtu, defaults.mtu),
    pick('persistent_keepalive', node.override_keepalive, defaults.persistent_keepalive),
    pick('endpoint_allowed_ips', node.override_endpoint_allowed_ip, defaults.endpoint_allowed_ips),
  ];
}
