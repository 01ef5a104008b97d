import { parse, stringify } from 'yaml';
import type {
  ClusterCreation,
  ClusterDns,
  ClusterView,
  NodeCreation,
  NodeView,
  PeerCreation,
  PeerView,
  TemplateSettings,
  TemplateView,
} from '../api-types';
import { CliError } from '../exit-codes';

/** API field name → value; a field left out of a fleet file is not managed by it. */
export type ApiFields = Record<string, unknown>;

export interface DesiredPeerSpec {
  name: string;
  fields: ApiFields;
}

export interface DesiredNodeSpec {
  name: string;
  /** API fields, and `template`: the name of the template the node follows (null: none). */
  fields: ApiFields;
  /** The environment variable holding the agent secret, for a node the panel does not have yet. */
  agentSecretEnv?: string;
  peers: DesiredPeerSpec[];
}

/** A cluster's DNS settings as the file states them: never the secret, only where to find it. */
export interface DesiredDnsSpec {
  fields: ApiFields;
  /** The environment variable holding the TSIG or webhook secret; needed whenever the settings are written. */
  secretEnv?: string;
}

export interface DesiredClusterSpec {
  name: string;
  fields: ApiFields;
  /** Member nodes by name. */
  members?: string[];
  dns?: DesiredDnsSpec | null;
  peers: DesiredPeerSpec[];
}

export interface DesiredTemplateSpec {
  name: string;
  /** Every setting the template sets; one left out is removed from the template on sync. */
  settings: ApiFields;
}

/**
 * What a fleet file asks for: templates, then the nodes (which may name one of them); clusters are managed only
 * by a file with a `clusters:` list.
 */
export interface FleetSpec {
  templates: DesiredTemplateSpec[];
  nodes: DesiredNodeSpec[];
  clusters?: DesiredClusterSpec[];
}

/** The keys of a template's settings, checked against the OpenAPI document's settings type. */
const TEMPLATE_SETTING_KEYS: Record<keyof TemplateSettings, true> = {
  override_listen_port: true,
  override_dns: true,
  override_mtu: true,
  override_keepalive: true,
  override_endpoint_allowed_ip: true,
  client_dns_search: true,
  client_routes: true,
  interface_mtu: true,
  fwmark: true,
};

type Kind = 'string' | 'integer' | 'boolean' | 'strings' | 'map';
interface FieldRule {
  kind: Kind;
  nullable?: boolean;
}

/** The kind a fleet file's value must have for an API field of type `Value`. */
type KindOf<Value> =
  NonNullable<Value> extends string
    ? 'string'
    : NonNullable<Value> extends number
      ? 'integer'
      : NonNullable<Value> extends boolean
        ? 'boolean'
        : NonNullable<Value> extends string[]
          ? 'strings'
          : NonNullable<Value> extends Record<string, string>
            ? 'map'
            : never;

/**
 * Rules for fields of the API body `Body`, checked against the OpenAPI document's types: a field the body does
 * not have, a kind that is not the field's, or null where the field takes none fails to compile.
 */
type FieldRules<Body> = {
  [Field in keyof Body]?: {
    kind: KindOf<Body[Field]>;
    nullable?: null extends Body[Field] ? boolean : false;
  };
};

/** Node fields of a fleet file, under their API names (overrides sit in `overrides:` without the prefix). */
const NODE_RULES: FieldRules<NodeCreation> = {
  agent_url: { kind: 'string' },
  interface: { kind: 'string' },
  endpoint: { kind: 'string' },
  address_pool: { kind: 'string' },
  address_pool_v6: { kind: 'string', nullable: true },
  listen_port: { kind: 'integer', nullable: true },
  enabled: { kind: 'boolean' },
  auto_reconcile: { kind: 'string' },
  agent_ca_cert: { kind: 'string', nullable: true },
  agent_cert_fingerprint: { kind: 'string', nullable: true },
  tags: { kind: 'map' },
};

const OVERRIDE_RULES: FieldRules<{
  [Field in keyof NodeCreation as Field extends `override_${infer Name}` ? Name : never]: NodeCreation[Field];
}> = {
  listen_port: { kind: 'integer', nullable: true },
  dns: { kind: 'strings', nullable: true },
  mtu: { kind: 'integer', nullable: true },
  keepalive: { kind: 'integer', nullable: true },
  endpoint_allowed_ip: { kind: 'strings', nullable: true },
};

const PEER_RULES: FieldRules<PeerCreation> = {
  public_key: { kind: 'string' },
  allowed_ips: { kind: 'strings' },
  routed_ips: { kind: 'strings' },
  endpoint: { kind: 'string', nullable: true },
  dns: { kind: 'strings', nullable: true },
  mtu: { kind: 'integer', nullable: true },
  persistent_keepalive: { kind: 'integer', nullable: true },
  endpoint_allowed_ips: { kind: 'strings', nullable: true },
  enabled: { kind: 'boolean' },
};

const CLUSTER_RULES: FieldRules<ClusterCreation> = {
  endpoint_host: { kind: 'string' },
  endpoint_port: { kind: 'integer' },
  address_pool: { kind: 'string' },
  address_pool_v6: { kind: 'string', nullable: true },
  public_key: { kind: 'string', nullable: true },
};

/** The DNS settings but their secret, which the file names the environment variable of (`secret_env`). */
const DNS_RULES: FieldRules<ClusterDns> = {
  provider: { kind: 'string' },
  server: { kind: 'string' },
  zone: { kind: 'string' },
  tsig_key_name: { kind: 'string' },
  tsig_algorithm: { kind: 'string' },
  ttl: { kind: 'integer' },
  url: { kind: 'string' },
};

const NODE_KEYS = ['name', 'agent_secret_env', 'overrides', 'template', 'peers', ...Object.keys(NODE_RULES)];
const PEER_KEYS = ['name', ...Object.keys(PEER_RULES)];
const CLUSTER_KEYS = ['name', 'members', 'dns', 'peers', ...Object.keys(CLUSTER_RULES)];
const DNS_KEYS = ['secret_env', ...Object.keys(DNS_RULES)];

function fail(path: string, message: string): never {
  throw new CliError(`${path}: ${message}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkValue(path: string, value: unknown, rule: FieldRule): void {
  if (value === null) {
    if (!rule.nullable) fail(path, 'may not be null');
    return;
  }
  const ok =
    rule.kind === 'string'
      ? typeof value === 'string'
      : rule.kind === 'integer'
        ? Number.isInteger(value)
        : rule.kind === 'boolean'
          ? typeof value === 'boolean'
          : rule.kind === 'map'
            ? isObject(value) && Object.values(value).every((item) => typeof item === 'string')
            : Array.isArray(value) && value.every((item) => typeof item === 'string');
  if (!ok) {
    const expected = {
      string: 'a string',
      integer: 'a whole number',
      boolean: 'true or false',
      strings: 'a list of strings',
      map: 'a mapping of key: string value',
    };
    fail(path, `must be ${expected[rule.kind]}${rule.nullable ? ' or null' : ''}`);
  }
}

function checkKeys(path: string, value: Record<string, unknown>, allowed: string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(`${path}.${key}`, `unknown field (known: ${allowed.join(', ')})`);
  }
}

function pickFields(
  path: string,
  value: Record<string, unknown>,
  rules: Partial<Record<string, FieldRule>>,
  prefix = '',
) {
  const fields: ApiFields = {};
  for (const [key, rule] of Object.entries(rules)) {
    if (rule === undefined || value[key] === undefined) continue;
    checkValue(`${path}.${key}`, value[key], rule);
    fields[prefix + key] = value[key];
  }
  return fields;
}

function requireName(path: string, value: Record<string, unknown>): string {
  if (typeof value.name !== 'string' || value.name.trim() === '') fail(`${path}.name`, 'a name is required');
  return value.name;
}

/** `templates:` (name → settings) → the desired templates; the panel validates each setting's value. */
function parseTemplates(value: unknown): DesiredTemplateSpec[] {
  if (value === undefined) return [];
  if (!isObject(value)) fail('templates', 'must be a mapping of template name to settings');
  return Object.entries(value).map(([name, settings]) => {
    const path = `templates.${name}`;
    if (settings === null) return { name, settings: {} };
    if (!isObject(settings)) fail(path, 'must be a mapping of settings');
    checkKeys(path, settings, Object.keys(TEMPLATE_SETTING_KEYS));
    return { name, settings };
  });
}

/**
 * A fleet file's text → the desired templates, nodes, clusters and peers, or an error naming the place in the
 * file.
 */
export function parseFleetFile(text: string, source = 'fleet file'): FleetSpec {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new CliError(`${source} is not valid YAML: ${(error as Error).message}`);
  }
  if (!isObject(document) || !Array.isArray(document.nodes)) fail(source, 'must have a list `nodes:`');
  checkKeys(source, document, ['templates', 'nodes', 'clusters']);
  const { clusters } = document;
  if (clusters !== undefined && !Array.isArray(clusters)) fail(`${source}.clusters`, 'must be a list');
  const templates = parseTemplates(document.templates);
  return {
    templates,
    nodes: parseNodes(document.nodes, new Set(templates.map((template) => template.name))),
    ...(clusters === undefined ? {} : { clusters: parseClusters(clusters) }),
  };
}

/** `templateNames` are the file's templates; a node may name one outside them only when the file has none. */
function parseNodes(nodes: unknown[], templateNames: Set<string>): DesiredNodeSpec[] {
  const seenNodes = new Set<string>();
  return nodes.map((node: unknown, index: number) => {
    const path = `nodes[${index}]`;
    if (!isObject(node)) fail(path, 'must be a mapping');
    checkKeys(path, node, NODE_KEYS);
    const name = requireName(path, node);
    if (seenNodes.has(name)) fail(`${path}.name`, `node ${name} appears twice`);
    seenNodes.add(name);
    const fields = pickFields(path, node, NODE_RULES);
    if (node.overrides !== undefined) {
      if (!isObject(node.overrides)) fail(`${path}.overrides`, 'must be a mapping');
      checkKeys(`${path}.overrides`, node.overrides, Object.keys(OVERRIDE_RULES));
      Object.assign(fields, pickFields(`${path}.overrides`, node.overrides, OVERRIDE_RULES, 'override_'));
    }
    if (node.template !== undefined) {
      if (node.template !== null && typeof node.template !== 'string')
        fail(`${path}.template`, 'must be the name of a template, or null');
      if (typeof node.template === 'string' && templateNames.size > 0 && !templateNames.has(node.template))
        fail(`${path}.template`, `template ${node.template} is not in the file's templates`);
      fields.template = node.template;
    }
    if (node.agent_secret_env !== undefined && typeof node.agent_secret_env !== 'string') {
      fail(`${path}.agent_secret_env`, 'must be the name of an environment variable');
    }
    return {
      name,
      fields,
      ...(node.agent_secret_env ? { agentSecretEnv: node.agent_secret_env as string } : {}),
      peers: parsePeers(path, node.peers, `node ${name}`),
    };
  });
}

function parsePeers(path: string, peers: unknown, owner: string): DesiredPeerSpec[] {
  if (peers === undefined) return [];
  if (!Array.isArray(peers)) fail(`${path}.peers`, 'must be a list');
  const seenPeers = new Set<string>();
  return peers.map((peer: unknown, peerIndex: number) => {
    const peerPath = `${path}.peers[${peerIndex}]`;
    if (!isObject(peer)) fail(peerPath, 'must be a mapping');
    checkKeys(peerPath, peer, PEER_KEYS);
    const peerName = requireName(peerPath, peer);
    if (seenPeers.has(peerName)) fail(`${peerPath}.name`, `peer ${peerName} appears twice on ${owner}`);
    seenPeers.add(peerName);
    return { name: peerName, fields: pickFields(peerPath, peer, PEER_RULES) };
  });
}

function parseClusters(clusters: unknown[]): DesiredClusterSpec[] {
  const seen = new Set<string>();
  return clusters.map((cluster: unknown, index: number) => {
    const path = `clusters[${index}]`;
    if (!isObject(cluster)) fail(path, 'must be a mapping');
    checkKeys(path, cluster, CLUSTER_KEYS);
    const name = requireName(path, cluster);
    if (seen.has(name)) fail(`${path}.name`, `cluster ${name} appears twice`);
    seen.add(name);
    const members = cluster.members;
    if (members !== undefined) checkValue(`${path}.members`, members, { kind: 'strings' });
    return {
      name,
      fields: pickFields(path, cluster, CLUSTER_RULES),
      ...(members === undefined ? {} : { members: members as string[] }),
      ...(cluster.dns === undefined ? {} : { dns: parseDns(`${path}.dns`, cluster.dns) }),
      peers: parsePeers(path, cluster.peers, `cluster ${name}`),
    };
  });
}

function parseDns(path: string, dns: unknown): DesiredDnsSpec | null {
  if (dns === null) return null;
  if (!isObject(dns)) fail(path, 'must be a mapping or null');
  checkKeys(path, dns, DNS_KEYS);
  if (dns.provider === undefined) fail(`${path}.provider`, 'is required');
  if (dns.secret_env !== undefined && typeof dns.secret_env !== 'string') {
    fail(`${path}.secret_env`, 'must be the name of an environment variable');
  }
  return {
    fields: pickFields(path, dns, DNS_RULES),
    ...(dns.secret_env ? { secretEnv: dns.secret_env as string } : {}),
  };
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/** The panel's clusters as the export reads them: their peers, and their members' names. */
export interface FleetClusters {
  clusters: ClusterView[];
  peersOf: (clusterId: string) => PeerView[];
  nodeName: (nodeId: string) => string;
}

const NO_CLUSTERS: FleetClusters = { clusters: [], peersOf: () => [], nodeName: (id) => id };

/**
 * The panel's nodes, clusters and peers as a fleet file: every field a fleet file manages, sorted by name so the
 * file diffs well in git. Keys the panel holds for peers (private, preshared) and DNS secrets are never part of
 * it: a cluster's DNS settings name `secret_env`, the variable to give the secret in when they are written.
 */
export function exportFleetFile(
  nodes: NodeView[],
  peersOf: (nodeId: string) => PeerView[],
  clusters: FleetClusters = NO_CLUSTERS,
  templates: TemplateView[] = [],
): string {
  return (
    '# wgfleet fleet file: wgfleet diff -f <file> shows what sync would change\n' +
    stringify(fleetDocument(nodes, peersOf, clusters, templates))
  );
}

function peerEntries(peers: PeerView[]) {
  return [...peers].sort(byName).map((peer) => {
    const peerView: Record<string, unknown> = peer;
    return {
      name: peer.name,
      ...Object.fromEntries(Object.keys(PEER_RULES).map((key) => [key, peerView[key] ?? null])),
    };
  });
}

/** `WGFLEET_DNS_SECRET_<NAME>`: where an exported cluster's DNS secret is expected. */
export function dnsSecretVariable(clusterName: string): string {
  return `WGFLEET_DNS_SECRET_${clusterName.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

/** The fleet file's content as data (`export -o json`; YAML is a superset of JSON, so it reads back too). */
export function fleetDocument(
  nodes: NodeView[],
  peersOf: (nodeId: string) => PeerView[],
  clusters: FleetClusters = NO_CLUSTERS,
  templates: TemplateView[] = [],
) {
  const clusterEntries = [...clusters.clusters].sort(byName).map((cluster) => {
    const view: Record<string, unknown> = cluster;
    const { has_secret: _secret, ...dns } = cluster.dns ?? { has_secret: true };
    return {
      name: cluster.name,
      ...Object.fromEntries(Object.keys(CLUSTER_RULES).map((key) => [key, view[key] ?? null])),
      members: cluster.members.map((member) => clusters.nodeName(member.node_id)).sort(),
      dns: cluster.dns ? { ...dns, secret_env: dnsSecretVariable(cluster.name) } : null,
      peers: peerEntries(clusters.peersOf(cluster.id)),
    };
  });
  const templateNames = new Map(templates.map((template) => [template.id, template.name]));
  return {
    // Left out when there are none, so a fleet without templates exports as it always did.
    ...(templates.length > 0
      ? {
          templates: Object.fromEntries(
            [...templates].sort(byName).map((template) => [template.name, template.settings]),
          ),
        }
      : {}),
    nodes: [...nodes].sort(byName).map((node) => {
      const view: Record<string, unknown> = node;
      const plain = Object.fromEntries(
        Object.keys(NODE_RULES)
          .filter((key) => view[key] !== undefined && view[key] !== null)
          .map((key) => [key, key === 'tags' ? sortedKeys(node.tags) : view[key]]),
      );
      const overrides = Object.fromEntries(
        Object.keys(OVERRIDE_RULES).map((key) => [key, view['override_' + key] ?? null]),
      );
      const template = node.template_id ? { template: templateNames.get(node.template_id) } : {};
      return { name: node.name, ...plain, overrides, ...template, peers: peerEntries(peersOf(node.id)) };
    }),
    ...(clusterEntries.length > 0 ? { clusters: clusterEntries } : {}),
  };
}

/** A map with its keys in order, so an exported file does not change with the order the panel answers in. */
function sortedKeys(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
