import { execFileSync } from 'node:child_process';
import { generateKeyPair } from '../src/common/crypto/wireguard-keys';
import { TestPanel, startPanel } from './support/panel';

const AGENT_SECRET = 'agent-secret-that-is-long-enough-0123456789';

/** A node whose agent does not answer (nothing listens on port 9): registration still works. */
export function nodeBody(overrides: Record<string, unknown> = {}) {
  return {
    name: `node-${Math.random().toString(36).slice(2, 8)}`,
    agent_url: 'http://127.0.0.1:9',
    interface: 'wg0',
    endpoint: 'vpn.example.com',
    address_pool: '10.0.1.0/24',
    listen_port: 51820,
    public_key: generateKeyPair().publicKey,
    agent_secret: AGENT_SECRET,
    ...overrides,
  };
}

describe('nodes and peers (REST, PostgreSQL)', () => {
  let panel: TestPanel;

  beforeAll(async () => {
    panel = await startPanel();
  });

  afterAll(async () => {
    await panel.close();
  });

  it('registers, reads, updates and deletes a node, with versions', async () => {
    const created = await panel
      .as()
      .post('/api/nodes', nodeBody({ name: 'us-east', override_mtu: 1420 }))
      .expect(201);
    expect(created.body).toMatchObject({ name: 'us-east', version: 1, override_mtu: 1420, enabled: true });
    expect(created.body).not.toHaveProperty('agent_secret');
    expect(JSON.stringify(created.body)).not.toContain(AGENT_SECRET);

    const id = created.body.id;
    const updated = await panel
      .as()
      .patch(`/api/nodes/${id}`, { override_dns: ['1.1.1.1'], version: 1 })
      .expect(200);
    expect(updated.body).toMatchObject({ override_dns: ['1.1.1.1'], version: 2 });

    const stale = await panel.as().patch(`/api/nodes/${id}`, { override_mtu: 1380, version: 1 }).expect(409);
    expect(stale.body.error.code).toBe('version_conflict');

    await panel.as().patch(`/api/nodes/${id}`, { enabled: false }).set('If-Match', '"2"').expect(200);
    const list = await panel.as().get('/api/nodes').expect(200);
    expect(list.body.items.map((node: { name: string }) => node.name)).toContain('us-east');

    await panel.as().delete(`/api/nodes/${id}?version=1`).expect(409);
    await panel.as().delete(`/api/nodes/${id}?version=3`).expect(204);
    await panel.as().get(`/api/nodes/${id}`).expect(404);
  });

  it('answers a create with the same view a read of the new node or peer gives', async () => {
    // The answer to a create is built without reading drift, sync or activity state (there is none yet).
    // The node is disabled so that no sync attempt changes the peer's state between the two answers.
    // Overrides and a v6 pool, so the peer's effective settings and addresses come from the node's columns.
    const node = await panel
      .as()
      .post(
        '/api/nodes',
        nodeBody({
          enabled: false,
          address_pool_v6: 'fd00:9::/64',
          override_listen_port: 51999,
          override_dns: ['10.0.1.1'],
          override_mtu: 1380,
          override_keepalive: 15,
          override_endpoint_allowed_ip: ['10.0.0.0/8'],
        }),
      )
      .expect(201);
    expect(node.body).toMatchObject({ drift_status: null, last_scan_at: null, pending: 0 });
    expect((await panel.as().get(`/api/nodes/${node.body.id}`).expect(200)).body).toEqual(node.body);

    const peer = await panel.as().post(`/api/nodes/${node.body.id}/peers`, { name: 'fresh' }).expect(201);
    expect(peer.body).toMatchObject({
      allowed_ips: ['10.0.1.2/32', 'fd00:9::2/128'],
      sync_status: 'pending',
      latest_handshake: null,
      transfer_rx: 0,
    });
    expect(peer.body.effective).toEqual({
      dns: ['10.0.1.1'],
      dns_search: [],
      mtu: 1380,
      persistent_keepalive: 15,
      endpoint_allowed_ips: ['10.0.0.0/8'],
      endpoint: 'vpn.example.com:51999',
      sources: {
        dns: 'node',
        dns_search: 'default',
        mtu: 'node',
        persistent_keepalive: 'node',
        endpoint_allowed_ips: 'node',
        endpoint: 'node',
      },
    });
    expect((await panel.as().get(`/api/peers/${peer.body.id}`).expect(200)).body).toEqual(peer.body);
  });

  it('names the field of every bad input and stores nothing', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ override_listen_port: 70000 }, 'override_listen_port'],
      [{ override_mtu: 1000 }, 'override_mtu'],
      [{ override_dns: ['1.1.1.1', 'dns.google'] }, 'override_dns[1]'],
      [{ override_keepalive: -1 }, 'override_keepalive'],
      [{ override_endpoint_allowed_ip: ['10.0.0.0/33'] }, 'override_endpoint_allowed_ip[0]'],
      [{ address_pool: '10.0.1.5/24' }, 'address_pool'],
      [{ agent_secret: 'short' }, 'agent_secret'],
      [{ surprise: 1 }, 'surprise'],
    ];
    const before = await panel.as().get('/api/events?limit=1000').expect(200);
    for (const [override, field] of cases) {
      const response = await panel.as().post('/api/nodes', nodeBody(override)).expect(400);
      expect(response.body.error.code).toBe('validation_failed');
      expect(JSON.stringify(response.body.error.details)).toContain(field);
    }
    const missing = await panel.as().post('/api/nodes', { name: 'x' }).expect(400);
    expect(missing.body.error.message).toMatch(/agent_url/);
    await panel
      .http()
      .post('/api/nodes')
      .set('Authorization', `Bearer ${panel.config.adminToken}`)
      .set('Content-Type', 'application/json')
      .send('{"name":')
      .expect(400);
    const after = await panel.as().get('/api/events?limit=1000').expect(200);
    expect(after.body.items.length).toBe(before.body.items.length);
  });

  it('allocates addresses, generates keys and never hands an address out twice', async () => {
    const node = (
      await panel
        .as()
        .post('/api/nodes', nodeBody({ address_pool_v6: 'fd00:1::/64' }))
        .expect(201)
    ).body;
    const first = await panel
      .as()
      .post(`/api/nodes/${node.id}/peers`, { name: 'alice', generate_preshared_key: true })
      .expect(201);
    expect(first.body).toMatchObject({
      allowed_ips: ['10.0.1.2/32', 'fd00:1::2/128'],
      has_private_key: true,
      has_preshared_key: true,
      version: 1,
    });
    expect(first.body).not.toHaveProperty('private_key');

    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        panel.as().post(`/api/nodes/${node.id}/peers`, { name: `p${i}` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(100).fill(201));
    const addresses = results.map((r) => r.body.allowed_ips[0]);
    expect(new Set(addresses).size).toBe(100);
    expect(addresses).not.toContain('10.0.1.1/32');
    expect(addresses).not.toContain('10.0.1.2/32');

    const duplicateKey = await panel
      .as()
      .post(`/api/nodes/${node.id}/peers`, { name: 'dup', public_key: first.body.public_key })
      .expect(409);
    expect(JSON.stringify(duplicateKey.body)).toContain('public_key');
    const takenAddress = await panel
      .as()
      .post(`/api/nodes/${node.id}/peers`, { name: 'taken', allowed_ips: ['10.0.1.2/32'] })
      .expect(409);
    expect(JSON.stringify(takenAddress.body)).toContain('allowed_ips');
  });

  it('updates, disables and deletes a peer; stale versions get 409', async () => {
    const node = (await panel.as().post('/api/nodes', nodeBody()).expect(201)).body;
    const peer = (await panel.as().post(`/api/nodes/${node.id}/peers`, { name: 'bob' }).expect(201)).body;
    const updated = await panel
      .as()
      .patch(`/api/peers/${peer.id}`, { persistent_keepalive: 15, version: 1 })
      .expect(200);
    expect(updated.body).toMatchObject({
      persistent_keepalive: 15,
      version: 2,
      effective: { persistent_keepalive: 15 },
    });
    await panel.as().patch(`/api/peers/${peer.id}`, { enabled: false, version: 1 }).expect(409);
    const disabled = await panel
      .as()
      .patch(`/api/peers/${peer.id}`, { enabled: false, version: 2 })
      .expect(200);
    expect(disabled.body.enabled).toBe(false);
    await panel.as().delete(`/api/peers/${peer.id}`).expect(204);
    await panel.as().get(`/api/peers/${peer.id}`).expect(404);
    const events = await panel.as().get(`/api/events?aggregate_id=${peer.id}`).expect(200);
    expect(events.body.items.map((e: { type: string; version: number }) => [e.type, e.version])).toEqual([
      ['peer.created', 1],
      ['peer.updated', 2],
      ['peer.updated', 3],
      ['peer.deleted', 4],
    ]);
  });

  it('renders a client config with the node overrides that WireGuard itself accepts', async () => {
    const node = (
      await panel
        .as()
        .post(
          '/api/nodes',
          nodeBody({
            override_mtu: 1380,
            override_dns: ['8.8.8.8'],
            override_keepalive: 21,
            override_listen_port: 51999,
            override_endpoint_allowed_ip: ['10.0.0.0/8'],
          }),
        )
        .expect(201)
    ).body;
    const peer = (
      await panel
        .as()
        .post(`/api/nodes/${node.id}/peers`, { name: 'carol', generate_preshared_key: true })
        .expect(201)
    ).body;
    const config = await panel.as().get(`/api/peers/${peer.id}/config`).expect(200);
    expect(config.headers['content-type']).toMatch(/text\/plain/);
    expect(config.text).toMatch(/MTU = 1380/);
    expect(config.text).toMatch(/DNS = 8\.8\.8\.8/);
    expect(config.text).toMatch(/PersistentKeepalive = 21/);
    expect(config.text).toMatch(/Endpoint = vpn\.example\.com:51999/);
    expect(config.text).toMatch(/AllowedIPs = 10\.0\.0\.0\/8/);
    expect(config.text).toMatch(/PresharedKey = /);

    const svg = await panel.as().get(`/api/peers/${peer.id}/qr`).expect(200);
    expect(svg.headers['content-type']).toMatch(/image\/svg\+xml/);
    const png = await panel.as().get(`/api/peers/${peer.id}/qr?format=png`).buffer(true).expect(200);
    expect(png.headers['content-type']).toBe('image/png');
    await panel.as().get(`/api/peers/${peer.id}/qr?format=gif`).expect(400);
  });

  it('pages through lists with a cursor', async () => {
    const node = (await panel.as().post('/api/nodes', nodeBody()).expect(201)).body;
    for (let i = 0; i < 5; i++)
      await panel
        .as()
        .post(`/api/nodes/${node.id}/peers`, { name: `page-${i}` })
        .expect(201);
    const first = await panel.as().get(`/api/nodes/${node.id}/peers?limit=3`).expect(200);
    expect(first.body.items).toHaveLength(3);
    const second = await panel
      .as()
      .get(`/api/nodes/${node.id}/peers?limit=3&cursor=${first.body.next}`)
      .expect(200);
    expect(second.body.items.map((p: { name: string }) => p.name)).toEqual(['page-3', 'page-4']);
    expect(second.body.next).toBeUndefined();
    await panel.as().get(`/api/nodes/${node.id}/peers?cursor=garbage`).expect(400);
  });

  it('searches peers by name (any case) or public key prefix, with literal wildcards and paging', async () => {
    const node = (await panel.as().post('/api/nodes', nodeBody()).expect(201)).body;
    const names = ['Alice-Laptop', 'alice-phone', 'bob-laptop', '100%_sure', '100x-sure', 'back\\slash'];
    const peers: Array<{ name: string; public_key: string }> = [];
    for (const name of names)
      peers.push((await panel.as().post(`/api/nodes/${node.id}/peers`, { name }).expect(201)).body);
    const search = async (query: string) =>
      (await panel.as().get(`/api/nodes/${node.id}/peers?${query}`).expect(200)).body;
    const namesOf = (found: { items: Array<{ name: string }> }) => found.items.map((peer) => peer.name);

    expect(namesOf(await search('q=ALICE'))).toEqual(['Alice-Laptop', 'alice-phone']);
    expect(namesOf(await search('q=laptop'))).toEqual(['Alice-Laptop', 'bob-laptop']);
    expect(namesOf(await search(`q=${encodeURIComponent('%_')}`))).toEqual(['100%_sure']);
    expect(namesOf(await search(`q=${encodeURIComponent('0_')}`))).toEqual([]);
    expect(namesOf(await search(`q=${encodeURIComponent('\\')}`))).toEqual(['back\\slash']);
    expect(namesOf(await search(`q=${encodeURIComponent('%')}`))).toEqual(['100%_sure']);

    const bob = peers[2];
    const byKey = await search(`q=${encodeURIComponent(bob.public_key.slice(0, 12))}`);
    expect(byKey.items.map((peer: { public_key: string }) => peer.public_key)).toEqual([bob.public_key]);
    const keyMiddle = bob.public_key.slice(5, 17);
    expect(peers.filter((peer) => peer.public_key.startsWith(keyMiddle))).toEqual([]);
    expect(namesOf(await search(`q=${encodeURIComponent(keyMiddle)}`))).toEqual([]);

    const first = await search('q=-&limit=3');
    expect(namesOf(first)).toEqual(['Alice-Laptop', 'alice-phone', 'bob-laptop']);
    const second = await search(`q=-&limit=3&cursor=${first.next}`);
    expect(namesOf(second)).toEqual(['100x-sure']);
    expect(second.next).toBeUndefined();

    for (const bad of ['q=', `q=${'x'.repeat(101)}`]) {
      const response = await panel.as().get(`/api/nodes/${node.id}/peers?${bad}`).expect(400);
      expect(response.body.error.code).toBe('validation_failed');
      expect(JSON.stringify(response.body.error.details)).toContain('"q"');
    }
  });

  it('keeps every secret out of API answers, events, logs and the database dump', async () => {
    const psk = Buffer.alloc(32, 0x5a).toString('base64');
    const node = (await panel.as().post('/api/nodes', nodeBody()).expect(201)).body;
    const peer = (
      await panel.as().post(`/api/nodes/${node.id}/peers`, { name: 'dave', preshared_key: psk }).expect(201)
    ).body;
    const config = (await panel.as().get(`/api/peers/${peer.id}/config`).expect(200)).text;
    const privateKey = /PrivateKey = (\S+)/.exec(config)![1];
    expect(config).toContain(psk);

    const answers = [
      await panel.as().get('/api/nodes'),
      await panel.as().get(`/api/nodes/${node.id}/peers`),
      await panel.as().get(`/api/peers/${peer.id}`),
      await panel.as().get('/api/events?limit=1000'),
    ].map((r) => JSON.stringify(r.body));
    const dump = execFileSync('pg_dump', ['--data-only', panel.databaseUrl], {
      maxBuffer: 256 * 1024 * 1024,
    }).toString();
    for (const secret of [AGENT_SECRET, psk, privateKey]) {
      for (const answer of answers) expect(answer).not.toContain(secret);
      expect(dump).not.toContain(secret);
      expect(panel.logs()).not.toContain(secret);
    }
  });
});
