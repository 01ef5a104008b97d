/**
 * Hostile input against every write endpoint of the panel (issues 2 and 9): fast-check bodies with one
 * certainly-invalid field, unknown fields, random JSON, malformed and oversized bodies. Never a 5xx, every
 * 400 names the field (or says the JSON or its size is the problem), and no rejected request stores anything.
 */
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { generateKeyPair } from '../../src/common/crypto/wireguard-keys';
import { startPanel, TestPanel } from '../support/panel';
import { WebhookReceiver } from '../support/webhook-receiver';
import { Api, ApiAnswer, expectStatus, RawBody } from './support/api';
import { allEvents, apiOf, nodeBody, registerNode, storedState } from './support/fleet';
import { FieldSpec, invalidField, unknownFieldName, uuidList } from './support/hostile-values';

const text = { kind: 'text' } as const;
const format = { kind: 'format' } as const;
const nullableFormat = { kind: 'format', nullable: true } as const;
const nullableInt = { kind: 'int', nullable: true } as const;
const bool = { kind: 'bool' } as const;
const version = { kind: 'version' } as const;
const cidrs = (maxItems: number, nullable = false) =>
  ({ kind: 'list', maxItems, nullable, sample: '10.9.0.5/32' }) as const;
const ips = { kind: 'list', maxItems: 8, nullable: true, sample: '1.1.1.1' } as const;

const NODE_FIELDS: FieldSpec = {
  name: text,
  agent_url: format,
  interface: format,
  endpoint: format,
  address_pool: format,
  address_pool_v6: nullableFormat,
  listen_port: nullableInt,
  public_key: nullableFormat,
  enabled: bool,
  override_listen_port: nullableInt,
  override_dns: ips,
  override_mtu: nullableInt,
  override_keepalive: nullableInt,
  override_endpoint_allowed_ip: cidrs(64, true),
  auto_reconcile: format,
  agent_secret: text,
  agent_ca_cert: nullableFormat,
  agent_cert_fingerprint: nullableFormat,
};
const PEER_FIELDS: FieldSpec = {
  name: text,
  public_key: format,
  allowed_ips: cidrs(64),
  dns: ips,
  mtu: nullableInt,
  persistent_keepalive: nullableInt,
  endpoint_allowed_ips: cidrs(64, true),
  enabled: bool,
  preshared_key: nullableFormat,
  generate_preshared_key: bool,
};
const RECONCILE_FIELDS: FieldSpec = {
  reconcile_missing: bool,
  reconcile_mismatched: bool,
  remove_orphaned: bool,
  remove_unknown: bool,
  mode: format,
  dry_run: bool,
  plan_id: format,
  allow_empty: bool,
};
const WEBHOOK_FIELDS: FieldSpec = {
  url: format,
  events: { kind: 'list', maxItems: 7, sample: 'drift.detected' },
  enabled: bool,
  format,
  description: { kind: 'text', nullable: true },
};

interface Endpoint {
  name: string;
  method: 'POST' | 'PATCH' | 'DELETE';
  path: () => string;
  /** A body the endpoint accepts; a mutation makes it invalid. */
  valid: () => Record<string, unknown>;
  fields: FieldSpec;
}

/** The message of a rejection names `field` (in its message or its details). */
function namesField(answer: ApiAnswer, field: string): boolean {
  return JSON.stringify(answer.body?.error ?? '').includes(JSON.stringify(field).slice(1, -1));
}

/** A rejection of a body as a whole: its details name the fields, or its message blames the JSON or body. */
function namesSomeField(answer: ApiAnswer): boolean {
  const details = answer.body?.error?.details;
  if (
    Array.isArray(details) &&
    details.length > 0 &&
    details.every((detail) => typeof detail?.field === 'string')
  ) {
    return true;
  }
  return /json|body/i.test(String(answer.body?.error?.message));
}

/** Keys Nest strips, or class-transformer skips, before validation: ignored rather than named (a deviation). */
const STRIPPED_KEYS = ['__proto__', 'constructor', 'prototype', 'toString'];

const isWellFormed = (text: string) => Buffer.from(text, 'utf8').toString('utf8') === text;

describe('hostile input against the panel', () => {
  let panel: TestPanel;
  let api: Api;
  let receiver: WebhookReceiver;
  let nodeId: string;
  let peerId: string;
  let webhookId: string;
  let endpoints: Endpoint[];
  let lastPosition: string | null;

  /** Fails when the event log grew since the last look (a rejected request stored something). */
  const expectNoNewEvent = async (context: string) => {
    const answer = await api.get(`/api/events?limit=5${lastPosition ? `&after=${lastPosition}` : ''}`);
    if (answer.body.items.length > 0) {
      throw new Error(
        `${context} appended ${answer.body.items.map((e: { type: string }) => e.type).join(', ')}`,
      );
    }
  };

  const expectRejected = async (answer: ApiAnswer, context: string, field?: string) => {
    if (answer.status >= 500 || answer.status < 400) {
      throw new Error(`${context} → ${answer.status}: ${answer.text.slice(0, 300)}`);
    }
    if (typeof answer.body?.error?.message !== 'string' || answer.body.error.message === '') {
      throw new Error(`${context} → ${answer.status} without an error message: ${answer.text.slice(0, 300)}`);
    }
    if (field === undefined ? !namesSomeField(answer) : !namesField(answer, field)) {
      throw new Error(`${context} → ${answer.status} does not name "${field}": ${answer.text.slice(0, 300)}`);
    }
    await expectNoNewEvent(context);
  };

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    panel = await startPanel({ DRIFT_SCAN_INTERVAL_S: '86400' });
    api = await apiOf(panel);
    nodeId = (await registerNode(api, { address_pool: '10.9.0.0/24' })).id;
    peerId = expectStatus(await api.post(`/api/nodes/${nodeId}/peers`, { name: 'target' }), 201).body.id;
    webhookId = expectStatus(await api.post('/api/webhooks', { url: receiver.url() }), 201).body.id;
    endpoints = [
      {
        name: 'register node',
        method: 'POST',
        path: () => '/api/nodes',
        valid: () => nodeBody(),
        fields: NODE_FIELDS,
      },
      {
        name: 'update node',
        method: 'PATCH',
        path: () => `/api/nodes/${nodeId}`,
        valid: () => ({}),
        fields: { ...NODE_FIELDS, version },
      },
      {
        name: 'create peer',
        method: 'POST',
        path: () => `/api/nodes/${nodeId}/peers`,
        valid: () => ({ name: 'fuzzed' }),
        fields: PEER_FIELDS,
      },
      {
        name: 'update peer',
        method: 'PATCH',
        path: () => `/api/peers/${peerId}`,
        valid: () => ({}),
        fields: { ...PEER_FIELDS, version },
      },
      {
        name: 'create token',
        method: 'POST',
        path: () => '/api/tokens',
        valid: () => ({ name: 'fuzzed', role: 'read' }),
        fields: { name: text, role: format },
      },
      {
        name: 'create webhook',
        method: 'POST',
        path: () => '/api/webhooks',
        valid: () => ({ url: receiver.url() }),
        fields: WEBHOOK_FIELDS,
      },
      {
        name: 'update webhook',
        method: 'PATCH',
        path: () => `/api/webhooks/${webhookId}`,
        valid: () => ({}),
        fields: { ...WEBHOOK_FIELDS, version },
      },
      {
        name: 'reconcile node',
        method: 'POST',
        path: () => `/api/drift/nodes/${nodeId}/reconcile`,
        valid: () => ({ dry_run: true }),
        fields: RECONCILE_FIELDS,
      },
      {
        name: 'bulk reconcile',
        method: 'POST',
        path: () => '/api/drift/reconcile',
        valid: () => ({ node_ids: [nodeId] }),
        fields: {
          ...RECONCILE_FIELDS,
          node_ids: { kind: 'list', maxItems: 1000, sample: randomUUID() },
        },
      },
    ];
    lastPosition = (await allEvents(api)).at(-1)?.position ?? null;
  });

  afterAll(async () => {
    await panel?.close();
    await receiver?.stop();
  });

  beforeEach(async () => {
    lastPosition = (await allEvents(api)).at(-1)?.position ?? null;
  });

  it('refuses one invalid field on every write endpoint with a 400 that names it', async () => {
    const before = await storedState(api);
    for (const endpoint of endpoints) {
      await fc.assert(
        fc.asyncProperty(invalidField(endpoint.fields), async ({ field, value }) => {
          const body = { ...endpoint.valid(), [field]: value };
          const answer = await api.request(endpoint.method, endpoint.path(), body);
          const context = `${endpoint.name} with ${field}=${JSON.stringify(value)?.slice(0, 80)}`;
          if (answer.status !== 400)
            throw new Error(`${context} → ${answer.status}: ${answer.text.slice(0, 300)}`);
          await expectRejected(answer, context, field);
        }),
        { numRuns: 40 },
      );
    }
    expect(await storedState(api)).toEqual(before);
  }, 240_000);

  it('refuses unknown fields by name', async () => {
    const before = await storedState(api);
    for (const endpoint of endpoints) {
      await fc.assert(
        // Nest strips these before validation (checked on their own below), so they cannot be named.
        fc.asyncProperty(
          unknownFieldName.filter((name) => !STRIPPED_KEYS.includes(name)),
          fc.jsonValue(),
          async (field, value) => {
            const body = { ...endpoint.valid(), [field]: value };
            const answer = await api.request(endpoint.method, endpoint.path(), body);
            const context = `${endpoint.name} with unknown ${JSON.stringify(field)}`;
            if (answer.status !== 400)
              throw new Error(`${context} → ${answer.status}: ${answer.text.slice(0, 300)}`);
            await expectRejected(answer, context, field);
          },
        ),
        { numRuns: 25 },
      );
    }
    expect(await storedState(api)).toEqual(before);
  }, 120_000);

  it('lets no __proto__, constructor, prototype or toString key pollute a prototype or get stored', async () => {
    // Reconcile endpoints are left out: their valid bodies start jobs, whose outcomes land in the log later.
    for (const endpoint of endpoints.filter((candidate) => !/reconcile/.test(candidate.name))) {
      for (const key of STRIPPED_KEYS) {
        const valid = JSON.stringify(endpoint.valid());
        const raw = `{"${key}":{"polluted":"yes","admin":true},${valid.slice(1)}`.replace(',}', '}');
        const answer = await api.request(endpoint.method, endpoint.path(), {
          raw,
          contentType: 'application/json',
        });
        expect(answer.status).toBeLessThan(500);
        expect(answer.text).not.toContain('polluted');
        // The panel runs in this process: a polluted Object.prototype would show here.
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }
    }
    const events = await allEvents(api);
    expect(JSON.stringify(events)).not.toContain('polluted');
  });

  it('names an unknown field even when its value nests a __proto__ key', async () => {
    const before = await storedState(api);
    for (const endpoint of endpoints) {
      const valid = JSON.stringify(endpoint.valid());
      const raw =
        `{"$where":{"__proto__":null,"inner":{"__proto__":{"polluted":"yes"}}},${valid.slice(1)}`.replace(
          ',}',
          '}',
        );
      const answer = await api.request(endpoint.method, endpoint.path(), {
        raw,
        contentType: 'application/json',
      });
      const context = `${endpoint.name} with a nested __proto__`;
      if (answer.status !== 400)
        throw new Error(`${context} → ${answer.status}: ${answer.text.slice(0, 300)}`);
      await expectRejected(answer, context, '$where');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await storedState(api)).toEqual(before);
  });

  it('survives 1,000 random bodies on the node and peer endpoints without a 5xx or a stored change', async () => {
    const before = await storedState(api);
    const targets = endpoints.filter(
      (endpoint) => /node$|peer$/.test(endpoint.name) && !/reconcile/.test(endpoint.name),
    );
    expect(targets.map((endpoint) => endpoint.name)).toEqual([
      'register node',
      'update node',
      'create peer',
      'update peer',
    ]);
    const randomBody = fc.oneof(
      fc.jsonValue(),
      fc.dictionary(fc.string({ unit: 'binary', maxLength: 20 }), fc.jsonValue({ maxDepth: 3 })),
    );
    let statuses: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), randomBody, async (endpoint, body) => {
        const answer = await api.request(endpoint.method, endpoint.path(), {
          raw: JSON.stringify(body) ?? 'null',
          contentType: 'application/json',
        });
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
        const context = `${endpoint.name} with ${JSON.stringify(body)?.slice(0, 120)}`;
        // An empty PATCH is a valid no-op (200); anything else here is refused.
        if (answer.status === 200 && endpoint.method === 'PATCH') return;
        await expectRejected(answer, context);
      }),
      { numRuns: 1000 },
    );
    expect(statuses[500] ?? 0).toBe(0);
    expect(await storedState(api)).toEqual(before);
    statuses = {};
  }, 180_000);

  it('says so when the JSON itself is broken, too large or of another type, and stores nothing', async () => {
    const before = await storedState(api);
    const raw = (raw: string | Buffer, contentType = 'application/json'): RawBody => ({ raw, contentType });
    const deep = (depth: number) => `{"name":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const cases: Array<[string, RawBody, RegExp]> = [
      ['truncated JSON', raw('{"name":'), /json/i],
      ['single quotes', raw("{'name':'x'}"), /json/i],
      ['trailing comma', raw('{"name":"x",}'), /json/i],
      ['NUL byte', raw('\u0000'), /json/i],
      ['invalid UTF-8', raw(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])), /.+/],
      ['a bare number', raw('42'), /.+/],
      ['a bare string', raw('"node"'), /.+/],
      ['an array', raw('[{"name":"x"}]'), /.+/],
      ['null', raw('null'), /.+/],
      ['a huge number', raw('{"name":"x","listen_port":1e400}'), /listen_port|name/],
      ['deep nesting', raw(deep(5_000)), /body: nests deeper/],
      ['a body over 1 MiB', raw(JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) })), /body: .*too large/],
    ];
    // A body of another type is refused before any work starts, on every route, even where the body is optional.
    const otherTypes: Array<[string, RawBody]> = [
      ['text/plain', raw('{"name":"x"}', 'text/plain')],
      ['text/plain hello', raw('hello', 'text/plain')],
      ['form encoding', raw('name=x&agent_url=http://a', 'application/x-www-form-urlencoded')],
      ['JSON sent as octets', raw('{}', 'application/octet-stream')],
    ];
    const failures: string[] = [];
    for (const endpoint of endpoints.filter((candidate) => candidate.method !== 'DELETE')) {
      for (const [what, body, message] of cases) {
        const answer = await api.request(endpoint.method, endpoint.path(), body);
        if (
          answer.status < 400 ||
          answer.status >= 500 ||
          !message.test(String(answer.body?.error?.message))
        ) {
          failures.push(`${endpoint.name}, ${what} → ${answer.status}: ${answer.text.slice(0, 200)}`);
        }
      }
      for (const [what, body] of otherTypes) {
        const answer = await api.request(endpoint.method, endpoint.path(), body);
        if (answer.status !== 415 || answer.body?.error?.code !== 'unsupported_media_type') {
          failures.push(`${endpoint.name}, ${what} → ${answer.status}: ${answer.text.slice(0, 200)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    await expectNoNewEvent('broken JSON');
    expect(await storedState(api)).toEqual(before);
  });

  it('keeps unicode names intact or refuses them by name, never with a 5xx', async () => {
    const names = fc.oneof(
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
      fc.constantFrom(
        '\u0000',
        'nul\u0000byte',
        '\ud800',
        '\u202e\u202d',
        'e\u0301\u0301\u0301',
        '🛡️🔥',
        ' ',
      ),
    );
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(names, async (name) => {
        for (const [what, path, body] of [
          ['peer', `/api/nodes/${nodeId}/peers`, { name }],
          ['node', '/api/nodes', nodeBody({ name, address_pool: '10.10.0.0/24' })],
          ['token', '/api/tokens', { name, role: 'read' }],
          ['webhook', '/api/webhooks', { url: receiver.url(), description: name }],
        ] as const) {
          const answer = await api.post(path, body);
          if (answer.status === 201) {
            const stored = what === 'webhook' ? answer.body.description : answer.body.name;
            if (stored !== name && isWellFormed(name))
              failures.push(`${what}: ${JSON.stringify(name)} stored as ${JSON.stringify(stored)}`);
          } else if (
            ![400, 409].includes(answer.status) ||
            !namesField(answer, what === 'webhook' ? 'description' : 'name')
          ) {
            failures.push(
              `${what}: ${JSON.stringify(name)} → ${answer.status}: ${answer.text.slice(0, 200)}`,
            );
          }
        }
      }),
      { numRuns: 60 },
    );
    expect(failures).toEqual([]);
  });

  it('refuses hostile path parameters, queries and version headers by name', async () => {
    const before = await storedState(api);
    const ids = [
      'not-a-uuid',
      '..%2F..%2Fetc',
      "1' or '1'='1",
      '%00',
      randomUUID().toUpperCase() + 'x',
      'a'.repeat(5000),
    ];
    const failures: string[] = [];
    for (const id of ids) {
      for (const [method, path, field] of [
        ['PATCH', `/api/nodes/${id}`, 'id'],
        ['DELETE', `/api/peers/${id}`, 'id'],
        ['POST', `/api/drift/nodes/${id}/reconcile`, 'id'],
        ['GET', `/api/drift/scans/${id}`, 'scan_id'],
      ] as const) {
        const answer = await api.request(
          method,
          path,
          method === 'GET' || method === 'DELETE' ? undefined : {},
        );
        if (answer.status !== 400 || !namesField(answer, field))
          failures.push(`${method} ${path.slice(0, 60)} → ${answer.status}`);
      }
    }
    for (const [path, field] of [
      [`/api/peers/${peerId}?version=-1`, 'version'],
      [`/api/peers/${peerId}?version=abc`, 'version'],
      [`/api/peers/${peerId}?version=1e99`, 'version'],
      [`/api/nodes/${nodeId}?version[$gt]=0`, 'version'],
    ] as const) {
      const answer = await api.delete(path);
      // 1e99 is a whole number, just not the current version: a 409 that names it is right too.
      if (![400, 409].includes(answer.status) || !namesField(answer, field)) {
        failures.push(`DELETE ${path} → ${answer.status}: ${answer.text.slice(0, 200)}`);
      }
    }
    for (const ifMatch of ['abc', '"-1"', 'W/"x"', '1,2', '9'.repeat(40)]) {
      const answer = await api.patch(`/api/nodes/${nodeId}`, { override_mtu: 1400 }, { 'if-match': ifMatch });
      if (answer.status !== 400 || !namesField(answer, 'If-Match'))
        failures.push(`If-Match ${ifMatch} → ${answer.status}`);
    }
    for (const query of [
      'limit=0',
      'limit=-5',
      'limit=abc',
      'limit=100000',
      'cursor=%00',
      'cursor=' + 'x'.repeat(300),
      'surprise=1',
    ]) {
      const answer = await api.get(`/api/nodes?${query}`);
      const field = query.split('=')[0];
      if (answer.status !== 400 || !namesField(answer, field))
        failures.push(`GET /api/nodes?${query.slice(0, 40)} → ${answer.status}`);
    }
    for (const query of ['after=-1', 'after=abc', 'limit=0', 'aggregate_id=x', `type=${'t'.repeat(200)}`]) {
      const answer = await api.get(`/api/events?${query}`);
      const field = query.split('=')[0];
      if (answer.status !== 400 || !namesField(answer, field))
        failures.push(`GET /api/events?${query.slice(0, 40)} → ${answer.status}`);
    }
    expect(failures).toEqual([]);
    expect(await storedState(api)).toEqual(before);
  });

  it('treats a key already in use and an address already taken as conflicts naming the field', async () => {
    const taken = expectStatus(await api.get(`/api/peers/${peerId}`), 200).body;
    const before = await storedState(api);
    const duplicateKey = await api.post(`/api/nodes/${nodeId}/peers`, {
      name: 'dup',
      public_key: taken.public_key,
    });
    expect(duplicateKey.status).toBe(409);
    expect(namesField(duplicateKey, 'public_key')).toBe(true);
    const takenAddress = await api.post(`/api/nodes/${nodeId}/peers`, {
      name: 'dup',
      public_key: generateKeyPair().publicKey,
      allowed_ips: taken.allowed_ips,
    });
    expect(takenAddress.status).toBe(409);
    expect(namesField(takenAddress, 'allowed_ips')).toBe(true);
    const bulk = await api.post('/api/drift/reconcile', { node_ids: uuidList(3) });
    expect(bulk.status).toBe(404);
    expect(namesField(bulk, 'node_ids')).toBe(true);
    expect(await storedState(api)).toEqual(before);
  });
});
