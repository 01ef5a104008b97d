/**
 * A 20,000-peer node on real wireguard-go: its whole peer set goes to the agent in one atomic `syncconf`
 * (a body of several MB, over the 1 MiB the agent's other routes take), and a node change makes sync read
 * and plan the whole node. The desired peers come from adopting what the node holds, through the API.
 */
import { signedRequest } from '../agent/test/support/signed-request';
import { randomKey, withSecretFile } from '../agent/test/support/wg-interface';
import { createFleetNode, eventually, finishedJob, FleetNode, registerWith } from './reconcile-fixture';
import { watchEventLoopStalls } from './support/event-loop-stalls';
import { startPanel, TestPanel } from './support/panel';

jest.setTimeout(180_000);

const PEERS = 20_000;

describe('a 20,000-peer node', () => {
  let panel: TestPanel;
  let node: FleetNode;
  let keys: string[];
  // Panel, agent and Jest share this event loop: a long stall here is one a node job's lock renewal waits out.
  const stalls = watchEventLoopStalls();
  const logStall = (phase: string) =>
    console.log(`20,000-peer node, ${phase}: longest event-loop stall ${stalls.take().toFixed(0)} ms`);

  beforeAll(async () => {
    // The agent shares this process with the panel and Jest: a 20,000-peer dump can take seconds here when the
    // machine is busy, so agent calls get more than the default 5 s.
    panel = await startPanel({
      DRIFT_SCAN_INTERVAL_S: '86400',
      APPLY_DEBOUNCE_MS: '50',
      AGENT_TIMEOUT_MS: '30000',
    });
    // No keepalive: wireguard-go sends a keepalive to every new peer that has one, which costs it about a
    // millisecond a peer (20 s here) and says nothing about the panel or the agent.
    node = await createFleetNode(registerWith(panel), {
      prefix: 'wgbn',
      nodeFields: { address_pool: '10.64.0.0/16', override_keepalive: 0 },
    });
    keys = Array.from({ length: PEERS }, () => randomKey());
    const sections = keys.map(
      (key, i) => `[Peer]\nPublicKey = ${key}\nAllowedIPs = 10.64.${(i + 2) >> 8}.${(i + 2) & 255}/32\n`,
    );
    await withSecretFile(sections.join('\n'), (file) => node.wg.wg('addconf', node.wg.name, file));
    stalls.take();
    const { body: adopted } = await panel.as().post(`/api/nodes/${node.id}/adopt`, {}).expect(200);
    expect(adopted.adopted).toHaveLength(PEERS);
    logStall('adoption');
  });

  afterAll(async () => {
    stalls.stop();
    await node?.destroy();
    await panel?.close();
  });

  async function emptyNode(): Promise<void> {
    const answer = await signedRequest(node.url, node.secret, 'POST', `/v1/wg/${node.wg.name}/syncconf`, {
      body: { peers: [] },
    });
    expect(answer.status).toBe(200);
    expect((await node.dump()).peers).toHaveLength(0);
  }

  it('is repaired from empty in one atomic syncconf and verified', async () => {
    await emptyNode();
    node.resetRequests();
    stalls.take();
    const started = Date.now();
    const { body } = await panel
      .as()
      .post(`/api/drift/nodes/${node.id}/reconcile`, { mode: 'syncconf' })
      .expect(202);
    const job = await finishedJob(panel, body.job_id, 120_000);
    console.log(`20,000-peer syncconf reconcile: request to verified in ${Date.now() - started} ms`);
    logStall('syncconf reconcile');

    expect(job.status).toBe('succeeded');
    expect(job.result.added).toHaveLength(PEERS);
    expect(job.result.errors).toEqual([]);
    expect(job.result.verified).toBe(true);
    const writes = node.requests().filter((line) => line.method !== 'GET');
    expect(writes.map((line) => [line.route, line.status])).toEqual([['/v1/wg/:iface/syncconf', 200]]);
    const onNode = (await node.dump()).peers.map((peer) => peer.public_key).sort();
    expect(onNode).toEqual([...keys].sort());
  });

  it('syncs a node change by reading and planning the whole node', async () => {
    const { body: current } = await panel.as().get(`/api/nodes/${node.id}`).expect(200);
    stalls.take();
    const listenPort = node.wg.listenPort === 51999 ? 51998 : 51999;
    await panel
      .as()
      .patch(`/api/nodes/${node.id}`, { version: current.version, listen_port: listenPort })
      .expect(200);
    await eventually(
      async () => ((await node.dump()).interface.listen_port === listenPort ? true : undefined),
      60_000,
      'the new listen port on the node',
    );
    logStall('node change synced');
    const dump = await node.dump();
    expect(dump.peers).toHaveLength(PEERS);
    const { body: drift } = await panel.as().get(`/api/drift/nodes/${node.id}`).expect(200);
    expect({ ...drift, error: drift.error ?? null }).toMatchObject({
      error: null,
      status: 'in_sync',
      summary: { expected: PEERS, actual: PEERS, pending: 0 },
    });
  });
});
