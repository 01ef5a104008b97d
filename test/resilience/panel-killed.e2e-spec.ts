/**
 * A panel instance killed (SIGKILL) with a job in flight while a second instance keeps running (issue 9):
 * BullMQ sees the job stalled once its lock expires, the survivor takes it over, and it completes.
 * Both panels are the built panel (dist/main.js, `npm run build`) in their own processes, sharing one
 * database and one Redis, as in production.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startAgentInProcess, type RunningAgent } from '../../agent/test/support/agent-process';
import { createWgInterface, uniqueInterfaceName, WgInterface } from '../../agent/test/support/wg-interface';
import { PanelProcess, spawnPanel } from '../../scripts/bench/panel-process';
import { ADMIN_TOKEN, dropDatabase } from '../support/panel';
import { Api, expectStatus } from './support/api';
import { eventually, listAll, registerNode } from './support/fleet';
import { TcpProxy } from './support/tcp-proxy';

const PANEL_MAIN = join(__dirname, '..', '..', 'dist', 'main.js');
const ENV = { DRIFT_SCAN_INTERVAL_S: '86400', AGENT_TIMEOUT_MS: '60000' };

describe('a panel instance killed with a job in flight', () => {
  let wg0: WgInterface;
  let agent: RunningAgent;
  let link: TcpProxy;
  let first: PanelProcess | undefined;
  let second: PanelProcess | undefined;

  beforeAll(async () => {
    if (!existsSync(PANEL_MAIN)) throw new Error(`${PANEL_MAIN} is missing: run npm run build first`);
    wg0 = await createWgInterface(uniqueInterfaceName('wgrpk'));
    agent = await startAgentInProcess({ interfaces: [wg0.name] });
    link = await TcpProxy.start(Number(new URL(agent.url).port));
    first = await spawnPanel(ENV);
  });

  afterAll(async () => {
    if (first) {
      try {
        process.kill(first.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await second?.stop();
    if (first) await dropDatabase(first.databaseUrl);
    await agent?.stop();
    await link?.close();
    await wg0?.destroy();
  });

  it('lets the surviving instance take over the killed one’s job', async () => {
    const viaFirst = new Api(first!.url, ADMIN_TOKEN);
    const node = await registerNode(viaFirst, {
      agent_url: link.rewrite(agent.url),
      interface: wg0.name,
      agent_secret: agent.secret,
      address_pool: '10.91.0.0/24',
      public_key: wg0.publicKey,
      listen_port: wg0.listenPort,
    });
    for (let i = 0; i < 5; i++)
      expectStatus(await viaFirst.post(`/api/nodes/${node.id}/peers`, { name: `k${i}` }), 201);
    const peers = await eventually(
      'the peers to be applied',
      async () => {
        const listed = await listAll<{ public_key: string; sync_status: string }>(
          viaFirst,
          `/api/nodes/${node.id}/peers`,
        );
        return listed.every((peer) => peer.sync_status === 'applied') ? listed : undefined;
      },
      30_000,
    );
    await wg0.wg('set', wg0.name, ...peers.flatMap((peer) => ['peer', peer.public_key, 'remove']));

    // The agent now hangs: the job the first panel picks up stays in flight.
    link.setMode('blackhole');
    const jobId = expectStatus(await viaFirst.post('/api/drift/reconcile', { node_ids: [node.id] }), 202).body
      .jobs[0].job_id;
    await eventually('the first panel to be running the job', async () =>
      (await viaFirst.get(`/api/reconcile/jobs/${jobId}`)).body.status === 'running' ? true : undefined,
    );

    second = await spawnPanel({ ...ENV, DATABASE_URL: first!.databaseUrl });
    const viaSecond = new Api(second.url, ADMIN_TOKEN);
    expectStatus(await viaSecond.get('/health'), 200);
    process.kill(first!.pid, 'SIGKILL');
    const killedAt = Date.now();
    link.setMode('forward');
    // A change made through the survivor right after the kill.
    const added = expectStatus(
      await viaSecond.post(`/api/nodes/${node.id}/peers`, { name: 'after-kill' }),
      201,
    ).body as { public_key: string };

    // The killed panel's job lock expires within seconds (NODE_JOBS_WORKER_OPTIONS); the wait allows for a
    // loaded machine, not for BullMQ's default 30 s lock and 30 s stalled check.
    const job = await eventually(
      'the second panel to finish the job',
      async () => {
        const answer = (await viaSecond.get(`/api/reconcile/jobs/${jobId}`)).body;
        return ['succeeded', 'failed'].includes(answer.status) ? answer : undefined;
      },
      20_000,
      250,
    );
    const takeoverMs = Date.now() - killedAt;
    const onNode = async () => (await wg0.wg('show', wg0.name, 'peers')).trim().split('\n').sort();
    await eventually(
      'the change made through the survivor to reach the node',
      async () => ((await onNode()).includes(added.public_key) ? true : undefined),
      20_000,
      250,
    );
    const changeMs = Date.now() - killedAt;
    console.log(
      `panel kill: the job ${job.status} on the surviving panel ${takeoverMs} ms after the kill; ` +
        `a change made through it reached the node after ${changeMs} ms`,
    );
    expect(job.status).toBe('succeeded');
    expect(await onNode()).toEqual([...peers.map((peer) => peer.public_key), added.public_key].sort());
  }, 120_000);
});
