import { parse, stringify } from 'yaml';
import type {
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

export interface DesiredTemplateSpec {
  name: string;
  /** Every setting the template sets; one left out is removed from the template on sync. */
  settings: ApiFields;
}

/** A fleet file's content: templates, then the nodes (which may name one of them). */
export interface FleetSpec {
  templates: DesiredTemplateSpec[];
  nodes: DesiredNodeSpec[];
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

const NODE_KEYS = ['name', 'agent_secret_env', 'overrides', 'template', 'peers', ...Object.keys(NODE_RULES)];
const PEER_KEYS = ['name', ...Object.keys(PEER_RULES)];

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

/** A fleet file's text → the desired templates, nodes and peers, or an error naming the place in the file. */
export function parseFleetFile(text: string, source = 'fleet file'): FleetSpec {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new CliError(`${source} is not valid YAML: ${(error as Error).message}`);
  }
  if (!isObject(document) || !Array.isArray(document.nodes)) fail(source, 'must have a list `nodes:`');
  checkKeys(source, document, ['templates', 'nodes']);
  const templates = parseTemplates(document.templates);
  const templateNames = new Set(templates.map((template) => template.name));
  const seenNodes = new Set<string>();
  const nodes = document.nodes.map((node: unknown, index: number): DesiredNodeSpec => {
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
      if (typeof node.template === 'string' && templates.length > 0 && !templateNames.has(node.template))
        fail(`${path}.template`, `template ${node.template} is not in the file's templates`);
      fields.template = node.template;
    }
    if (node.agent_secret_env !== undefined && typeof node.agent_secret_env !== 'string') {
      fail(`${path}.agent_secret_env`, 'must be the name of an environment variable');
    }
    const peers = node.peers ?? [];
    if (!Array.isArray(peers)) fail(`${path}.peers`, 'must be a list');
    const seenPeers = new Set<string>();
    return {
      name,
      fields,
      ...(node.agent_secret_env ? { agentSecretEnv: node.agent_secret_env as string } : {}),
      peers: peers.map((peer: unknown, peerIndex: number) => {
        const peerPath = `${path}.peers[${peerIndex}]`;
        if (!isObject(peer)) fail(peerPath, 'must be a mapping');
        checkKeys(peerPath, peer, PEER_KEYS);
        const peerName = requireName(peerPath, peer);
        if (seenPeers.has(peerName))
          fail(`${peerPath}.name`, `peer ${peerName} appears twice on node ${name}`);
        seenPeers.add(peerName);
        return { name: peerName, fields: pickFields(peerPath, peer, PEER_RULES) };
      }),
    };
  });
  return { templates, nodes };
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/**
 * The panel's nodes and peers as a fleet file: every field a fleet file manages, sorted by name so the file
 * diffs well in git. Keys the panel holds for peers (private, preshared) are never part of it.
 */
export function exportFleetFile(
  nodes: NodeView[],
  peersOf: (nodeId: string) => PeerView[],
  templates: TemplateView[] = [],
): string {
  return (
    '# wgfleet fleet file: wgfleet diff -f <file> shows what sync would change\n' +
    stringify(fleetDocument(nodes, peersOf, templates))
  );
}

/** The fleet file's content as data (`export -o json`; YAML is a superset of JSON, so it reads back too). */
export function fleetDocument(
  nodes: NodeView[],
  peersOf: (nodeId: string) => PeerView[],
  templates: TemplateView[] = [],
) {
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
      const peers = [...peersOf(node.id)].sort(byName).map((peer) => {
        const peerView: Record<string, unknown> = peer;
        return {
          name: peer.name,
          ...Object.fromEntries(Object.keys(PEER_RULES).map((key) => [key, peerView[key] ?? null])),
        };
      });
      const template = node.template_id ? { template: templateNames.get(node.template_id) } : {};
      return { name: node.name, ...plain, overrides, ...template, peers };
    }),
  };
}

/** A map with its keys in order, so an exported file does not change with the order the panel answers in. */
function sortedKeys(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
