/**
 * An agent killed (SIGKILL) in the middle of a reconcile (issue 9): the job retries with backoff, converges
 * once a new agent answers, and leaves no duplicate and no half-applied peer. The agent runs as its own
 * process behind a TCP proxy, so its replacement answers at the node's unchanged agent_url.
 */
import type { Dump } from '@wgfleet/protocol';
import { sha256Hex } from '@wgfleet/protocol';
import { randomSecret, startAgentProcess } from '../../agent/test/support/agent-process';
import { createWgInterface, uniqueInterfaceName, WgInterface } from '../../agent/test/support/wg-interface';
import { AgentClient } from '../../src/modules/agent-client/agent-client';
import { startPanel, TestPanel } from '../support/panel';
import { Api, expectStatus } from './support/api';
import { apiOf, eventually, listAll, registerNode, sleep } from './support/fleet';
import { TcpProxy } from './support/tcp-proxy';

const PEERS = 120;

interface PeerView {
  id: string;
  public_key: string;
  allowed_ips: string[];
  has_preshared_key: boolean;
  sync_status: string;
}

describe('agent killed in the middle of a reconcile', () => {
  const secret = randomSecret();
  let wg0: WgInterface;
  let agent: Awaited<ReturnType<typeof startAgentProcess>>;
  let link: TcpProxy;
  let panel: TestPanel;
  let api: Api;

  const startAgent = () => startAgentProcess({ interfaces: [wg0.name], secret, runtime: 'source' });

  beforeAll(async () => {
    wg0 = await createWgInterface(uniqueInterfaceName('wgrak'));
    agent = await startAgent();
    link = await TcpProxy.start(Number(new URL(agent.url).port));
    panel = await startPanel({ DRIFT_SCAN_INTERVAL_S: '86400', AGENT_TIMEOUT_MS: '2000' });
    api = await apiOf(panel);
  });

  afterAll(async () => {
    await panel?.close();
    await agent?.stop();
    await link?.close();
    await wg0?.destroy();
  });

  it('retries, converges, and leaves no duplicate or half-applied peer', async () => {
    const node = await registerNode(api, {
      agent_url: link.rewrite(agent.url),
      interface: wg0.name,
      agent_secret: secret,
      address_pool: '10.81.0.0/24',
      public_key: wg0.publicKey,
      listen_port: wg0.listenPort,
    });
    for (let i = 0; i < PEERS; i += 20) {
      await Promise.all(
        Array.from({ length: 20 }, (_, j) =>
          api.post(`/api/nodes/${node.id}/peers`, {
            name: `p${i + j}`,
            generate_preshared_key: (i + j) % 3 === 0,
          }),
        ),
      );
    }
    const peers = await eventually(
      'every peer to be applied by sync',
      async () => {
        const listed = await listAll<PeerView>(api, `/api/nodes/${node.id}/peers`);
        return listed.length === PEERS && listed.every((peer) => peer.sync_status === 'applied')
          ? listed
          : undefined;
      },
      30_000,
    );
    // The node loses every peer behind the panel's back: a reconcile has to put them all back.
    await wg0.wg('set', wg0.name, ...peers.flatMap((peer) => ['peer', peer.public_key, 'remove']));
    expect((await wg0.wg('show', wg0.name, 'peers')).trim()).toBe('');

    const accepted = await api.post(`/api/drift/nodes/${node.id}/reconcile`, { mode: 'peer' });
    const jobId = expectStatus(accepted, 202, 'reconcile').body.job_id;
    const peersOnNode = async () =>
      (await wg0.wg('show', wg0.name, 'peers')).trim().split('\n').filter(Boolean).length;
    const appliedBeforeKill = await eventually(
      'the reconcile to be under way',
      async () => {
        const count = await peersOnNode();
        return count >= 10 ? count : undefined;
      },
      30_000,
      5,
    );
    process.kill(agent.pid, 'SIGKILL');
    const killedAt = Date.now();
    await eventually('the killed agent to be gone', async () =>
      agent.child.exitCode !== null || agent.child.signalCode ? true : undefined,
    );
    const appliedAtKill = await peersOnNode();
    await sleep(1500);
    agent = await startAgent();
    link.retarget(Number(new URL(agent.url).port));

    const job = await eventually(
      'the job to finish',
      async () => {
        const answer = (await api.get(`/api/reconcile/jobs/${jobId}`)).body;
        return ['succeeded', 'failed'].includes(answer.status) ? answer : undefined;
      },
      60_000,
      200,
    );
    console.log(
      `agent kill: ${appliedBeforeKill}-${appliedAtKill} of ${PEERS} peers applied when the agent was killed; ` +
        `job ${job.status} after ${job.attempts} attempts, ${Date.now() - killedAt} ms after the kill`,
    );
    expect(job).toMatchObject({ status: 'succeeded', result: { verified: true, errors: [] } });
    expect(job.attempts).toBeGreaterThan(1);

    // Exactly the desired peers, each complete: addresses and preshared key as the panel holds them.
    const client = new AgentClient({ baseUrl: link.rewrite(agent.url), secret, interfaceName: wg0.name });
    let dump: Dump;
    try {
      dump = await client.dump();
    } finally {
      client.close();
    }
    expect(dump.peers.map((peer) => peer.public_key).sort()).toEqual(
      peers.map((peer) => peer.public_key).sort(),
    );
    for (const peer of peers) {
      const observed = dump.peers.find((candidate) => candidate.public_key === peer.public_key)!;
      expect(observed.allowed_ips).toEqual(peer.allowed_ips);
      expect(observed.persistent_keepalive).toBe(25);
      if (peer.has_preshared_key) {
        const config = (await api.get(`/api/peers/${peer.id}/config`)).text;
        const presharedKey = /PresharedKey = (\S+)/.exec(config)![1];
        expect(observed.preshared_key_sha256).toBe(sha256Hex(presharedKey));
      } else {
        expect(observed.preshared_key_sha256).toBeNull();
      }
    }
    const report = expectStatus(await api.get(`/api/drift/nodes/${node.id}`), 200).body;
    expect(report).toMatchObject({ status: 'in_sync', has_drift: false });
  }, 150_000);
});
