/**
 * PostgreSQL out of reach for a while (issue 9), made with a TCP proxy between the panel and the shared
 * PostgreSQL (stopping PostgreSQL itself would break every other test run on the machine): API calls fail
 * fast with 503, /health says not ready, the panel recovers by itself, and nothing is half-written.
 */
import { performance } from 'node:perf_hooks';
import { dropDatabase, startPanel, TestPanel, testDatabaseUrl } from '../support/panel';
import { Api, ApiAnswer, expectStatus } from './support/api';
import { consistencyViolations, noViolations } from './support/consistency';
import { apiOf, eventually, sleep } from './support/fleet';
import { TcpProxy } from './support/tcp-proxy';
import { registerFleet, startWgFleet, WgFleet } from './support/wg-fleet';

const OUTAGE_MS = 6000;
/** What "fail fast" means here: well under a client's usual 30 s timeout. */
const FAST_MS = 3000;

interface Outcome {
  status: number;
  ms: number;
  at: number;
  peerId?: string;
}

describe('PostgreSQL outage', () => {
  const databaseUrl = testDatabaseUrl();
  let proxy: TcpProxy;
  let fleet: WgFleet;
  let panel: TestPanel;
  let api: Api;

  beforeAll(async () => {
    proxy = await TcpProxy.start(5432);
    fleet = await startWgFleet(2, 'wgrpg');
    panel = await startPanel({
      DATABASE_URL: proxy.rewrite(databaseUrl),
      DRIFT_SCAN_INTERVAL_S: '1',
      AGENT_TIMEOUT_MS: '2000',
    });
    api = await apiOf(panel);
  });

  afterAll(async () => {
    // A 5xx other than 503 is a bug: show what the panel logged for it.
    for (const line of panel?.logs().split('\n') ?? [])
      if (line.includes('"level":50')) console.log(line.slice(0, 1500));
    proxy?.setMode('forward');
    await panel?.close();
    await fleet?.destroy();
    await proxy?.close();
    await dropDatabase(databaseUrl);
  });

  it('answers 503 fast while it is gone, recovers without a restart, and leaves nothing half-written', async () => {
    const nodes = await registerFleet(api, fleet, { poolBase: 60 });
    const timed = async (call: () => Promise<ApiAnswer>): Promise<ApiAnswer & { ms: number }> => {
      const started = performance.now();
      const answer = await call();
      return { ...answer, ms: performance.now() - started };
    };

    // Writers and readers keep going through the whole outage.
    const outcomes: Outcome[] = [];
    let running = true;
    const client = async (i: number) => {
      for (let n = 0; running; n++) {
        const node = nodes[(i + n) % nodes.length];
        const answer = await timed(() =>
          n % 3 === 0
            ? api.get(`/api/nodes/${node.id}/peers?limit=20`)
            : api.post(`/api/nodes/${node.id}/peers`, {
                name: `w${i}-${n}`,
                generate_preshared_key: n % 2 === 0,
              }),
        );
        outcomes.push({
          status: answer.status,
          ms: answer.ms,
          at: Date.now(),
          peerId: answer.status === 201 ? answer.body.id : undefined,
        });
        await sleep(20);
      }
    };
    const clients = Array.from({ length: 4 }, (_, i) => client(i));
    await sleep(2500);
    expectStatus(await api.get('/health'), 200, 'health before the outage');

    proxy.setMode('reset');
    const cutAt = Date.now();
    const health = await eventually('health to report PostgreSQL down', async () => {
      const answer = await timed(() => api.get('/health'));
      return answer.status === 503 ? answer : undefined;
    });
    expect(JSON.stringify(health.body)).toMatch(/postgresql/);
    const duringOutage: Array<ApiAnswer & { ms: number }> = [];
    while (Date.now() - cutAt < OUTAGE_MS) {
      duringOutage.push(await timed(() => api.get('/api/nodes')));
      duringOutage.push(await timed(() => api.patch(`/api/nodes/${nodes[0].id}`, { override_mtu: 1400 })));
      await sleep(200);
    }

    proxy.setMode('forward');
    const restoredAt = Date.now();
    await eventually(
      'the API to answer again',
      async () => ((await api.get('/api/nodes')).status === 200 ? true : undefined),
      30_000,
    );
    const apiBackMs = Date.now() - restoredAt;
    await eventually(
      'health to report ready',
      async () => ((await api.get('/health')).status === 200 ? true : undefined),
      30_000,
    );
    const healthBackMs = Date.now() - restoredAt;
    // Scheduled scans resume on their own.
    const scansBefore = (await api.get(`/api/drift/nodes/${nodes[0].id}/history?limit=500`)).body.items
      .length;
    await eventually(
      'scheduled scans to resume',
      async () => {
        const history = await api.get(`/api/drift/nodes/${nodes[0].id}/history?limit=500`);
        return history.body.items.length > scansBefore ? true : undefined;
      },
      15_000,
    );
    await sleep(1000);
    running = false;
    await Promise.all(clients);

    const outageAnswers = [...duringOutage.slice(2)];
    const statuses = new Set(outageAnswers.map((answer) => answer.status));
    console.log(
      `PostgreSQL outage: ${outageAnswers.length} calls during the outage answered ${[...statuses].join('/')}; ` +
        `slowest ${Math.round(Math.max(...outageAnswers.map((answer) => answer.ms)))} ms; ` +
        `API back ${apiBackMs} ms and /health ready ${healthBackMs} ms after PostgreSQL returned; ` +
        `${outcomes.length} background calls: ${summarise(outcomes)}`,
    );
    expect([...statuses]).toEqual([503]);
    expect(outageAnswers.every((answer) => answer.body?.error?.code === 'unavailable')).toBe(true);
    expect(Math.max(...outageAnswers.map((answer) => answer.ms))).toBeLessThan(FAST_MS);
    // The background clients saw answers or 503s, never another 5xx.
    expect(outcomes.filter((outcome) => outcome.status >= 500 && outcome.status !== 503)).toEqual([]);
    expect(outcomes.some((outcome) => outcome.status === 503)).toBe(true);
    // Creations too: a call made while PostgreSQL was gone is answered then, not held until it is back.
    const madeDuringOutage = outcomes.filter(
      (outcome) => outcome.at - outcome.ms > cutAt + 500 && outcome.at - outcome.ms < restoredAt - FAST_MS,
    );
    expect(madeDuringOutage.length).toBeGreaterThan(0);
    expect(madeDuringOutage.filter((outcome) => outcome.ms >= FAST_MS || outcome.status !== 503)).toEqual([]);
    expect(
      outcomes
        .filter((outcome) => outcome.at > restoredAt + healthBackMs + 1000)
        .every((o) => o.status < 500),
    ).toBe(true);

    // Every acknowledged creation is there, and the store is consistent with its event log.
    const acknowledged = outcomes.flatMap((outcome) => (outcome.peerId ? [outcome.peerId] : []));
    for (const id of acknowledged)
      expectStatus(await api.get(`/api/peers/${id}`), 200, `acknowledged peer ${id}`);
    expect(await consistencyViolations(databaseUrl)).toEqual(noViolations());
  }, 120_000);
});

function summarise(outcomes: Outcome[]): string {
  const counts = new Map<number, number>();
  for (const outcome of outcomes) counts.set(outcome.status, (counts.get(outcome.status) ?? 0) + 1);
  return [...counts].map(([status, count]) => `${count}×${status}`).join(', ');
}
