/**
 * Peer-creation throughput through the REST API: N peers on one node from C concurrent clients.
 * Needs `npm run build`. Usage: npx ts-node --transpile-only scripts/bench/peer-create-bench.ts [--peers 10000] [--clients 8] [--json out.json]
 */
import { performance } from 'node:perf_hooks';
import { BenchRow, emitRows, percentile, numberArg } from './bench-report';
import { spawnPanel } from './panel-process';

async function main(): Promise<void> {
  const peers = numberArg('peers', 10000);
  const clients = numberArg('clients', 8);
  const panel = await spawnPanel();
  try {
    const { url: base, headers } = panel;
    const node = (await (
      await fetch(`${base}/api/nodes`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          name: 'bench',
          agent_url: 'http://127.0.0.1:9',
          interface: 'wg0',
          endpoint: 'bench.example.com',
          address_pool: '10.64.0.0/16',
          listen_port: 51820,
          public_key: Buffer.alloc(32, 1).toString('base64'),
          agent_secret: 's'.repeat(40),
        }),
      })
    ).json()) as { id: string };
    const latencies: number[] = [];
    let next = 0;
    let failures = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < peers) {
          const i = next++;
          const t0 = performance.now();
          const response = await fetch(`${base}/api/nodes/${node.id}/peers`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ name: `peer-${i}` }),
          });
          await response.arrayBuffer();
          if (response.status !== 201) failures++;
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const throughput = peers / seconds;
    const rows: BenchRow[] = [
      {
        figure: `peer creation via REST (${peers} peers, ${clients} clients)`,
        target: '>= 400 peers/s',
        measured: throughput,
        unit: 'peers/s',
        floor: null,
        ratio: null,
        ok: throughput >= 400 && failures === 0,
      },
      {
        figure: 'peer creation latency p50',
        target: '-',
        measured: percentile(latencies, 50),
        unit: 'ms',
        floor: null,
        ratio: null,
        ok: true,
      },
      {
        figure: 'peer creation latency p99',
        target: '-',
        measured: percentile(latencies, 99),
        unit: 'ms',
        floor: null,
        ratio: null,
        ok: true,
      },
    ];
    if (failures) console.error(`${failures} creations failed`);
    emitRows(rows);
  } finally {
    await panel.stop();
  }
}

void main();
