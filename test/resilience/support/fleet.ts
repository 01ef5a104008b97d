import { randomBytes } from 'node:crypto';
import { generateKeyPair } from '../../../src/common/crypto/wireguard-keys';
import { ADMIN_TOKEN, TestPanel } from '../../support/panel';
import { Api, expectStatus } from './api';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns something other than undefined; fails with `what` after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: not reached within ${timeoutMs} ms${lastError ? ` (${String(lastError)})` : ''}`,
      );
    }
    await sleep(everyMs);
  }
}

/** The bootstrap admin client of an in-process test panel. */
export async function apiOf(panel: TestPanel): Promise<Api> {
  const url = (await panel.app.getUrl()).replace('[::1]', '127.0.0.1');
  return new Api(url, ADMIN_TOKEN);
}

export function agentSecret(): string {
  return randomBytes(32).toString('hex');
}

/** A node whose agent does not answer (nothing listens on port 9): registration still works. */
export function nodeBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: `node-${randomBytes(4).toString('hex')}`,
    agent_url: 'http://127.0.0.1:9',
    interface: 'wg0',
    endpoint: 'vpn.example.com:51820',
    address_pool: '10.0.1.0/24',
    listen_port: 51820,
    public_key: generateKeyPair().publicKey,
    agent_secret: agentSecret(),
    ...overrides,
  };
}

export interface NodeRef {
  id: string;
  name: string;
  version: number;
}

export async function registerNode(api: Api, overrides: Record<string, unknown> = {}): Promise<NodeRef> {
  return expectStatus(await api.post('/api/nodes', nodeBody(overrides)), 201, 'register node').body;
}

export async function tokenOf(
  api: Api,
  role: 'read' | 'write' | 'admin',
): Promise<{ id: string; token: string }> {
  return expectStatus(
    await api.post('/api/tokens', { name: `resilience-${role}`, role }),
    201,
    'create token',
  ).body;
}

/** Every page of a cursor-paged list. */
export async function listAll<T>(api: Api, path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const query = `limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = expectStatus(await api.get(`${path}${separator}${query}`), 200, `list ${path}`).body;
    items.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return items;
}

export interface StoredEvent {
  position: string;
  aggregate_type: string;
  aggregate_id: string;
  version: number;
  type: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  payload: Record<string, any>;
}

/** Every event of the log, in order. */
export async function allEvents(api: Api): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  let after: string | undefined;
  for (;;) {
    const page = expectStatus(
      await api.get(`/api/events?limit=1000${after ? `&after=${after}` : ''}`),
      200,
      'list events',
    ).body;
    events.push(...page.items);
    if (!page.next) return events;
    after = page.next;
  }
}

/** The contract's desired-state fields: what a rejected write must leave exactly as it was. */
const NODE_FIELDS = [
  'id',
  'name',
  'agent_url',
  'interface',
  'endpoint',
  'address_pool',
  'listen_port',
  'public_key',
  'enabled',
  'override_listen_port',
  'override_dns',
  'override_mtu',
  'override_keepalive',
  'override_endpoint_allowed_ip',
  'version',
  'updated_at',
];
const PEER_FIELDS = [
  'id',
  'node_id',
  'name',
  'public_key',
  'allowed_ips',
  'dns',
  'mtu',
  'persistent_keepalive',
  'endpoint_allowed_ips',
  'has_preshared_key',
  'has_private_key',
  'enabled',
  'version',
  'updated_at',
];

const pick = (item: Record<string, unknown>, fields: string[]) =>
  Object.fromEntries(fields.map((field) => [field, item[field]]));

/**
 * What the panel has stored, as the API shows it: the event log, nodes and their peers (desired-state
 * fields only, not sync or drift status, which move on their own), API tokens and webhook subscriptions.
 */
export async function storedState(api: Api) {
  const events = await allEvents(api);
  const nodes = await listAll<Record<string, unknown>>(api, '/api/nodes');
  const peers = [];
  for (const node of nodes) {
    const ofNode = await listAll<Record<string, unknown>>(api, `/api/nodes/${node.id}/peers`);
    peers.push(...ofNode.map((peer) => pick(peer, PEER_FIELDS)));
  }
  const tokens = expectStatus(await api.get('/api/tokens'), 200, 'list tokens').body.items;
  const webhooks = await listAll<Record<string, unknown>>(api, '/api/webhooks');
  return {
    events: { count: events.length, last: events.at(-1)?.position ?? null },
    nodes: nodes.map((node) => pick(node, NODE_FIELDS)),
    peers,
    tokens,
    webhooks,
  };
}
