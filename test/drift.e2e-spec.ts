import { createServer, type Server, type Socket } from 'node:net';
import { Client } from 'pg';
import {
  createWgInterface,
  generateKeyPair,
  randomKey,
  uniqueInterfaceName,
  waitUntil,
  type WgInterface,
} from '../agent/test/support/wg-interface';
import { startAgentInProcess, type RunningAgent } from '../agent/test/support/agent-process';
import { AgentClient } from '../src/modules/agent-client/agent-client';
import { DriftHistory } from '../src/modules/drift/drift-history.service';
import { DriftRetention } from '../src/modules/drift/drift-retention.service';
import type { NodeDriftReport } from '../src/modules/drift/domain/drift-report';
import { startPanel, type TestPanel } from './support/panel';

const AGENT_TIMEOUT_MS = 1500;

interface PeerView {
  id: string;
  public_key: string;
  allowed_ips: string[];
  latest_handshake: string | null;
  transfer_rx: number;
  transfer_tx: number;
  last_endpoint: string | null;
}

/** A TCP server that accepts connections and never answers: an agent hanging mid-request. */
async function silentServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('drift scans against real agents on wireguard-go', () => {
  let panel: TestPanel;
  let db: Client;
  let wgA: WgInterface;
  let wgB: WgInterface;
  let client: WgInterface | undefined;
  let agentA: RunningAgent;
  let agentB: RunningAgent;
  let hanging: Awaited<ReturnType<typeof silentServer>>;
  let nodeA: { id: string; name: string };
  let nodeB: { id: string; name: string };
  let nodeHanging: { id: string; name: string };
  let peers: PeerView[];

  const register = async (name: string, agentUrl: string, iface: string, secret: string, pool: string) => {
    const response = await panel
      .as()
      .post('/api/nodes', {
        name,
        agent_url: agentUrl,
        interface: iface,
        endpoint: 'vpn.example.com',
        address_pool: pool,
        agent_secret: secret,
      })
      .expect(201);
    return response.body as { id: string; name: string };
  };

  const liveReport = async (nodeId: string): Promise<NodeDriftReport> =>
    (await panel.as().get(`/api/drift/nodes/${nodeId}`).expect(200)).body;

  /** The desired peers put on node A through the agent (whether or not the panel also applies them itself). */
  const applyDesiredPeers = async () => {
    const agent = new AgentClient({ baseUrl: agentA.url, secret: agentA.secret, interfaceName: wgA.name });
    try {
      const result = await agent.batch({
        upsert: peers.map((peer) => ({
          public_key: peer.public_key,
          allowed_ips: peer.allowed_ips,
          persistent_keepalive: 25,
        })),
        remove: [],
      });
      expect(result.results.every((item) => item.ok)).toBe(true);
    } finally {
      agent.close();
    }
  };

  beforeAll(async () => {
    [wgA, wgB] = await Promise.all([
      createWgInterface(uniqueInterfaceName('wgdra')),
      createWgInterface(uniqueInterfaceName('wgdrb')),
    ]);
    [agentA, agentB] = await Promise.all([
      startAgentInProcess({ interfaces: [wgA.name] }),
      startAgentInProcess({ interfaces: [wgB.name] }),
    ]);
    hanging = await silentServer();
    panel = await startPanel({ AGENT_TIMEOUT_MS: String(AGENT_TIMEOUT_MS), DRIFT_SCAN_INTERVAL_S: '86400' });
    db = new Client({ connectionString: panel.databaseUrl });
    await db.connect();

    nodeA = await register('drift-a', agentA.url, wgA.name, agentA.secret, '10.77.1.0/24');
    nodeB = await register('drift-b', agentB.url, wgB.name, agentB.secret, '10.77.2.0/24');
    nodeHanging = await register('drift-hanging', hanging.url, 'wg0', 'x'.repeat(40), '10.77.3.0/24');
    peers = [];
    for (const name of ['alice', 'bob', 'carol']) {
      peers.push((await panel.as().post(`/api/nodes/${nodeA.id}/peers`, { name }).expect(201)).body);
    }
    await applyDesiredPeers();
    // Whatever the panel applies by itself has settled once nothing is pending any more.
    await waitUntil(
      async () => {
        const report = await liveReport(nodeA.id);
        return report.status === 'in_sync' && report.summary.pending === 0;
      },
      10000,
      'node A never reported in sync',
    );
  }, 60000);

  afterAll(async () => {
    await db?.end();
    await panel?.close();
    await Promise.all([agentA?.stop(), agentB?.stop(), hanging?.close()]);
    await Promise.all([wgA?.destroy(), wgB?.destroy(), client?.destroy()]);
  });

  it('reports peers changed by hand with wg as unknown, missing and mismatched', async () => {
    const [alice, bob, carol] = peers;
    const stranger = randomKey();
    await wgA.wg('set', wgA.name, 'peer', stranger, 'allowed-ips', '10.99.0.1/32');
    await wgA.wg('set', wgA.name, 'peer', bob.public_key, 'remove');
    await wgA.wg('set', wgA.name, 'peer', carol.public_key, 'persistent-keepalive', '5');

    const report = await liveReport(nodeA.id);
    expect(report).toMatchObject({
      node_id: nodeA.id,
      node_name: 'drift-a',
      status: 'drift',
      has_drift: true,
      summary: { expected: 3, actual: 3, missing: 1, mismatched: 1, orphaned: 0, unknown: 1, interface: 0 },
      missing_peers: [
        { peer_id: bob.id, name: 'bob', public_key: bob.public_key, allowed_ips: bob.allowed_ips },
      ],
      mismatched_peers: [
        {
          peer_id: carol.id,
          name: 'carol',
          mismatches: [{ field: 'persistent_keepalive', expected: 25, actual: 5 }],
        },
      ],
      unknown_peers: [{ public_key: stranger, allowed_ips: ['10.99.0.1/32'], persistent_keepalive: 0 }],
      orphaned_peers: [],
      interface_mismatches: [],
    });
    expect(JSON.stringify(report)).not.toContain(alice.public_key);
  });

  it('checks all enabled nodes at once: a stopped or hanging agent is unknown and delays no one', async () => {
    await agentB.stop();
    const started = Date.now();
    const fleet = (await panel.as().get('/api/drift/nodes').expect(200)).body;
    const elapsed = Date.now() - started;

    expect(fleet.summary).toEqual({ nodes: 3, in_sync: 0, drift: 1, unknown: 2 });
    const byId = new Map<string, NodeDriftReport>(
      fleet.nodes.map((report: NodeDriftReport) => [report.node_id, report]),
    );
    expect(byId.get(nodeA.id)).toMatchObject({ status: 'drift', has_drift: true });
    expect(byId.get(nodeB.id)).toMatchObject({ status: 'unknown', has_drift: false });
    expect(byId.get(nodeB.id)!.error).toMatch(/unreachable|ECONNREFUSED/);
    expect(byId.get(nodeHanging.id)).toMatchObject({ status: 'unknown' });
    expect(byId.get(nodeHanging.id)!.error).toMatch(/within 1500 ms/);
    // The hanging agent costs its own timeout once, in parallel with the others, not on top of them.
    expect(elapsed).toBeLessThan(AGENT_TIMEOUT_MS + 1500);
  });

  it('shows each node drift status and last scan in the node listing', async () => {
    const list = (await panel.as().get('/api/nodes').expect(200)).body;
    const byId = new Map<string, { drift_status: string; last_scan_at: string }>(
      list.items.map((node: { id: string }) => [node.id, node]),
    );
    expect(byId.get(nodeA.id)).toMatchObject({ drift_status: 'drift' });
    expect(byId.get(nodeB.id)).toMatchObject({ drift_status: 'unknown' });
    expect(new Date(byId.get(nodeA.id)!.last_scan_at).getTime()).toBeGreaterThan(Date.now() - 60000);
    const one = (await panel.as().get(`/api/nodes/${nodeA.id}`).expect(200)).body;
    expect(one.drift_status).toBe('drift');
  });

  it('keeps the history of every scan, newest first, with cursors and full reports', async () => {
    const all = (await panel.as().get(`/api/drift/nodes/${nodeA.id}/history?limit=500`).expect(200)).body;
    expect(all.next).toBeUndefined();
    expect(all.items.length).toBeGreaterThanOrEqual(3);
    const times = all.items.map((scan: { checked_at: string }) => Date.parse(scan.checked_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(all.items[0]).toMatchObject({
      node_id: nodeA.id,
      trigger: 'api',
      status: 'drift',
      has_drift: true,
      summary: { missing: 1, mismatched: 1, unknown: 1 },
    });
    expect(all.items[0].fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(all.items[0]).not.toHaveProperty('report');

    const first = (await panel.as().get(`/api/drift/nodes/${nodeA.id}/history?limit=1`).expect(200)).body;
    expect(first.items.map((scan: { id: string }) => scan.id)).toEqual([all.items[0].id]);
    expect(first.next).toBe(all.items[0].id);
    const second = (
      await panel.as().get(`/api/drift/nodes/${nodeA.id}/history?limit=1&before=${first.next}`).expect(200)
    ).body;
    expect(second.items.map((scan: { id: string }) => scan.id)).toEqual([all.items[1].id]);
    const byTime = (
      await panel
        .as()
        .get(`/api/drift/nodes/${nodeA.id}/history?before=${encodeURIComponent(all.items[0].checked_at)}`)
        .expect(200)
    ).body;
    expect(byTime.items.map((scan: { id: string }) => scan.id)).toEqual(
      all.items.slice(1).map((scan: { id: string }) => scan.id),
    );

    const scan = (await panel.as().get(`/api/drift/scans/${all.items[0].id}`).expect(200)).body;
    expect(scan).toMatchObject({ id: all.items[0].id, status: 'drift' });
    expect(scan.report).toMatchObject({ node_id: nodeA.id, status: 'drift', summary: { missing: 1 } });
    expect(scan.report.missing_peers).toHaveLength(1);
  });

  it('keeps a scan that finished after a newer one in the history, without rolling the node state back', async () => {
    const latest = (await panel.as().get(`/api/drift/nodes/${nodeB.id}`).expect(200)).body as NodeDriftReport;
    const stale: NodeDriftReport = {
      ...latest,
      status: 'unknown',
      error: 'agent did not answer',
      checked_at: new Date(Date.parse(latest.checked_at) - 60_000).toISOString(),
    };
    const stored = await panel.app
      .get(DriftHistory)
      .store({ trigger: 'api', report: stale, activity: [], durationMs: 5 });
    const { rows: states } = await db.query<{ status: string; last_scan_at: Date }>(
      'select status, last_scan_at from node_drift_state where node_id = $1',
      [nodeB.id],
    );
    expect(states[0].status).toBe(latest.status);
    expect(states[0].last_scan_at.toISOString()).toBe(latest.checked_at);
    const history = (await panel.as().get(`/api/drift/scans/${stored.id}`).expect(200)).body;
    expect(history).toMatchObject({ id: stored.id, status: 'unknown' });
  });

  it('answers bad history and scan requests with 4xx naming the field', async () => {
    const badBefore = await panel
      .as()
      .get(`/api/drift/nodes/${nodeA.id}/history?before=yesterday`)
      .expect(400);
    expect(JSON.stringify(badBefore.body.error)).toContain('before');
    const badLimit = await panel.as().get(`/api/drift/nodes/${nodeA.id}/history?limit=0`).expect(400);
    expect(JSON.stringify(badLimit.body.error)).toContain('limit');
    const strangerScan = await panel
      .as()
      .get(`/api/drift/nodes/${nodeA.id}/history?before=00000000-0000-4000-8000-000000000000`)
      .expect(400);
    expect(JSON.stringify(strangerScan.body.error)).toContain('before');
    await panel.as().get('/api/drift/scans/00000000-0000-4000-8000-000000000000').expect(404);
    const badId = await panel.as().get('/api/drift/scans/not-a-uuid').expect(400);
    expect(JSON.stringify(badId.body.error)).toContain('scan_id');
    await panel.as().get('/api/drift/nodes/00000000-0000-4000-8000-000000000000').expect(404);
    await panel.as().get('/api/drift/nodes/00000000-0000-4000-8000-000000000000/history').expect(404);
    await panel.http().get('/api/drift/nodes').expect(401);
  });

  it('exposes drift, node status, scan and queue metrics on /metrics to a token of any role', async () => {
    await panel.http().get('/metrics').expect(401);
    const { token } = (await panel.as().post('/api/tokens', { name: 'prometheus', role: 'read' }).expect(201))
      .body;
    const response = await panel.as(token).get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.text;
    expect(text).toContain('wgfleet_drift_peers{node="drift-a",kind="missing"} 1');
    expect(text).toContain('wgfleet_drift_peers{node="drift-a",kind="unknown"} 1');
    expect(text).toContain('wgfleet_node_status{node="drift-a",status="drift"} 1');
    expect(text).toContain('wgfleet_node_status{node="drift-a",status="in_sync"} 0');
    expect(text).toContain('wgfleet_node_status{node="drift-b",status="unknown"} 1');
    expect(text).toMatch(/wgfleet_drift_last_scan_timestamp_seconds\{node="drift-a"\} \d+/);
    expect(text).toMatch(/wgfleet_drift_scan_duration_seconds_count\{trigger="api",status="drift"\} [1-9]/);
    expect(text).toMatch(/wgfleet_queue_jobs\{queue="drift-scan",state="waiting"\} \d+/);
    expect(text).toContain('process_resident_memory_bytes');
    // Per-peer series are off unless METRICS_PER_PEER=true.
    expect(text).not.toContain('wgfleet_peer_');
  });

  it('records handshakes and transfer totals that survive a counter reset on the node', async () => {
    const alice = peers[0];
    const aliceKeys = generateKeyPair();
    // A real client for "alice": her key must be one the test holds, so she is re-keyed first.
    await panel.as().patch(`/api/peers/${alice.id}`, { public_key: aliceKeys.publicKey }).expect(200);
    alice.public_key = aliceKeys.publicKey;
    await applyDesiredPeers();
    client = await createWgInterface(uniqueInterfaceName('wgdrc'), { keyPair: aliceKeys });
    const connectClient = () =>
      client!.wg(
        'set',
        client!.name,
        'peer',
        wgA.publicKey,
        'endpoint',
        `127.0.0.1:${wgA.listenPort}`,
        'allowed-ips',
        '10.77.1.1/32',
        'persistent-keepalive',
        '1',
      );
    /** Alice's line of `wg show <node> <what>`: [handshake] or [rx, tx]. */
    const nodeSees = async (what: 'latest-handshakes' | 'transfer') => {
      const line = (await wgA.wg('show', wgA.name, what))
        .split('\n')
        .map((text) => text.split('\t'))
        .find(([key]) => key === alice.public_key);
      return (line ?? []).slice(1).map(Number);
    };
    await connectClient();
    // Handshake (148 bytes) plus a few one-second keepalives (32 bytes each) from the client.
    await waitUntil(
      async () => ((await nodeSees('transfer'))[0] ?? 0) >= 148 + 3 * 32,
      15000,
      'no traffic from the client',
    );

    await liveReport(nodeA.id);
    const before = (await panel.as().get(`/api/peers/${alice.id}`).expect(200)).body as PeerView;
    expect(Date.parse(before.latest_handshake!)).toBeGreaterThan(Date.now() - 60000);
    expect(before.last_endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(before.transfer_rx).toBeGreaterThanOrEqual(148 + 3 * 32);
    expect(before.transfer_tx).toBeGreaterThan(0);

    // Removing and re-adding the peer on the node starts its counters from zero again.
    await wgA.wg('set', wgA.name, 'peer', alice.public_key, 'remove');
    await applyDesiredPeers();
    await client!.wg('set', client!.name, 'peer', wgA.publicKey, 'remove');
    await connectClient();
    await waitUntil(
      async () => ((await nodeSees('latest-handshakes'))[0] ?? 0) > 0,
      10000,
      'no handshake after the reset',
    );
    const [rxAfterReset] = await nodeSees('transfer');
    expect(rxAfterReset).toBeLessThan(before.transfer_rx);

    await liveReport(nodeA.id);
    const after = (await panel.as().get(`/api/peers/${alice.id}`).expect(200)).body as PeerView;
    // Everything counted before the reset, plus everything since: the total never went backwards.
    expect(after.transfer_rx).toBeGreaterThanOrEqual(before.transfer_rx + rxAfterReset);
    expect(after.transfer_tx).toBeGreaterThanOrEqual(before.transfer_tx);
  });

  it('prunes old scans but keeps each node latest scan and its status changes', async () => {
    // Make every stored scan older than the retention period, as if they had piled up for months.
    await db.query(`update drift_scans set checked_at = checked_at - interval '400 days'`);
    const { rows: before } = await db.query<{ id: string; node_id: string; status_changed: boolean }>(
      'select id, node_id, status_changed from drift_scans',
    );
    const { rows: states } = await db.query<{ last_scan_id: string }>(
      'select last_scan_id from node_drift_state',
    );
    const keep = new Set([
      ...before.filter((scan) => scan.status_changed).map((scan) => scan.id),
      ...states.map((state) => state.last_scan_id),
    ]);
    expect(before.length).toBeGreaterThan(keep.size);

    const result = await panel.app.get(DriftRetention).prune();
    expect(result.scans).toBe(before.length - keep.size);
    const { rows: after } = await db.query<{ id: string }>('select id from drift_scans');
    expect(new Set(after.map((scan) => scan.id))).toEqual(keep);
    // Node A went in_sync → drift once: its first scan and that change survive, and so does its latest.
    const history = (await panel.as().get(`/api/drift/nodes/${nodeA.id}/history`).expect(200)).body;
    expect(history.items.map((scan: { status: string }) => scan.status)).toEqual([
      'drift',
      'drift',
      'in_sync',
    ]);
  });

  it('never logs an agent secret', () => {
    expect(panel.logs()).not.toContain(agentA.secret);
    expect(panel.logs()).not.toContain(agentB.secret);
  });
});
