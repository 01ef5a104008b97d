/**
 * Peer-creation throughput through the REST API: N peers on one node from C concurrent clients, each
 * authenticated with a created write token as an operator's script would be.
 * Needs `npm run build`. Usage: npx ts-node --transpile-only scripts/bench/peer-create-bench.ts [--peers 10000] [--clients 8] [--json out.json]
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { BenchRow, emitRows, percentile, numberArg } from './bench-report';
import {
  cpuSeconds,
  PanelProcess,
  postgresCpu,
  postgresCpuSince,
  spawnPanel,
  tokenHeaders,
} from './panel-process';

/** What creating peers through the API measured: wall time, each request's latency, failures. */
export interface CreationRun {
  seconds: number;
  latencies: number[];
  failures: number;
}

/** Creates `peers` peers on a new node of `panel` from `clients` concurrent clients with a write token. */
export async function createPeersThroughApi(
  panel: PanelProcess,
  peers: number,
  clients: number,
): Promise<CreationRun> {
  const base = panel.url;
  const headers = await tokenHeaders(panel, 'write');
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
  // The clients share this process: node:http with keep-alive costs them a fraction of what fetch costs,
  // so on a 2-core box the measurement is of the panel, not of its load generator.
  const http = new Agent({ keepAlive: true, maxSockets: clients });
  const target = new URL(`${base}/api/nodes/${node.id}/peers`);
  const create = (i: number) =>
    new Promise<number>((resolve, reject) => {
      const body = JSON.stringify({ name: `peer-${i}` });
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent: http,
          headers: { ...headers, 'Content-Length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < peers) {
        const i = next++;
        const t0 = performance.now();
        if ((await create(i)) !== 201) failures++;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  http.destroy();
  return { seconds: (performance.now() - started) / 1000, latencies, failures };
}

async function main(): Promise<void> {
  const peers = numberArg('peers', 10000);
  const clients = numberArg('clients', 8);
  const panel = await spawnPanel();
  try {
    const panelCpuBefore = cpuSeconds(panel.pid);
    const clientCpuBefore = process.cpuUsage();
    const databaseCpuBefore = postgresCpu();
    const { seconds, latencies, failures } = await createPeersThroughApi(panel, peers, clients);
    const panelCpuMs = ((cpuSeconds(panel.pid) - panelCpuBefore) * 1000) / peers;
    const databaseCpuMs = (postgresCpuSince(databaseCpuBefore) * 1000) / peers;
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const clientCpuMs = (clientCpu.user + clientCpu.system) / 1000 / peers;
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
      {
        figure: 'panel CPU per created peer',
        target: '-',
        measured: panelCpuMs,
        unit: 'ms',
        floor: null,
        ratio: null,
        ok: true,
      },
      {
        figure: 'PostgreSQL CPU per created peer',
        target: '-',
        measured: databaseCpuMs,
        unit: 'ms',
        floor: null,
        ratio: null,
        ok: true,
      },
      {
        figure: 'load generator CPU per created peer',
        target: '-',
        measured: clientCpuMs,
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

if (require.main === module) void main();
