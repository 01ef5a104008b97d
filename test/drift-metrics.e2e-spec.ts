import { Client } from 'pg';
import { startPanel, type TestPanel } from './support/panel';

describe('per-peer metrics (METRICS_PER_PEER=true)', () => {
  let panel: TestPanel;
  let db: Client;

  beforeAll(async () => {
    panel = await startPanel({ METRICS_PER_PEER: 'true', DRIFT_SCAN_INTERVAL_S: '86400' });
    db = new Client({ connectionString: panel.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await panel?.close();
  });

  it('exposes handshake and transfer totals per peer', async () => {
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

    const text = (await panel.http().get('/metrics').expect(200)).text;
    const labels = `node="metrics-node",peer="${peer.id}",peer_name="phone"`;
    expect(text).toContain(`wgfleet_peer_latest_handshake_timestamp_seconds{${labels}} 1740830000`);
    expect(text).toContain(`wgfleet_peer_receive_bytes{${labels}} 1500`);
    expect(text).toContain(`wgfleet_peer_transmit_bytes{${labels}} 2500`);
    // A node never scanned reports no status yet, but is listed.
    expect(text).toContain('wgfleet_node_status{node="metrics-node",status="in_sync"} 0');

    const view = (await panel.as().get(`/api/peers/${peer.id}`).expect(200)).body;
    expect(view).toMatchObject({
      latest_handshake: new Date(1740830000 * 1000).toISOString(),
      transfer_rx: 1500,
      transfer_tx: 2500,
      endpoint: '198.51.100.7:40000',
    });
  });
});
