/**
 * The panel's Redis primary killed (SIGKILL) under Redis Sentinel: a primary, one replica and three sentinels
 * on loopback, the panel configured with REDIS_SENTINELS only. The sentinels promote the replica and the
 * panel follows it: scheduled scans go on, the sync jobs of peers created just before and during the
 * failover reach the node, no peer or event is lost, and the panel keeps serving throughout.
 */
import { randomKey } from '../../agent/test/support/wg-interface';
import { startPanel, TestPanel } from '../support/panel';
import { Api, expectStatus } from './support/api';
import { consistencyViolations, noViolations } from './support/consistency';
import { apiOf, eventually, NodeRef, registerNode, sleep } from './support/fleet';
import { RedisSentinelGroup, SENTINEL_MASTER_NAME } from './support/redis-sentinel-group';
import { startWgFleet, WgFleet } from './support/wg-fleet';

/** How long the sentinels wait before acting: 1 s, or more to measure a production-like setting. */
const DOWN_AFTER_MS = Number(process.env.SENTINEL_DOWN_AFTER_MS ?? 1000);
/** Detection, then the panel's sweeps of unapplied changes, which run every 30 s. */
const RECOVERY_MS = DOWN_AFTER_MS + 60_000;

describe('Redis primary lost under Sentinel', () => {
  let redis: RedisSentinelGroup;
  let fleet: WgFleet;
  let panel: TestPanel;
  let api: Api;

  beforeAll(async () => {
    redis = await RedisSentinelGroup.start({ downAfterMs: DOWN_AFTER_MS });
    fleet = await startWgFleet(1, 'xsn');
    panel = await startPanel({
      REDIS_URL: '',
      REDIS_SENTINELS: redis.addresses,
      REDIS_SENTINEL_NAME: SENTINEL_MASTER_NAME,
      DRIFT_SCAN_INTERVAL_S: '1',
      AGENT_TIMEOUT_MS: '1500',
    });
    api = await apiOf(panel);
  }, 60_000);

  afterAll(async () => {
    await panel?.close();
    await fleet?.destroy();
    await redis?.stop();
  });

  it(
    'follows the promoted replica: scans and jobs go on, nothing is lost',
    async () => {
      const [wg] = fleet.interfaces;
      const node: NodeRef = await registerNode(api, {
        name: `sentinel-${wg.name}`,
        agent_url: fleet.agent.url,
        interface: wg.name,
        agent_secret: fleet.agent.secret,
        address_pool: '10.184.0.0/24',
        public_key: wg.publicKey,
        listen_port: wg.listenPort,
      });
      const createPeer = async (name: string): Promise<{ id: string; public_key: string }> =>
        expectStatus(
          await api.post(`/api/nodes/${node.id}/peers`, { name, public_key: randomKey() }),
          201,
          `create ${name}`,
        ).body;
      const peers = [await createPeer('before-0'), await createPeer('before-1')];
      const scheduledScansAfter = async (since: number): Promise<number> =>
        (await api.get(`/api/drift/nodes/${node.id}/history?limit=200`)).body.items.filter(
          (scan: { trigger: string; checked_at: string }) =>
            scan.trigger === 'schedule' && Date.parse(scan.checked_at) > since,
        ).length;
      const startedAt = Date.now();
      await eventually('scheduled scans before the failover', async () =>
        (await scheduledScansAfter(startedAt)) >= 2 ? true : undefined,
      );
      const allApplied = async (): Promise<boolean> => {
        const listed = (await api.get(`/api/nodes/${node.id}/peers?limit=100`)).body.items;
        return (
          listed.length === peers.length &&
          listed.every((peer: { sync_status: string }) => peer.sync_status === 'applied')
        );
      };
      await eventually('the first peers to reach the node', async () =>
        (await allApplied()) ? true : undefined,
      );

      // Changes queued just before the kill, and made while the sentinels have not yet promoted the replica.
      peers.push(await createPeer('queued-0'), await createPeer('queued-1'));
      const oldPrimaryPort = redis.primary.port;
      await redis.primary.stop();
      const killedAt = Date.now();
      const duringFailover: number[] = [];
      for (let i = 0; i < 3; i++) {
        peers.push(await createPeer(`during-${i}`));
        duringFailover.push((await api.get('/health')).status);
        await sleep(300);
      }

      const timings: Record<string, number> = {};
      const watch = async (what: string, probe: () => Promise<boolean>) => {
        await eventually(what, async () => ((await probe()) ? true : undefined), RECOVERY_MS, 100);
        timings[what] = Date.now() - killedAt;
      };
      const outcomes = await Promise.allSettled([
        watch('replica promoted', async () => (await redis.primaryPort()) === redis.replica.port),
        watch('scheduled scan', async () => (await scheduledScansAfter(killedAt)) >= 1),
        watch('peer changes applied', allApplied),
        watch('health ready', async () => (await api.get('/health')).status === 200),
      ]);
      console.log(
        `Sentinel failover: ${JSON.stringify(timings)} (ms after the primary was killed); ` +
          `/health during the failover: ${duringFailover.join(',')}`,
      );
      expect(
        outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [String(outcome.reason)] : [])),
      ).toEqual([]);
      expect(await redis.primaryPort()).not.toBe(oldPrimaryPort);

      // Scans keep coming after the promotion, not just one that was already running.
      const promotedAt = killedAt + timings['replica promoted'];
      await eventually('scans to keep coming after the promotion', async () =>
        (await scheduledScansAfter(promotedAt)) >= 3 ? true : undefined,
      );
      const dump = await wg.wg('show', wg.name, 'peers');
      for (const peer of peers) expect(dump).toContain(peer.public_key);
      const events = (await api.get(`/api/events?type=peer.created&limit=200`)).body.items as unknown[];
      expect(events).toHaveLength(peers.length);
      expect(await consistencyViolations(panel.databaseUrl)).toEqual(noViolations());
      // Errors the panel logged: only the failed readiness checks while no primary answered (no 5xx, no crash).
      const errors = panel
        .logs()
        .split('\n')
        .filter((line) => /"level":(50|60)/.test(line));
      expect(errors.filter((line) => !line.includes('"msg":"Health Check has failed!'))).toEqual([]);
    },
    DOWN_AFTER_MS + 150_000,
  );
});
