import type {
  ClientRoutes,
  DesiredNode,
  EffectivePeerSettings,
  PanelDefaults,
  PeerSettings,
  SettingSource,
} from './desired-state';

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

/** A value and the level of the chain it comes from. */
export interface Sourced<T> {
  value: T;
  source: SettingSource;
}

/** The first level that sets a value (null and undefined inherit), else the panel default. */
function firstSet<T>(levels: Array<[SettingSource, T | null | undefined]>, fallback: T): Sourced<T> {
  for (const [source, value] of levels) {
    if (value !== null && value !== undefined) return { value, source };
  }
  return { value: fallback, source: 'default' };
}

/** The AllowedIPs a client-routes preset stands for. */
export function clientRoutesAllowedIps(routes: ClientRoutes): string[] {
  return routes.mode === 'full' ? [...FULL_TUNNEL] : [...routes.networks];
}

const FULL_TUNNEL = ['0.0.0.0/0', '::/0'] as const;

type NodeChain = Pick<DesiredNode, 'template_settings'>;

/**
 * The port WireGuard should listen on for this node: its override, else its template's, else the port it was
 * registered with (or reported), else the default. A template's port is an override too, so it beats the
 * registered one, which is only what the node happened to have.
 */
function sourcedListenPort(
  node: Pick<DesiredNode, 'override_listen_port' | 'listen_port'> & NodeChain,
  defaults: Pick<PanelDefaults, 'listen_port'>,
): Sourced<number> {
  return firstSet<number>(
    [
      ['node', node.override_listen_port],
      ['template', node.template_settings?.override_listen_port],
      ['node', node.listen_port],
    ],
    defaults.listen_port,
  );
}

export function effectiveListenPort(node: DesiredNode, defaults: PanelDefaults): number {
  return sourcedListenPort(node, defaults).value;
}

function sourcedKeepalive(
  peer: Pick<PeerSettings, 'persistent_keepalive'> | null,
  node: Pick<DesiredNode, 'override_keepalive'> & NodeChain,
  defaults: Pick<PanelDefaults, 'persistent_keepalive'>,
): Sourced<number> {
  return firstSet<number>(
    [
      ['peer', peer?.persistent_keepalive],
      ['node', node.override_keepalive],
      ['template', node.template_settings?.override_keepalive],
    ],
    defaults.persistent_keepalive,
  );
}

/** The keepalive alone, for the hot paths (drift, planning) that need nothing else of the chain. */
export function effectiveKeepalive(
  peer: Pick<PeerSettings, 'persistent_keepalive'>,
  node: Pick<DesiredNode, 'override_keepalive'> & NodeChain,
  defaults: Pick<PanelDefaults, 'persistent_keepalive'>,
): number {
  return sourcedKeepalive(peer, node, defaults).value;
}

/** Each setting a peer gets from the chain; `peer` null = a peer that sets nothing itself. */
function peerChain(peer: PeerSettings | null, node: DesiredNode, defaults: PanelDefaults) {
  const template = node.template_settings;
  const templateRoutes = template?.client_routes;
  return {
    dns: firstSet<string[]>(
      [
        ['peer', peer?.dns],
        ['node', node.override_dns],
        ['template', template?.override_dns],
      ],
      defaults.dns,
    ),
    dns_search: firstSet<string[]>([['template', template?.client_dns_search]], []),
    mtu: firstSet<number | null>(
      [
        ['peer', peer?.mtu],
        ['node', node.override_mtu],
        ['template', template?.override_mtu],
      ],
      defaults.mtu,
    ),
    persistent_keepalive: sourcedKeepalive(peer, node, defaults),
    endpoint_allowed_ips: firstSet<string[]>(
      [
        ['peer', peer?.endpoint_allowed_ips],
        ['node', node.override_endpoint_allowed_ip],
        [
          'template',
          template?.override_endpoint_allowed_ip ??
            (templateRoutes ? clientRoutesAllowedIps(templateRoutes) : undefined),
        ],
      ],
      defaults.endpoint_allowed_ips,
    ),
  };
}

/**
 * Peer value, else the node's override, else the template of the version the node runs, else the panel default,
 * each with its source. An empty list is a value ("no DNS"), only null inherits.
 */
export function effectivePeerSettings(
  peer: PeerSettings,
  node: DesiredNode,
  defaults: PanelDefaults,
): EffectivePeerSettings {
  const chain = peerChain(peer, node, defaults);
  const endpoint = clientEndpoint(node, defaults);
  return {
    dns: chain.dns.value,
    dns_search: chain.dns_search.value,
    mtu: chain.mtu.value,
    persistent_keepalive: chain.persistent_keepalive.value,
    endpoint_allowed_ips: chain.endpoint_allowed_ips.value,
    endpoint: endpoint.value,
    sources: {
      dns: chain.dns.source,
      dns_search: chain.dns_search.source,
      mtu: chain.mtu.source,
      persistent_keepalive: chain.persistent_keepalive.source,
      endpoint_allowed_ips: chain.endpoint_allowed_ips.source,
      endpoint: endpoint.source,
    },
  };
}

/**
 * Where clients connect. A port written in node.endpoint is the public one (e.g. a NAT port-forward), so it beats
 * the node's listen port; an explicit override_listen_port (the node's or its template's) beats both, as it is
 * what the panel enforces.
 */
function clientEndpoint(node: DesiredNode, defaults: PanelDefaults): Sourced<string> {
  const parsed = parseEndpoint(node.endpoint);
  if (!parsed) throw new Error(`node ${node.name} has an invalid endpoint ${JSON.stringify(node.endpoint)}`);
  const port = firstSet<number>(
    [
      ['node', node.override_listen_port],
      ['template', node.template_settings?.override_listen_port],
      ['node', parsed.port],
      ['node', node.listen_port],
    ],
    defaults.listen_port,
  );
  return { value: formatEndpoint(parsed.host, port.value), source: port.source };
}

export type { SettingSource };

/** The server interface's settings the agent applies; null = leave the interface as it is. */
export interface InterfaceSettings {
  mtu: number | null;
  fwmark: number | null;
}

export function effectiveInterfaceSettings(node: NodeChain): InterfaceSettings {
  return {
    mtu: node.template_settings?.interface_mtu ?? null,
    fwmark: node.template_settings?.fwmark ?? null,
  };
}

/** One setting of a node's peers: the value they get when they set none themselves, and whose it is. */
export interface NodeSetting {
  field:
    | 'listen_port'
    | 'dns'
    | 'dns_search'
    | 'mtu'
    | 'persistent_keepalive'
    | 'endpoint_allowed_ips'
    | 'interface_mtu'
    | 'fwmark';
  value: number | string[] | null;
  source: SettingSource;
}

export const NODE_SETTING_FIELDS: readonly NodeSetting['field'][] = [
  'listen_port',
  'dns',
  'dns_search',
  'mtu',
  'persistent_keepalive',
  'endpoint_allowed_ips',
  'interface_mtu',
  'fwmark',
];

/**
 * The node's half of the effective-value chain, for people: each setting with the value a peer without its own
 * gets and where it comes from: the node (an override, or the port it was registered with), the template version
 * the node runs, or the panel default. The interface's MTU and fwmark are the server's own (null = left alone).
 */
export function nodeSettings(node: DesiredNode, defaults: PanelDefaults): NodeSetting[] {
  const chain = peerChain(null, node, defaults);
  const template = node.template_settings;
  const settings: Record<NodeSetting['field'], Sourced<NodeSetting['value']>> = {
    listen_port: sourcedListenPort(node, defaults),
    dns: chain.dns,
    dns_search: chain.dns_search,
    mtu: chain.mtu,
    persistent_keepalive: chain.persistent_keepalive,
    endpoint_allowed_ips: chain.endpoint_allowed_ips,
    interface_mtu: firstSet<number | null>([['template', template?.interface_mtu]], null),
    fwmark: firstSet<number | null>([['template', template?.fwmark]], null),
  };
  return NODE_SETTING_FIELDS.map((field) => ({ field, ...settings[field] }));
}
