/**
 * Redis restarted with everything in it lost (issue 9), while scans are scheduled, a reconcile job is waiting
 * for its agent, a sync is pending and a webhook delivery is being retried. The panel keeps running; the
 * schedule comes back and the unfinished work is re-enqueued from PostgreSQL: nothing is lost.
 * The Redis is a private one on its own port, so restarting it disturbs no other test run.
 */
import { randomKey } from '../../agent/test/support/wg-interface';
import { startPanel, TestPanel } from '../support/panel';
import { WebhookReceiver } from '../support/webhook-receiver';
import { Api, expectStatus } from './support/api';
import { apiOf, eventually, NodeRef, registerNode } from './support/fleet';
import { PrivateRedis } from './support/redis-server';
import { TcpProxy } from './support/tcp-proxy';
import { startWgFleet, WgFleet } from './support/wg-fleet';

/** How long the panel may take to notice and re-enqueue (its sweeps run every 30 s). */
const RECOVERY_MS = 45_000;

describe('Redis restarted while work is queued', () => {
  let redis: PrivateRedis;
  let fleet: WgFleet;
  let agentLink: TcpProxy;
  let receiver: WebhookReceiver;
  let panel: TestPanel;
  let api: Api;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    fleet = await startWgFleet(2, 'wgrrd');
    agentLink = await TcpProxy.start(Number(new URL(fleet.agent.url).port));
    receiver = await WebhookReceiver.start();
    panel = await startPanel({
      REDIS_URL: redis.url,
      DRIFT_SCAN_INTERVAL_S: '2',
      AGENT_TIMEOUT_MS: '1500',
      WEBHOOK_RETRY_SCHEDULE: Array(30).fill('2s').join(','),
      WEBHOOK_FLAP_HOLD_S: '0',
    });
    api = await apiOf(panel);
  });

  afterAll(async () => {
    await panel?.close();
    await receiver?.stop();
    await agentLink?.close();
    await fleet?.destroy();
    await redis?.stop();
  });

  it('brings back the scan schedule, the reconcile job, the sync and the webhook delivery', async () => {
    const [healthyWg, downWg] = fleet.interfaces;
    const register = (wg: typeof healthyWg, agentUrl: string, pool: string): Promise<NodeRef> =>
      registerNode(api, {
        name: `redis-${wg.name}`,
        agent_url: agentUrl,
        interface: wg.name,
        agent_secret: fleet.agent.secret,
        address_pool: pool,
        public_key: wg.publicKey,
        listen_port: wg.listenPort,
      });
    const healthy = await register(healthyWg, fleet.agent.url, '10.71.0.0/24');
    const down = await register(downWg, agentLink.rewrite(fleet.agent.url), '10.72.0.0/24');
    const webhook = expectStatus(await api.post('/api/webhooks', { url: receiver.url() }), 201).body;
    await eventually('the second node to be seen reachable once', async () => {
      const history = (await api.get(`/api/drift/nodes/${down.id}/history?limit=10`)).body.items;
      return history.some((scan: { status: string }) => scan.status !== 'unknown') ? true : undefined;
    });
    // Then its agent goes "down" (its link resets) until after the restart, and so does the webhook receiver:
    // the alert about the unreachable node stays in retry.
    agentLink.setMode('reset');
    await receiver.stop();

    // Pending work of every kind: a sync of new peers, a reconcile job, a webhook delivery in retry.
    const peers = [];
    for (let i = 0; i < 3; i++) {
      peers.push(
        expectStatus(
          await api.post(`/api/nodes/${down.id}/peers`, { name: `pending-${i}`, public_key: randomKey() }),
          201,
        ).body,
      );
    }
    const job = expectStatus(await api.post('/api/drift/reconcile', { node_ids: [down.id] }), 202).body
      .jobs[0];
    const deliveries = async (): Promise<
      Array<{ id: string; webhook_id: string; status: string; attempt_count: number }>
    > => (await api.get(`/api/webhooks/${webhook.id}/deliveries?limit=1000`)).body.items;
    const pendingDeliveries = await eventually(
      'a delivery of the alert to have failed once',
      async () => {
        const pending = (await deliveries()).filter(
          (delivery) => delivery.status === 'pending' && delivery.attempt_count >= 1,
        );
        return pending.length > 0 ? pending : undefined;
      },
      30_000,
    );
    await eventually('the reconcile job to have tried', async () => {
      const answer = await api.get(`/api/reconcile/jobs/${job.job_id}`);
      return answer.body.attempts >= 1 && ['queued', 'running'].includes(answer.body.status)
        ? true
        : undefined;
    });

    await redis.restart();
    const restartedAt = Date.now();
    agentLink.setMode('forward');
    await receiver.restart();

    const scansAfter = async (nodeId: string) =>
      (await api.get(`/api/drift/nodes/${nodeId}/history?limit=100`)).body.items.filter(
        (scan: { trigger: string; checked_at: string }) =>
          scan.trigger === 'schedule' && Date.parse(scan.checked_at) > restartedAt,
      ).length;
    const timings: Record<string, number> = {};
    const watch = async (what: string, probe: () => Promise<boolean>) => {
      await eventually(what, async () => ((await probe()) ? true : undefined), RECOVERY_MS, 250);
      timings[what] = Date.now() - restartedAt;
    };
    const outcomes = await Promise.allSettled([
      watch('scheduled scans', async () => (await scansAfter(healthy.id)) >= 2),
      watch(
        'reconcile job',
        async () => (await api.get(`/api/reconcile/jobs/${job.job_id}`)).body.status === 'succeeded',
      ),
      watch('peer sync', async () => {
        const listed = (await api.get(`/api/nodes/${down.id}/peers`)).body.items;
        return (
          listed.length === peers.length &&
          listed.every((peer: { sync_status: string }) => peer.sync_status === 'applied')
        );
      }),
      watch('webhook delivery', async () => {
        const now = await deliveries();
        return pendingDeliveries.every(
          (before) =>
            now.find((delivery) => delivery.id === before.id)?.status === 'delivered' &&
            receiver.received.some((hook) => hook.headers['webhook-id'] === before.webhook_id),
        );
      }),
    ]);
    console.log(`Redis restart: recovered after ${JSON.stringify(timings)} (ms after the restart)`);
    expect(
      outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [String(outcome.reason)] : [])),
    ).toEqual([]);
    const dump = await downWg.wg('show', downWg.name, 'peers');
    for (const peer of peers) expect(dump).toContain(peer.public_key);
  }, 120_000);
});
