/**
 * API load while scheduled drift scans run (issue 9): C concurrent clients for D seconds against the built
 * panel, over N nodes (N wireguard-go interfaces behind one agent) scanned every S seconds.
 * Needs `npm run build` and root (it creates WireGuard interfaces).
 * Usage: npx ts-node --transpile-only scripts/bench/load-bench.ts [--clients 50] [--duration 60] [--nodes 20]
 *        [--interval 2] [--json out.json]
 */
import { Api } from '../../test/resilience/support/api';
import { runLoad, scheduledScansSince, serverErrors } from '../../test/resilience/support/load-run';
import { registerFleet, startWgFleet } from '../../test/resilience/support/wg-fleet';
import { ADMIN_TOKEN } from '../../test/support/panel';
import { BenchRow, emitRows, numberArg } from './bench-report';
import { memoryMb, spawnPanel } from './panel-process';

const row = (figure: string, target: string, measured: number, unit: string, ok = true): BenchRow => ({
  figure,
  target,
  measured,
  unit,
  floor: null,
  ratio: null,
  ok,
});

async function main(): Promise<void> {
  const clients = numberArg('clients', 50);
  const durationS = numberArg('duration', 60);
  const nodeCount = numberArg('nodes', 20);
  const intervalS = numberArg('interval', 2);
  const fleet = await startWgFleet(nodeCount, 'wgbld');
  const panel = await spawnPanel({ DRIFT_SCAN_INTERVAL_S: String(intervalS) });
  try {
    const api = new Api(panel.url, ADMIN_TOKEN);
    const nodes = await registerFleet(api, fleet, { poolBase: 120 });
    const since = new Date();
    const result = await runLoad(api, nodes, { clients, durationMs: durationS * 1000 });
    const scans = await scheduledScansSince(panel.databaseUrl, since);
    const expectedScans = (nodeCount * durationS) / intervalS;
    const errors = serverErrors(result);
    if (result.failures.length > 0) console.error(result.failures.join('\n'));
    console.log(JSON.stringify({ statuses: result.statuses, byOperation: result.byOperation }, null, 2));
    const label = `${clients} clients, ${durationS} s, ${nodeCount} nodes scanned every ${intervalS} s`;
    emitRows([
      row(`API 5xx under load (${label})`, '0', errors, 'responses', errors === 0),
      row('API throughput under load', '-', result.throughput, 'req/s'),
      row('API latency p50 under load', '-', result.p50Ms, 'ms'),
      row('API latency p99 under load', '-', result.p99Ms, 'ms'),
      row('scheduled scans during the load', `~${expectedScans}`, scans, 'scans', scans >= expectedScans / 2),
      row('panel RSS after the load', '-', memoryMb(panel.pid).rss, 'MB'),
    ]);
  } finally {
    await panel.stop();
    await fleet.destroy();
  }
}

void main();
