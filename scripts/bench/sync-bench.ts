/**
 * Apply-on-change under a burst: N peers created through the API by concurrent clients on one real node
 * (wireguard-go, real agent). Measures, per peer, the time from its create request to its presence on the
 * interface (read with `wg show`, which the agent does not see), and counts the agent calls the panel made.
 *
 * Needs root, wireguard-go, PostgreSQL and Redis. Runs the panel from source in its own process.
 * Usage: npx tsx scripts/bench/sync-bench.ts [--peers 1000] [--clients 50] [--json out.json]
 */
import { createFleetNode, FleetNode } from '../../test/reconcile-fixture';
import { BenchRow, emitRows, percentile, numberArg } from './bench-report';
import { api, spawnSourcePanel } from './reconcile-bench';

const MAX_AGENT_CALLS = 20;

async function main(): Promise<void> {
  const peers = numberArg('peers', 1000);
  const clients = numberArg('clients', 50);
  const panel = await spawnSourcePanel();
  let node: FleetNode | null = null;
  try {
    node = await createFleetNode(
      async (body) => (await api<{ id: string }>(panel, 'POST', '/api/nodes', body)).id,
      { prefix: 'wgbs' },
    );
    node.resetRequests();
    const requestedAt = new Map<string, number>();
    const presentAt = new Map<string, number>();
    let creating = true;
    const watcher = (async () => {
      while (creating || presentAt.size < requestedAt.size) {
        const keys = (await node!.wg.wg('show', node!.wg.name, 'peers')).split('\n').filter(Boolean);
        const now = Date.now();
        for (const key of keys) if (!presentAt.has(key)) presentAt.set(key, now);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < peers) {
          const index = next++;
          const at = Date.now();
          const created = await api<{ public_key: string }>(panel, 'POST', `/api/nodes/${node!.id}/peers`, {
            name: `burst-${index}`,
          });
          requestedAt.set(created.public_key, at);
        }
      }),
    );
    const createdMs = Date.now() - started;
    creating = false;
    await Promise.race([
      watcher,
      new Promise((_, reject) => setTimeout(() => reject(new Error('peers missing after 60 s')), 60_000)),
    ]);
    const latencies = [...requestedAt].map(([key, at]) => presentAt.get(key)! - at);
    const calls = node.requests().length;
    const rows: BenchRow[] = [
      {
        figure: `create to present on node, p50 (${peers}-peer burst)`,
        target: '-',
        measured: percentile(latencies, 50),
        unit: 'ms',
        floor: null,
        ratio: null,
        ok: true,
      },
      {
        figure: `create to present on node, p99 (${peers}-peer burst)`,
        target: '-',
        measured: percentile(latencies, 99),
        unit: 'ms',
        floor: null,
        ratio: null,
        ok: true,
      },
      {
        figure: `agent calls for a ${peers}-peer burst (created in ${createdMs} ms)`,
        target: `<= ${MAX_AGENT_CALLS}`,
        measured: calls,
        unit: 'calls',
        floor: null,
        ratio: null,
        ok: calls <= MAX_AGENT_CALLS,
      },
    ];
    emitRows(rows);
  } finally {
    await node?.destroy();
    await panel.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
