import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { Client } from 'pg';
import { createWgInterface, uniqueInterfaceName, type WgInterface } from '../agent/test/support/wg-interface';
import { startAgentInProcess, type RunningAgent } from '../agent/test/support/agent-process';
import { queuePrefix } from '../src/app.module';
import { DRIFT_SCAN_QUEUE } from '../src/modules/drift/drift-scan.processor';
import { dropDatabase, startPanel, testDatabaseUrl, type TestPanel } from './support/panel';

const INTERVAL_S = 2;
const INTERVAL_MS = INTERVAL_S * 1000;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface ScanRow {
  node_id: string;
  status: string;
  error: string | null;
  checked_at: Date;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Removes every BullMQ key of the panels' queues: an emptied Redis. */
async function emptyQueues(redis: Redis, databaseUrl: string): Promise<void> {
  const keys = await redis.keys(`${queuePrefix(databaseUrl)}:*`);
  if (keys.length > 0) await redis.del(...keys);
}

describe('scheduled drift scans with two panel instances', () => {
  const databaseUrl = testDatabaseUrl();
  const env = {
    DATABASE_URL: databaseUrl,
    DRIFT_SCAN_INTERVAL_S: String(INTERVAL_S),
    AGENT_TIMEOUT_MS: '1000',
  };
  const panels: TestPanel[] = [];
  let db: Client;
  let redis: Redis;
  let wg: WgInterface;
  let agent: RunningAgent;
  let live: string;
  let dead: string;

  const scheduledScans = async (): Promise<ScanRow[]> =>
    (
      await db.query<ScanRow>(
        `select node_id, status, error, checked_at from drift_scans where trigger = 'schedule' order by checked_at`,
      )
    ).rows;

  const register = async (panel: TestPanel, name: string, agentUrl: string, iface: string, secret: string) =>
    (
      await panel
        .as()
        .post('/api/nodes', {
          name,
          agent_url: agentUrl,
          interface: iface,
          endpoint: 'vpn.example.com',
          address_pool: name === 'live' ? '10.78.1.0/24' : '10.78.2.0/24',
          agent_secret: secret,
        })
        .expect(201)
    ).body.id as string;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    wg = await createWgInterface(uniqueInterfaceName('wgdsc'));
    agent = await startAgentInProcess({ interfaces: [wg.name] });
    panels.push(await startPanel(env));
    panels.push(await startPanel(env));
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    // Registered once both instances run, so every scan comes from a tick aligned to the interval.
    live = await register(panels[0], 'live', agent.url, wg.name, agent.secret);
    dead = await register(panels[1], 'dead', 'http://127.0.0.1:9', 'wg0', 'y'.repeat(40));
  }, 60000);

  afterAll(async () => {
    await db?.end();
    for (const panel of panels) await panel.close();
    await emptyQueues(redis, databaseUrl);
    redis?.disconnect();
    await dropDatabase(databaseUrl);
    await agent?.stop();
    await wg?.destroy();
  });

  it('scans each enabled node exactly once per interval, however many instances run', async () => {
    const started = Date.now();
    await sleep(5 * INTERVAL_MS + 1500);
    const elapsedIntervals = (Date.now() - started) / INTERVAL_MS;

    // Hold every instance's workers (a global pause) and let running scans finish, so the stored scans and
    // the queue's finished jobs describe the same moment.
    const queue = new Queue(DRIFT_SCAN_QUEUE, { connection: redis, prefix: queuePrefix(databaseUrl) });
    await queue.pause();
    while ((await queue.getActiveCount()) > 0) await sleep(50);
    const jobs = await queue.getJobs(['completed', 'failed']);
    const liveScans = (await scheduledScans()).filter((scan) => scan.node_id === live);
    await queue.resume();
    await queue.close();

    // One job per node and interval slot (its id); each job stored exactly one scan, so no slot was
    // enqueued twice by the two instances and no retry stored a second scan.
    const liveJobs = jobs.filter((job) => job.name === 'scan' && job.data.nodeId === live);
    expect(new Set(liveJobs.map((job) => job.data.slot)).size).toBe(liveJobs.length);
    expect(liveScans.length).toBe(liveJobs.length);
    expect(liveScans.length).toBeGreaterThanOrEqual(Math.floor(elapsedIntervals) - 1);
    expect(liveScans.length).toBeLessThanOrEqual(Math.ceil(elapsedIntervals) + 1);
    expect(liveScans.every((scan) => scan.status === 'in_sync')).toBe(true);
  });

  it('stores a scan of an unreachable agent as unknown once, after the retries', async () => {
    const scans = await scheduledScans();
    const deadScans = scans.filter((scan) => scan.node_id === dead);
    const liveScans = scans.filter((scan) => scan.node_id === live);
    expect(deadScans.length).toBeGreaterThanOrEqual(1);
    // Retries of one interval's scan never add scans: at most one per interval, like the live node.
    expect(deadScans.length).toBeLessThanOrEqual(liveScans.length);
    for (const scan of deadScans) {
      expect(scan.status).toBe('unknown');
      expect(scan.error).toMatch(/unreachable/);
    }
    const history = (await panels[0].as().get(`/api/drift/nodes/${dead}/history`).expect(200)).body;
    expect(history.items[0]).toMatchObject({ trigger: 'schedule', status: 'unknown' });
  });

  it('installs the schedule again at start, so an emptied Redis does not stop scanning', async () => {
    while (panels.length > 0) await panels.pop()!.close();
    await emptyQueues(redis, databaseUrl);
    const before = (await scheduledScans()).filter((scan) => scan.node_id === live).length;
    await sleep(INTERVAL_MS);
    expect((await scheduledScans()).filter((scan) => scan.node_id === live).length).toBe(before);

    panels.push(await startPanel(env));
    await sleep(2 * INTERVAL_MS + 1000);
    expect((await scheduledScans()).filter((scan) => scan.node_id === live).length).toBeGreaterThan(before);
  });

  it('ticks at a shortened interval, not once and then after the longer one it replaces', async () => {
    while (panels.length > 0) await panels.pop()!.close();
    // A day's scheduler installed afresh: BullMQ gives it an offset of the time of day, far beyond a short interval.
    await emptyQueues(redis, databaseUrl);
    panels.push(await startPanel({ ...env, DRIFT_SCAN_INTERVAL_S: '86400' }));
    // Its first tick runs at once; the scans it plans wait hours, spread over half a day.
    await sleep(INTERVAL_MS);
    await panels.pop()!.close();
    const liveScans = async () => (await scheduledScans()).filter((scan) => scan.node_id === live).length;
    const before = await liveScans();

    panels.push(await startPanel(env));
    // A replaced scheduler ticks at once too: only the ticks after that show the interval it keeps.
    await sleep(2 * INTERVAL_MS + 1000);
    const afterFirstTick = await liveScans();
    expect(afterFirstTick).toBeGreaterThan(before);
    await sleep(2 * INTERVAL_MS + 1000);
    expect(await liveScans()).toBeGreaterThan(afterFirstTick);
  });
});
