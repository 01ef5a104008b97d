import { Client } from 'pg';
import { PeerEnforcer } from '../src/modules/lifecycle/peer-enforcer.service';
import { startPanel, type TestPanel } from './support/panel';
import { recordTraffic } from './support/peer-traffic';

describe('per-peer metrics (METRICS_PER_PEER=true)', () => {
  let panel: TestPanel;
  let db: Client;
  let readToken: string;
  /** Longer than METRICS_CACHE_S: the next scrape reads the database again. */
  const outlastCache = () => new Promise((resolve) => setTimeout(resolve, 1100));
  const scrape = async () =>
    (await panel.http().get('/metrics').set('Authorization', `Bearer ${readToken}`).expect(200)).text;

  beforeAll(async () => {
    panel = await startPanel({
      METRICS_PER_PEER: 'true',
      DRIFT_SCAN_INTERVAL_S: '86400',
      METRICS_CACHE_S: '1',
    });
    readToken = (await panel.as().post('/api/tokens', { name: 'prometheus', role: 'read' }).expect(201)).body
      .token;
    db = new Client({ connectionString: panel.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await panel?.close();
  });

  it('needs a token of any role', async () => {
    const refused = await panel.http().get('/metrics').expect(401);
    expect(refused.body.error.code).toBe('unauthorized');
    await panel.http().get('/metrics').set('Authorization', 'Bearer wgf_not-a-token').expect(401);
    expect(await scrape()).toContain('wgfleet_queue_jobs');
  });

  it('exposes handshake and transfer totals per peer, labelled by ids only', async () => {
    const node = (
      await panel
        .as()
        .post('/api/nodes', {
          name: 'metrics-node',
          agent_url: 'http://127.0.0.1:9',
          interface: 'wg0',
          endpoint: 'vpn.example.com',
          address_pool: '10.79.0.0/24',
          listen_port: 51820,
          agent_secret: 'z'.repeat(40),
        })
        .expect(201)
    ).body;
    const peer = (await panel.as().post(`/api/nodes/${node.id}/peers`, { name: 'phone' }).expect(201)).body;
    // What a scan would have recorded after seeing the peer's traffic.
    await db.query(
      `insert into peer_activity (peer_id, node_id, latest_handshake, last_rx, last_tx, total_rx, total_tx, endpoint, updated_at)
       values ($1, $2, to_timestamp(1740830000), 10, 20, 1500, 2500, '198.51.100.7:40000', now())`,
      [peer.id, node.id],
    );

    await outlastCache();
    const text = await scrape();
    const labels = `node_id="${node.id}",peer_id="${peer.id}"`;
    expect(text).toContain(`wgfleet_peer_latest_handshake_timestamp_seconds{${labels}} 1740830000`);
    expect(text).toContain(`wgfleet_peer_receive_bytes{${labels}} 1500`);
    expect(text).toContain(`wgfleet_peer_transmit_bytes{${labels}} 2500`);
    // A node never scanned reports no status yet, but is listed.
    expect(text).toContain('wgfleet_node_status{node="metrics-node",status="in_sync"} 0');
    // No name and no key of a peer in any label.
    expect(text).not.toContain('phone');
    expect(text).not.toContain(peer.public_key);
    expect(text).not.toMatch(/peer_name/);

    const view = (await panel.as().get(`/api/peers/${peer.id}`).expect(200)).body;
    expect(view).toMatchObject({
      latest_handshake: new Date(1740830000 * 1000).toISOString(),
      transfer_rx: 1500,
      transfer_tx: 2500,
      last_endpoint: '198.51.100.7:40000',
    });
  });

  it('reads the database at most once per METRICS_CACHE_S, however often it is scraped', async () => {
    const peerId = (await db.query<{ peer_id: string }>('select peer_id from peer_activity limit 1')).rows[0]
      .peer_id;
    const series = (text: string) =>
      text.split('\n').find((line) => line.startsWith('wgfleet_peer_receive_bytes') && line.includes(peerId));
    await outlastCache();
    const before = series(await scrape());
    await db.query('update peer_activity set total_rx = total_rx + 1000 where peer_id = $1', [peerId]);
    const scrapes = await Promise.all(Array.from({ length: 5 }, scrape));
    expect(scrapes.map(series)).toEqual(Array(5).fill(before));
    await outlastCache();
    expect(series(await scrape())).toMatch(/ 2500$/);
  });

  it("exposes each peer's period usage and quota by ids only, and suspended peers by reason", async () => {
    const node = (
      await panel
        .as()
        .post('/api/nodes', {
          name: 'usage-node',
          agent_url: 'http://127.0.0.1:9',
          interface: 'wg1',
          endpoint: 'vpn.example.com',
          address_pool: '10.80.0.0/24',
          listen_port: 51821,
          agent_secret: 'z'.repeat(40),
        })
        .expect(201)
    ).body;
    const peer = async (name: string, body: object) =>
      (
        await panel
          .as()
          .post(`/api/nodes/${node.id}/peers`, { name, ...body })
          .expect(201)
      ).body;
    const metered = await peer('tablet-of-alice', { quota_bytes: 5000, quota_period: 'day' });
    const exhausted = await peer('laptop-of-bob', { quota_bytes: 1000, quota_period: 'month' });
    const unmetered = await peer('printer-of-carol', {});
    // What scans would have counted; then the enforcement pass suspends the peer over its quota.
    await recordTraffic(
      panel,
      [
        { peerId: metered.id, rx: 1200, tx: 800 },
        { peerId: exhausted.id, rx: 900, tx: 300 },
      ],
      new Date(),
    );
    await panel.app.get(PeerEnforcer).enforce();

    await outlastCache();
    const text = await scrape();
    const labels = (id: string) => `node_id="${node.id}",peer_id="${id}"`;
    expect(text).toContain(`wgfleet_peer_period_usage_bytes{${labels(metered.id)},direction="rx"} 1200`);
    expect(text).toContain(`wgfleet_peer_period_usage_bytes{${labels(metered.id)},direction="tx"} 800`);
    expect(text).toContain(`wgfleet_peer_quota_bytes{${labels(metered.id)}} 5000`);
    expect(text).toContain(`wgfleet_peer_period_usage_bytes{${labels(exhausted.id)},direction="rx"} 900`);
    expect(text).toContain(`wgfleet_peer_quota_bytes{${labels(exhausted.id)}} 1000`);
    // Neither usage nor a quota: no series.
    expect(text).not.toMatch(new RegExp(`wgfleet_peer_(period_usage|quota)_bytes\\{[^}]*${unmetered.id}`));
    expect(text).toContain('wgfleet_peers_suspended{reason="quota"} 1');
    expect(text).toContain('wgfleet_peers_suspended{reason="expired"} 0');
    for (const name of ['tablet-of-alice', 'laptop-of-bob', 'printer-of-carol'])
      expect(text).not.toContain(name);
    for (const key of [metered.public_key, exhausted.public_key]) expect(text).not.toContain(key);
  });
});

describe('public metrics (METRICS_PUBLIC=true)', () => {
  let panel: TestPanel;

  beforeAll(async () => {
    panel = await startPanel({ METRICS_PUBLIC: 'true', DRIFT_SCAN_INTERVAL_S: '86400' });
  });

  afterAll(async () => {
    await panel?.close();
  });

  it('answers without a token', async () => {
    expect((await panel.http().get('/metrics').expect(200)).text).toContain('wgfleet_queue_jobs');
  });
});
