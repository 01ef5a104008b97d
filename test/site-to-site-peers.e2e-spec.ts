import { Client } from 'pg';
import { generateKeyPair } from '../src/common/crypto/wireguard-keys';
import { TestPanel, startPanel } from './support/panel';

/** Peers that route networks (sites) and have an endpoint, against real PostgreSQL; the node's agent is down. */
describe('site-to-site peers (REST, PostgreSQL)', () => {
  let panel: TestPanel;
  let db: Client;
  let nodeId: string;

  beforeAll(async () => {
    panel = await startPanel();
    db = new Client({ connectionString: panel.databaseUrl });
    await db.connect();
    const node = await panel
      .as()
      .post('/api/nodes', {
        name: 'hub',
        agent_url: 'http://127.0.0.1:9',
        interface: 'wg0',
        endpoint: 'vpn.example.com',
        address_pool: '10.0.1.0/24',
        public_key: generateKeyPair().publicKey,
        agent_secret: 'agent-secret-that-is-long-enough-0123456789',
        enabled: false,
      })
      .expect(201);
    nodeId = node.body.id;
  });

  afterAll(async () => {
    await db?.end();
    await panel?.close();
  });

  const peerCount = async () =>
    Number((await db.query('select count(*) from peers where node_id = $1', [nodeId])).rows[0].count);
  const eventCount = async () => Number((await db.query('select count(*) from events')).rows[0].count);
  const create = (body: Record<string, unknown>) =>
    panel.as().post(`/api/nodes/${nodeId}/peers`, { public_key: generateKeyPair().publicKey, ...body });

  it('creates, shows, records and edits routed networks and an endpoint', async () => {
    const site = await create({
      name: 'site-b',
      routed_ips: ['192.168.61.0/24', '192.168.60.0/24'],
      endpoint: '10.233.9.1:40000',
    }).expect(201);
    expect(site.body).toMatchObject({
      allowed_ips: ['10.0.1.2/32'],
      routed_ips: ['192.168.60.0/24', '192.168.61.0/24'],
      endpoint: '10.233.9.1:40000',
      last_endpoint: null,
    });
    expect((await panel.as().get(`/api/peers/${site.body.id}`).expect(200)).body).toMatchObject({
      routed_ips: ['192.168.60.0/24', '192.168.61.0/24'],
      endpoint: '10.233.9.1:40000',
    });
    const events = await panel.as().get(`/api/events?aggregate_id=${site.body.id}`).expect(200);
    expect(events.body.items[0].payload).toMatchObject({
      routed_ips: ['192.168.60.0/24', '192.168.61.0/24'],
      endpoint: '10.233.9.1:40000',
    });

    const edited = await panel
      .as()
      .patch(`/api/peers/${site.body.id}`, {
        routed_ips: ['192.168.62.0/24'],
        endpoint: 'gw.example.com:51820',
      })
      .expect(200);
    expect(edited.body).toMatchObject({ routed_ips: ['192.168.62.0/24'], endpoint: 'gw.example.com:51820' });
    const cleared = await panel
      .as()
      .patch(`/api/peers/${site.body.id}`, { routed_ips: [], endpoint: null })
      .expect(200);
    expect(cleared.body).toMatchObject({ routed_ips: [], endpoint: null, version: 3 });
    await panel.as().delete(`/api/peers/${site.body.id}`).expect(204);
  });

  it('refuses ranges inside the pool, networks another peer routes and bad endpoints, storing nothing', async () => {
    const site = await create({ name: 'site-c', routed_ips: ['192.168.70.0/24'] }).expect(201);
    const peers = await peerCount();
    const events = await eventCount();

    const refusals: Array<[Record<string, unknown>, number, string, RegExp]> = [
      [{ allowed_ips: ['10.0.1.0/25'] }, 400, 'allowed_ips', /range inside the node's pool 10\.0\.1\.0\/24/],
      [{ allowed_ips: ['10.0.0.0/16'] }, 400, 'allowed_ips', /range inside the node's pool/],
      [{ routed_ips: ['10.0.1.128/25'] }, 400, 'routed_ips', /overlaps the node's pool/],
      [{ routed_ips: ['10.0.1.9/32'] }, 400, 'routed_ips', /overlaps the node's pool/],
      [{ routed_ips: ['192.168.70.128/25'] }, 409, 'routed_ips', /192\.168\.70\.0\/24 of peer site-c/],
      [{ allowed_ips: ['192.168.0.0/16'] }, 409, 'allowed_ips', /of peer site-c/],
      [{ routed_ips: ['nonsense'] }, 400, 'routed_ips', /routed_ips/],
      [{ endpoint: '10.233.9.1' }, 400, 'endpoint', /host:port/],
      [{ endpoint: 'gw.example.com:0' }, 400, 'endpoint', /host:port/],
    ];
    for (const [body, status, field, message] of refusals) {
      const refused = await create({ name: 'refused', ...body }).expect(status);
      expect(refused.body.error.message).toMatch(message);
      expect(refused.body.error.details).toEqual([expect.objectContaining({ field })]);
    }
    const patched = await panel
      .as()
      .patch(`/api/peers/${site.body.id}`, { allowed_ips: ['10.0.1.0/28'] })
      .expect(400);
    expect(patched.body.error.details).toEqual([expect.objectContaining({ field: 'allowed_ips' })]);
    const other = await create({ name: 'other' }).expect(201);
    await panel
      .as()
      .patch(`/api/peers/${other.body.id}`, { routed_ips: ['192.168.70.0/23'] })
      .expect(409);

    expect(await peerCount()).toBe(peers + 1);
    expect(await eventCount()).toBe(events + 1);
    // A peer may change its own networks over themselves.
    await panel
      .as()
      .patch(`/api/peers/${site.body.id}`, { routed_ips: ['192.168.70.0/23'] })
      .expect(200);
  });

  it('never hands out an address inside a range a peer held before ranges were refused', async () => {
    // As a peer adopted with `allowed-ips 10.0.1.0/25` before the fix has it.
    const legacy = await create({ name: 'legacy' }).expect(201);
    await db.query(`update peers set allowed_ips = '["10.0.1.0/25"]' where id = $1`, [legacy.body.id]);
    const next = await create({ name: 'next' }).expect(201);
    expect(next.body.allowed_ips).toEqual(['10.0.1.128/32']);
    const inside = await create({ name: 'inside', allowed_ips: ['10.0.1.100/32'] }).expect(409);
    expect(inside.body.error.message).toContain('10.0.1.0/25 of peer legacy');
  });
});
