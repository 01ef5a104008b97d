/**
 * Live drift reads cannot be turned into agent traffic by readers: concurrent requests share one scan per node,
 * and within DRIFT_LIVE_MIN_INTERVAL_S of a node's latest scan its stored report is answered, by every panel.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { NodeDriftReport } from '../src/modules/drift/domain/drift-report';
import { dropDatabase, startPanel, testDatabaseUrl, type TestPanel } from './support/panel';

const INTERVAL_S = 2;

/** An "agent" that holds every connection for a while and then drops it: each scan overlaps the next request. */
async function slowAgent(
  holdMs: number,
): Promise<{ server: Server; url: string; connections: () => number }> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    setTimeout(() => socket.destroy(), holdMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  server.on('close', () => sockets.forEach((socket) => socket.destroy()));
  return { server, url: `http://127.0.0.1:${port}`, connections: () => connections };
}

describe('live drift reads', () => {
  const databaseUrl = testDatabaseUrl();
  const env = {
    DATABASE_URL: databaseUrl,
    DRIFT_LIVE_MIN_INTERVAL_S: String(INTERVAL_S),
    DRIFT_SCAN_INTERVAL_S: '86400',
    AGENT_TIMEOUT_MS: '2000',
  };
  let first: TestPanel;
  let second: TestPanel;
  let agent: Awaited<ReturnType<typeof slowAgent>>;
  let nodeId: string;

  const apiScans = async (): Promise<number> => {
    const history = (await first.as().get(`/api/drift/nodes/${nodeId}/history?limit=100`).expect(200)).body;
    return history.items.filter((scan: { trigger: string }) => scan.trigger === 'api').length;
  };
  const outlastInterval = () => new Promise((resolve) => setTimeout(resolve, INTERVAL_S * 1000 + 200));

  beforeAll(async () => {
    agent = await slowAgent(200);
    first = await startPanel(env);
    second = await startPanel(env);
    nodeId = (
      await first
        .as()
        .post('/api/nodes', {
          name: 'slow-node',
          agent_url: agent.url,
          interface: 'wg0',
          endpoint: 'vpn.example.com',
          address_pool: '10.81.0.0/24',
          listen_port: 51820,
          public_key: Buffer.alloc(32, 3).toString('base64'),
          agent_secret: 'q'.repeat(40),
        })
        .expect(201)
    ).body.id;
  });

  afterAll(async () => {
    await second?.close();
    await first?.close();
    await dropDatabase(databaseUrl);
    await new Promise((resolve) => agent?.server.close(resolve));
  });

  it('lets concurrent requests share one scan, then answers the stored one within the interval', async () => {
    await outlastInterval();
    const scansBefore = await apiScans();
    const [nodeReports, fleetReports] = await Promise.all([
      Promise.all(Array.from({ length: 8 }, () => first.as().get(`/api/drift/nodes/${nodeId}`).expect(200))),
      Promise.all(Array.from({ length: 4 }, () => first.as().get('/api/drift/nodes').expect(200))),
    ]);
    const reports: NodeDriftReport[] = [
      ...nodeReports.map((answer) => answer.body),
      ...fleetReports.map((answer) => answer.body.nodes[0]),
    ];
    expect(reports.every((report) => report.status === 'unknown')).toBe(true);
    expect(new Set(reports.map((report) => report.checked_at)).size).toBe(1);
    expect(await apiScans()).toBe(scansBefore + 1);
    const agentCalls = agent.connections();

    // Inside the interval, from this panel and from another one: the stored report, no agent call.
    const again = (await first.as().get(`/api/drift/nodes/${nodeId}`).expect(200)).body;
    const elsewhere = (await second.as().get('/api/drift/nodes').expect(200)).body;
    expect(again).toEqual(reports[0]);
    expect(elsewhere.nodes).toEqual([reports[0]]);
    expect(await apiScans()).toBe(scansBefore + 1);
    expect(agent.connections()).toBe(agentCalls);

    // Once the interval is over, the next read scans again.
    await outlastInterval();
    const later = (await second.as().get(`/api/drift/nodes/${nodeId}`).expect(200)).body;
    expect(later.checked_at > reports[0].checked_at).toBe(true);
    expect(await apiScans()).toBe(scansBefore + 2);
  });
});
