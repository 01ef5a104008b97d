/**
 * Reconciling N missing peers on one real node (wireguard-go, real agent), request to verified, in `batch`
 * and in `peer` mode in the same run; `peer` mode (one agent call per peer, as the seed did) is the floor the
 * batch figure is compared with. The desired peers are written as already-applied read models, so the node
 * simply lacks them, as after a node rebuild.
 *
 * Needs root, wireguard-go, PostgreSQL and Redis. Runs the panel from source in its own process.
 * Usage: npx tsx scripts/bench/reconcile-bench.ts [--peers 1000] [--json out.json]
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { signedRequest } from '../../agent/test/support/signed-request';
import { generateKeyPair } from '../../agent/test/support/wg-interface';
import { createFleetNode, FleetNode } from '../../test/reconcile-fixture';
import { seedAppliedPeers } from './seed-peers';
import { BenchRow, emitRows, numberArg } from './bench-report';
import { PanelProcess, spawnPanel } from './panel-process';

const BATCH_TARGET_MS = 1500;
const SPEEDUP_TARGET = 10;

/**
 * The panel from source (ts-node keeps Nest's decorator metadata), so no build is needed; compiling takes a
 * while, so wait for its health check longer than spawnPanel does.
 */
export async function spawnSourcePanel(env: Record<string, string> = {}): Promise<PanelProcess> {
  process.env.PANEL_NODE_ARGS ??= '-r ts-node/register/transpile-only';
  process.env.PANEL_ENTRY ??= join(__dirname, '../../src/main.ts');
  const panel = await spawnPanel(env);
  const deadline = Date.now() + 120_000;
  while (
    !(await fetch(`${panel.url}/health`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (Date.now() > deadline) {
      await panel.stop();
      throw new Error('the panel did not start within 2 minutes');
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return panel;
}

export async function api<T>(panel: PanelProcess, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${panel.url}${path}`, {
    method,
    headers: panel.headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function seedNodePeers(panel: PanelProcess, nodeId: string, count: number): Promise<void> {
  const rows = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    node_id: nodeId,
    name: `bench-${i}`,
    public_key: generateKeyPair().publicKey,
    allowed_ips: [`10.60.${Math.floor((i + 2) / 256)}.${(i + 2) % 256}/32`],
  }));
  const db = new Client({ connectionString: panel.databaseUrl });
  await db.connect();
  try {
    await seedAppliedPeers(db, rows);
  } finally {
    await db.end();
  }
}

async function wipe(node: FleetNode): Promise<void> {
  const keys = (await node.dump()).peers.map((peer) => peer.public_key);
  const answer = await signedRequest(node.url, node.secret, 'POST', `/v1/wg/${node.wg.name}/batch`, {
    body: { upsert: [], remove: keys },
  });
  if (answer.status !== 200) throw new Error(`wipe answered ${answer.status}`);
}

interface JobView {
  status: string;
  finished_at: string | null;
  result: { added: string[]; errors: unknown[]; verified: boolean } | null;
  error: string | null;
}

/** Request to a verified result, in ms (the job's own finish time, so polling adds nothing). */
async function timeReconcile(
  panel: PanelProcess,
  node: FleetNode,
  mode: string,
  peers: number,
): Promise<number> {
  await wipe(node);
  const started = Date.now();
  const { job_id } = await api<{ job_id: string }>(panel, 'POST', `/api/drift/nodes/${node.id}/reconcile`, {
    mode,
  });
  for (;;) {
    const job = await api<JobView>(panel, 'GET', `/api/reconcile/jobs/${job_id}`);
    if (job.status === 'succeeded' || job.status === 'failed') {
      if (job.status !== 'succeeded' || job.result?.added.length !== peers || !job.result.verified) {
        throw new Error(
          `${mode} reconcile did not succeed: ${JSON.stringify({ ...job, result: undefined })}`,
        );
      }
      return Date.parse(job.finished_at!) - started;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function main(): Promise<void> {
  const peers = numberArg('peers', 1000);
  const panel = await spawnSourcePanel({ AGENT_TIMEOUT_MS: '60000' });
  let node: FleetNode | null = null;
  try {
    node = await createFleetNode(
      async (body) => (await api<{ id: string }>(panel, 'POST', '/api/nodes', body)).id,
      { prefix: 'wgbr' },
    );
    await seedNodePeers(panel, node.id, peers);
    await timeReconcile(panel, node, 'batch', peers); // warm-up: connections, JIT
    const batchMs = await timeReconcile(panel, node, 'batch', peers);
    const peerMs = await timeReconcile(panel, node, 'peer', peers);
    const speedup = peerMs / batchMs;
    const rows: BenchRow[] = [
      {
        figure: `reconcile ${peers} missing peers, batch mode (request to verified)`,
        target: `<= ${BATCH_TARGET_MS} ms and >= ${SPEEDUP_TARGET}x faster than peer mode`,
        measured: batchMs,
        unit: 'ms',
        floor: peerMs,
        ratio: speedup,
        ok: batchMs <= BATCH_TARGET_MS && speedup >= SPEEDUP_TARGET,
      },
      {
        figure: `reconcile ${peers} missing peers, peer mode (request to verified)`,
        target: '-',
        measured: peerMs,
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

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
