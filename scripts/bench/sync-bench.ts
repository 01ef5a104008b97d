/**
 * Apply-on-change under a burst: N peers created through the API by concurrent clients on one real node
 * (wireguard-go, real agent). Measures, per peer, the time from its create request to its presence on the
 * interface (read with `wg show`, which the agent does not see), and counts the agent calls the panel made.
 * Then changes one peer at a time on the now full node: a sync's cost should follow the change, not the node.
 *
 * Needs root, wireguard-go, PostgreSQL and Redis. Runs the panel from source in its own process.
 * Usage: npx tsx scripts/bench/sync-bench.ts [--peers 1000] [--clients 50] [--prefix wgbs] [--json out.json]
 * `--prefix` names the bench's interfaces, so benchmarks run side by side on one machine do not meet.
 */
import { createFleetNode, FleetNode } from '../../test/reconcile-fixture';
import { BenchRow, emitRows, percentile, numberArg } from './bench-report';
import { cpuSeconds } from './panel-process';
import { api, spawnSourcePanel } from './reconcile-bench';

const MAX_AGENT_CALLS = 20;
const SINGLE_CHANGES = 20;

async function main(): Promise<void> {
  const peers = numberArg('peers', 1000);
  const clients = numberArg('clients', 50);
  const panel = await spawnSourcePanel();
  let node: FleetNode | null = null;
  try {
    node = await createFleetNode(
      async (body) => (await api<{ id: string }>(panel, 'POST', '/api/nodes', body)).id,
      {
        prefix: process.argv.includes('--prefix')
          ? process.argv[process.argv.indexOf('--prefix') + 1]
          : 'wgbs',
      },
    );
    node.resetRequests();
    const requestedAt = new Map<string, number>();
    const presentAt = new Map<string, number>();
    const createdIds: string[] = [];
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
          const created = await api<{ id: string; public_key: string }>(
            panel,
            'POST',
            `/api/nodes/${node!.id}/peers`,
            {
              name: `burst-${index}`,
            },
          );
          requestedAt.set(created.public_key, at);
          createdIds.push(created.id);
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

    // One change at a time, each waited for on the interface.
    const singleLatencies: number[] = [];
    const cpuBefore = cpuSeconds(panel.pid);
    for (const [i, id] of createdIds.slice(0, SINGLE_CHANGES).entries()) {
      const keepalive = 10 + i;
      const at = Date.now();
      const { public_key } = await api<{ public_key: string }>(panel, 'PATCH', `/api/peers/${id}`, {
        persistent_keepalive: keepalive,
      });
      while (
        !(await node.wg.wg('show', node.wg.name, 'persistent-keepalive')).includes(
          `${public_key}\t${keepalive}`,
        )
      ) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      singleLatencies.push(Date.now() - at);
    }
    const cpuPerChange = ((cpuSeconds(panel.pid) - cpuBefore) * 1000) / SINGLE_CHANGES;
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
      {
        figure: `one-peer change on the ${peers}-peer node, request to applied (p50 of ${SINGLE_CHANGES})`,
        target: '-',
        measured: percentile(singleLatencies, 50),
        unit: 'ms',
        floor: null,
        ratio: null,
        ok: true,
      },
      {
        figure: `panel CPU per one-peer change on the ${peers}-peer node`,
        target: '-',
        measured: cpuPerChange,
        unit: 'ms',
        floor: null,
        ratio: null,
        ok: true,
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
