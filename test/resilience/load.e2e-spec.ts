/**
 * Load held (issue 9): 50 concurrent API clients while scheduled scans run over 20 nodes (20 wireguard-go
 * interfaces behind one agent, a scan of each every 2 s). Not a single 5xx. RESILIENCE_LOAD_S sets the
 * duration (default 15 s); scripts/bench/load-bench.ts runs the same load for 60 s against the built panel.
 */
import { startPanel, TestPanel } from '../support/panel';
import { Api } from './support/api';
import { apiOf, NodeRef } from './support/fleet';
import { runLoad, scheduledScansSince, serverErrors } from './support/load-run';
import { registerFleet, startWgFleet, WgFleet } from './support/wg-fleet';

const NODES = 20;
const CLIENTS = 50;
const SCAN_INTERVAL_S = 2;
const DURATION_S = Number(process.env.RESILIENCE_LOAD_S ?? 15);

describe('load while scheduled scans run', () => {
  let fleet: WgFleet;
  let panel: TestPanel;
  let api: Api;
  let nodes: NodeRef[];

  beforeAll(async () => {
    fleet = await startWgFleet(NODES, 'wgrld');
    panel = await startPanel({ DRIFT_SCAN_INTERVAL_S: String(SCAN_INTERVAL_S), LOG_LEVEL: 'warn' });
    api = await apiOf(panel);
    nodes = await registerFleet(api, fleet, { poolBase: 120 });
  }, 120_000);

  afterAll(async () => {
    await panel?.close();
    await fleet?.destroy();
  });

  it(
    `serves ${CLIENTS} clients for ${DURATION_S} s without a 5xx`,
    async () => {
      const since = new Date();
      const result = await runLoad(api, nodes, { clients: CLIENTS, durationMs: DURATION_S * 1000 });
      const scans = await scheduledScansSince(panel.databaseUrl, since);
      console.log(
        `load: ${result.requests} requests in ${result.seconds.toFixed(1)} s = ${result.throughput.toFixed(0)} req/s, ` +
          `p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms, statuses ${JSON.stringify(result.statuses)}, ` +
          `${scans} scheduled scans of ${NODES} nodes meanwhile; by request: ${JSON.stringify(result.byOperation)}`,
      );
      expect(result.failures).toEqual([]);
      expect(serverErrors(result)).toBe(0);
      // Scans ran all along (at least a round of the fleet); how close they stay to their interval depends
      // on the CPU this process shares with the panel, the agent and the clients, and is reported above.
      expect(scans).toBeGreaterThanOrEqual(NODES);
    },
    (DURATION_S + 60) * 1000,
  );
});
