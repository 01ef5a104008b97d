/**
 * Fleet scale on a SIMULATED fleet (scripts/bench/fleet: the real agent program per node over an in-memory
 * wg, all in one process on loopback ports): N nodes × P peers, by default 1,000 × 1,000.
 *
 * 1. Nodes are registered through the REST API of two panels sharing PostgreSQL and Redis (each registration
 *    asks its agent), then A peers per node are created through the same two APIs and applied by sync.
 * 2. The remaining peers are written straight into the read models (seed-peers.ts) and start on the agents.
 * 3. Scheduled scans at `--interval` seconds: `--slots` full scans with one panel, then as many with two.
 *    Per full scan: wall time from the tick to the last stored scan, CPU and peak RSS of each panel, CPU of
 *    this database's PostgreSQL backends, rows written (pg_stat_user_tables) and bytes the tables grew.
 *    With two panels every node must be scanned exactly once per slot.
 *
 * `--rollout` stops after step 1 and compares, over the whole fleet, a bulk reconcile (POST /api/drift/reconcile)
 * with a rollout of the same reconcile (POST /api/rollouts: 5 waves, 0-s bake): wall time until every node is
 * done and both panels' CPU. The gate arithmetic alone is `rollout-gate-bench.ts`.
 *
 * `--create-seconds` stops sending creations after that long (the figures are then of those sent).
 * `--create-only` stops after step 1 and says where the creations' time went: request latency, panel and
 * PostgreSQL CPU per peer, creation transactions and sync runs (each writes its peers' sync state at one time).
 *
 * Needs PostgreSQL, Redis and a built panel (`npm run build`); no root, no WireGuard.
 * Usage: node -r ts-node/register/transpile-only scripts/bench/fleet-bench.ts [--nodes 1000] [--peers 1000]
 *        [--api-peers 100] [--interval 60] [--slots 2] [--clients 16] [--active-share 0.1] [--drifted-every 20]
 *        [--create-only | --rollout] [--create-seconds 1200] [--json out.json] [--memory-sample /tmp/prefix]
 * `--memory-sample` preloads memory-sampler.js into the measured panels: what their RSS is made of at its peak
 * (V8 heap spaces, external buffers, the rest) goes to `<prefix>.<pid>.json` and is printed after each phase.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { dropDatabase, testDatabaseUrl } from '../../test/support/panel';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { queuePrefix } from '../../src/app.module';
import { DRIFT_SCAN_QUEUE, DRIFT_SCAN_SCHEDULER_ID } from '../../src/modules/drift/drift-scan.processor';
import { scanDelayMs } from '../../src/modules/drift/scan-slots';
import { BenchRow, emitRows, numberArg, percentile, stringArg } from './bench-report';
import { cpuSeconds, memoryMb, spawnPanel, type PanelProcess } from './panel-process';
import { seedAppliedPeers, type SeedPeer } from './seed-peers';
import {
  fleetPeer,
  isDriftedNode,
  nodeAddressPool,
  UNKNOWN_PEERS_PER_DRIFTED_NODE,
  type SimulatedAgent,
} from './fleet/simulated-fleet';

const ROOT = join(__dirname, '../..');
const SEED = 'fleet-bench';
const SCANS_PER_DAY_AT_5_MIN = (24 * 60) / 5;
/** The default of DRIFT_HISTORY_DAYS. */
const HISTORY_DAYS = 30;

interface Simulator {
  pid: number;
  secret: string;
  agents: SimulatedAgent[];
  stop(): Promise<void>;
}

async function startSimulator(args: string[]): Promise<Simulator> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--require', 'ts-node/register/transpile-only', 'scripts/bench/fleet/fleet-simulator.ts', ...args],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    if (!line.startsWith('READY ')) continue;
    const ready = JSON.parse(line.slice('READY '.length)) as { secret: string; agents: SimulatedAgent[] };
    return {
      pid: child.pid!,
      ...ready,
      stop: async () => {
        child.kill('SIGTERM');
        if (child.exitCode === null) await once(child, 'exit');
      },
    };
  }
  throw new Error(`the fleet simulator exited (${child.exitCode}) before it was ready`);
}

/** POSTs over keep-alive node:http: a fraction of fetch's CPU, so the load generator stays out of the way. */
class ApiClient {
  private readonly http: Agent;
  private readonly target: URL;

  constructor(
    private readonly panel: PanelProcess,
    sockets: number,
  ) {
    this.http = new Agent({ keepAlive: true, maxSockets: sockets });
    this.target = new URL(panel.url);
  }

  post(path: string, body: unknown): Promise<{ status: number; body: string }> {
    const text = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.target.hostname,
          port: this.target.port,
          path,
          method: 'POST',
          agent: this.http,
          headers: { ...this.panel.headers, 'Content-Length': Buffer.byteLength(text) },
        },
        (res) => {
          let answer = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: answer }));
        },
      );
      req.on('error', reject);
      req.end(text);
    });
  }

  close(): void {
    this.http.destroy();
  }
}

/**
 * Runs `count` calls from `clients` concurrent workers, or as many as start within `maxSeconds`; counts the
 * ones that did not answer `expected`.
 */
async function driveApi(
  count: number,
  clients: number,
  call: (index: number) => Promise<{ status: number; body: string }>,
  expected: number,
  maxSeconds = Infinity,
): Promise<{
  calls: number;
  seconds: number;
  errors: number;
  firstError: string | null;
  latenciesMs: number[];
}> {
  let next = 0;
  const latenciesMs: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  const started = performance.now();
  const stopAt = started + maxSeconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < count && performance.now() < stopAt) {
        const index = next++;
        const sent = performance.now();
        const answer = await call(index).catch((error: Error) => ({ status: 0, body: error.message }));
        latenciesMs.push(performance.now() - sent);
        if (answer.status !== expected) {
          errors++;
          firstError ??= `${answer.status} ${answer.body.slice(0, 300)}`;
        }
      }
    }),
  );
  return { calls: next, seconds: (performance.now() - started) / 1000, errors, firstError, latenciesMs };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(1000);
  }
}

/** What the database holds and has done so far, for deltas over one full scan. */
interface DatabaseSnapshot {
  rowsWritten: Map<string, number>;
  bytes: Map<string, number>;
  backendCpu: Map<number, number>;
}

async function databaseSnapshot(db: Client): Promise<DatabaseSnapshot> {
  const tables = await db.query<{ name: string; written: string; bytes: string }>(
    `select relname as name, n_tup_ins + n_tup_upd + n_tup_del as written,
            pg_total_relation_size(relid) as bytes
     from pg_stat_user_tables`,
  );
  const backends = await db.query<{ pid: number }>(
    'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
  );
  const backendCpu = new Map<number, number>();
  for (const { pid } of backends.rows) {
    try {
      backendCpu.set(pid, cpuSeconds(pid));
    } catch {
      // the connection closed meanwhile
    }
  }
  return {
    rowsWritten: new Map(tables.rows.map((row) => [row.name, Number(row.written)])),
    bytes: new Map(tables.rows.map((row) => [row.name, Number(row.bytes)])),
    backendCpu,
  };
}

/** CPU of this database's backends between two snapshots (those of `before` that still run, and new ones). */
function backendCpuBetween(before: DatabaseSnapshot, after: DatabaseSnapshot): number {
  let used = 0;
  for (const [pid, seconds] of after.backendCpu) used += seconds - (before.backendCpu.get(pid) ?? 0);
  return used;
}

function deltas(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  return new Map(
    [...after]
      .map(([name, value]) => [name, value - (before.get(name) ?? 0)] as [string, number])
      .filter(([, delta]) => delta !== 0),
  );
}

const sum = (values: Iterable<number>) => [...values].reduce((total, value) => total + value, 0);

interface FullScan {
  slot: number;
  wallS: number;
  scans: number;
  panelCpuS: number[];
  databaseCpuS: number;
  rowsWritten: Map<string, number>;
  bytes: Map<string, number>;
  /** What the slot's stored scans take in their tables' rows (pg_column_size; indexes not counted). */
  historyRowBytes: number;
}

interface ScheduledScan {
  node_id: string;
  checked_ms: string;
  duration_ms: number;
}

/**
 * The scheduled scans of the next `count` ticks. Ticks fire one interval apart at `phase` into each interval,
 * and plan each node's scan its fixed delay later. A node's scans, in order, answer consecutive ticks however
 * late they run (a panel that falls behind still owes each node one scan per tick); a scan that starts before
 * the next tick planned it is a second scan for the tick before.
 */
async function measureFullScans(
  db: Client,
  databaseUrl: string,
  panels: PanelProcess[],
  nodeIds: string[],
  intervalS: number,
  count: number,
): Promise<{ scans: FullScan[]; perNodeSlot: Map<string, number> }> {
  const intervalMs = intervalS * 1000;
  const phase = await tickPhaseMs(databaseUrl, intervalMs);
  const delays = new Map(nodeIds.map((id) => [id, scanDelayMs(id, intervalMs)]));
  const planned = (nodeId: string, slot: number) => phase + slot * intervalMs + delays.get(nodeId)!;
  const scansSince = async (sinceMs: number) =>
    (
      await db.query<ScheduledScan>(
        `select node_id, (extract(epoch from checked_at) * 1000)::bigint as checked_ms, duration_ms
         from drift_scans where trigger = 'schedule' and checked_at >= to_timestamp($1::double precision / 1000)`,
        [sinceMs],
      )
    ).rows;
  const firstSlot = Math.floor((Date.now() - phase) / intervalMs) + 1;
  const withSlots = (scans: ScheduledScan[]) => {
    const byNode = new Map<string, ScheduledScan[]>();
    for (const scan of scans) byNode.set(scan.node_id, [...(byNode.get(scan.node_id) ?? []), scan]);
    const assigned: Array<ScheduledScan & { slot: number }> = [];
    for (const [nodeId, nodeScans] of byNode) {
      let next = firstSlot;
      for (const scan of nodeScans.sort((a, b) => Number(a.checked_ms) - Number(b.checked_ms))) {
        const start = Number(scan.checked_ms);
        if (start < planned(nodeId, firstSlot)) continue; // an earlier tick's
        assigned.push({ ...scan, slot: start < planned(nodeId, next) ? next - 1 : next++ });
      }
    }
    return assigned;
  };
  const results: FullScan[] = [];
  for (let slot = firstSlot; slot < firstSlot + count; slot++) {
    const tick = phase + slot * intervalMs;
    await sleep(Math.max(0, tick - Date.now() - 500));
    const cpuBefore = panels.map((panel) => cpuSeconds(panel.pid));
    const before = await databaseSnapshot(db);
    let inSlot: ScheduledScan[] = [];
    // A fleet too large for its panels takes longer than an interval: wait, the figure says so.
    await waitFor(`every node's scan of slot ${slot}`, 10 * intervalMs + 300_000, async () => {
      inSlot = withSlots(await scansSince(phase + firstSlot * intervalMs)).filter(
        (scan) => scan.slot === slot,
      );
      return new Set(inSlot.map((scan) => scan.node_id)).size === nodeIds.length;
    });
    const panelCpuS = panels.map((panel, index) => cpuSeconds(panel.pid) - cpuBefore[index]);
    // Backends report their table statistics about once a second.
    await sleep(1500);
    const after = await databaseSnapshot(db);
    const end = Math.max(...inSlot.map((scan) => Number(scan.checked_ms) + scan.duration_ms));
    results.push({
      slot,
      historyRowBytes: await historyRowBytesSince(db, tick),
      wallS: (end - tick) / 1000,
      scans: inSlot.length,
      panelCpuS,
      databaseCpuS: backendCpuBetween(before, after),
      rowsWritten: deltas(before.rowsWritten, after.rowsWritten),
      bytes: deltas(before.bytes, after.bytes),
    });
    console.log(
      `slot ${slot}: ${inSlot.length} scans in ${((end - tick) / 1000).toFixed(1)} s; panel CPU ${panelCpuS
        .map((s) => s.toFixed(1))
        .join(' + ')} s; PostgreSQL ${backendCpuBetween(before, after).toFixed(1)} s; rows ${JSON.stringify(
        Object.fromEntries(deltas(before.rowsWritten, after.rowsWritten)),
      )}; table growth ${JSON.stringify(Object.fromEntries(deltas(before.bytes, after.bytes)))}; history rows ${results[results.length - 1].historyRowBytes} bytes`,
    );
  }
  // A second scan of a node in a slot would come from another panel at about the same time: look once more.
  await sleep(5000);
  const perNodeSlot = new Map<string, number>();
  for (const { node_id: nodeId, slot } of withSlots(await scansSince(phase + firstSlot * intervalMs))) {
    if (slot >= firstSlot + count) continue;
    const key = `${nodeId}/${slot}`;
    perNodeSlot.set(key, (perNodeSlot.get(key) ?? 0) + 1);
  }
  return { scans: results, perNodeSlot };
}

/** Row bytes of the drift history written since `sinceMs`: scans, and the reports they stored. */
async function historyRowBytesSince(db: Client, sinceMs: number): Promise<number> {
  const reports = await db.query<{ exists: boolean }>(
    `select to_regclass('drift_reports') is not null as exists`,
  );
  const { rows } = await db.query<{ bytes: string }>(
    reports.rows[0].exists
      ? `select coalesce(sum(pg_column_size(s.*)), 0) + coalesce((select sum(pg_column_size(r.*)) from drift_reports r
           where r.id in (select report_id from drift_scans where checked_at >= to_timestamp($1::double precision / 1000))
             and not exists (select 1 from drift_scans o where o.report_id = r.id
                             and o.checked_at < to_timestamp($1::double precision / 1000))), 0) as bytes
         from drift_scans s where s.checked_at >= to_timestamp($1::double precision / 1000)`
      : `select coalesce(sum(pg_column_size(s.*)), 0) as bytes from drift_scans s
         where s.checked_at >= to_timestamp($1::double precision / 1000)`,
    [sinceMs],
  );
  return Number(rows[0].bytes);
}

/**
 * What the creations cost, up to all of them applied: CPU of each panel and of this database's backends, and
 * how many transactions and sync runs they took. A creation transaction stamps its events with one time
 * (now() is the transaction's start), and a sync run writes its peers' sync state with one time.
 */
async function creationCosts(
  db: Client,
  before: DatabaseSnapshot,
  panels: PanelProcess[],
  cpuBefore: number[],
): Promise<{ panelCpuS: number[]; databaseCpuS: number; transactions: number; syncRuns: number }> {
  const panelCpuS = panels.map((panel, index) => cpuSeconds(panel.pid) - cpuBefore[index]);
  const databaseCpuS = backendCpuBetween(before, await databaseSnapshot(db));
  const { rows } = await db.query<{ transactions: string; runs: string }>(
    `select (select count(distinct created_at) from events where type = 'peer.created') as transactions,
            (select count(*) from (select distinct node_id, updated_at from peer_sync_state) runs) as runs`,
  );
  return {
    panelCpuS,
    databaseCpuS,
    transactions: Number(rows[0].transactions),
    syncRuns: Number(rows[0].runs),
  };
}

/** What each panel's RSS was made of at its peak, as memory-sampler.js wrote it (MB). */
function printMemorySamples(prefix: string, panels: PanelProcess[]): void {
  for (const panel of panels) {
    const path = `${prefix}.${panel.pid}.json`;
    if (!existsSync(path)) continue;
    const { atPeakRss, peaks } = JSON.parse(readFileSync(path, 'utf8')) as {
      atPeakRss: Record<string, unknown>;
      peaks: Record<string, number>;
    };
    console.log(`panel ${panel.pid} memory at peak RSS (MB): ${JSON.stringify(atPeakRss)}`);
    console.log(`panel ${panel.pid} highest of each (MB): ${JSON.stringify(peaks)}`);
  }
}

/** Removes this run's BullMQ keys (its own prefix only: other users share this Redis). */
async function forgetQueues(databaseUrl: string): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    const keys = await redis.keys(`${queuePrefix(databaseUrl)}:*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

/** Where in each interval the drift scan scheduler fires (it plans each tick one interval after the last). */
async function tickPhaseMs(databaseUrl: string, intervalMs: number): Promise<number> {
  const queue = new Queue(DRIFT_SCAN_QUEUE, {
    connection: { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    prefix: queuePrefix(databaseUrl),
  });
  try {
    const scheduler = await queue.getJobScheduler(DRIFT_SCAN_SCHEDULER_ID);
    if (!scheduler?.next) throw new Error('the drift scan scheduler is not installed');
    if (scheduler.every !== intervalMs) throw new Error(`the scheduler fires every ${scheduler.every} ms`);
    return scheduler.next % intervalMs;
  } finally {
    await queue.close();
  }
}

/** The same reconcile of every node: first as one bulk request, then as a rollout in 5 waves with a 0-s bake. */
async function rolloutVersusBulk(db: Client, panels: PanelProcess[], nodeIds: string[]): Promise<BenchRow[]> {
  const panel = panels[0];
  const call = async (path: string, body: unknown) => {
    const response = await fetch(`${panel.url}${path}`, {
      method: 'POST',
      headers: panel.headers,
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${path}: ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as { id: string };
  };
  const measure = async (what: string, run: () => Promise<void>) => {
    const cpuBefore = panels.map((each) => cpuSeconds(each.pid));
    const started = performance.now();
    await run();
    const wallS = (performance.now() - started) / 1000;
    const cpuS = sum(panels.map((each, i) => cpuSeconds(each.pid) - cpuBefore[i]));
    console.log(`${what}: ${wallS.toFixed(1)} s, panel CPU ${cpuS.toFixed(1)} s`);
    return { wallS, cpuS };
  };
  const bulk = await measure('bulk reconcile', async () => {
    await call('/api/drift/reconcile', { node_ids: nodeIds });
    await waitFor('every reconcile job to finish', 1_800_000, async () => {
      const { rows } = await db.query<{ open: string }>(
        `select count(*) as open from reconcile_jobs where status in ('queued', 'running')`,
      );
      return Number(rows[0].open) === 0;
    });
  });
  const rollout = await measure('rollout, 5 waves, 0-s bake', async () => {
    const created = await call('/api/rollouts', {
      node_ids: nodeIds,
      waves: [{ count: 1 }, { percent: 10 }, { percent: 25 }, { percent: 50 }, { percent: 100 }],
      bake_s: 0,
    });
    await waitFor('the rollout to complete', 1_800_000, async () => {
      const { rows } = await db.query<{ status: string; halt: unknown }>(
        `select status, halt from rollouts where id = $1`,
        [created.id],
      );
      if (rows[0].status === 'halted') throw new Error(`the rollout halted: ${JSON.stringify(rows[0].halt)}`);
      return rows[0].status === 'completed';
    });
  });
  const target = `${nodeIds.length} nodes, two panels`;
  const row = (figure: string, measured: number, unit: string): BenchRow => ({
    figure,
    target,
    measured,
    unit,
    floor: null,
    ratio: null,
    ok: true,
  });
  return [
    row('bulk reconcile: request to every job finished', bulk.wallS, 's'),
    row('bulk reconcile: panel CPU', bulk.cpuS, 's'),
    row('rollout of the same reconcile, 5 waves, 0-s bake: request to completed', rollout.wallS, 's'),
    row('rollout: panel CPU (plans included)', rollout.cpuS, 's'),
  ];
}

async function main(): Promise<void> {
  const nodeCount = numberArg('nodes', 1000);
  const peersPerNode = numberArg('peers', 1000);
  const apiPeersPerNode = Math.min(numberArg('api-peers', 100), peersPerNode);
  const intervalS = numberArg('interval', 60);
  const slots = numberArg('slots', 2);
  const clients = numberArg('clients', 16);
  const activeShare = numberArg('active-share', 0.1);
  const driftedEvery = numberArg('drifted-every', 20);
  const label = `${nodeCount} nodes × ${peersPerNode} peers`;
  const databaseUrl = testDatabaseUrl();
  const panels: PanelProcess[] = [];
  let simulator: Simulator | undefined;
  let db: Client | undefined;
  const stopPanels = async () => {
    await Promise.all(panels.map((panel) => panel.stop().catch(() => undefined)));
    panels.length = 0;
  };
  const memorySample = stringArg('memory-sample');
  const startPanels = async (count: number, scanIntervalS: number, sampleMemory = false) => {
    for (let i = panels.length; i < count; i++) {
      panels.push(
        await spawnPanel({
          DATABASE_URL: databaseUrl,
          DRIFT_SCAN_INTERVAL_S: String(scanIntervalS),
          AGENT_TIMEOUT_MS: '30000',
          // Production settings, not the test panels' "every live read scans".
          DRIFT_LIVE_MIN_INTERVAL_S: '5',
          ...(memorySample && sampleMemory
            ? {
                NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${join(__dirname, 'memory-sampler.js')}`,
                MEMORY_SAMPLE_FILE: memorySample,
              }
            : {}),
        }),
      );
    }
  };
  const cleanup = async () => {
    await db?.end().catch(() => undefined);
    await stopPanels();
    await simulator?.stop().catch(() => undefined);
    await dropDatabase(databaseUrl).catch(() => undefined);
    await forgetQueues(databaseUrl).catch(() => undefined);
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));

  const rows: BenchRow[] = [];
  try {
    let started = performance.now();
    simulator = await startSimulator([
      ...['--nodes', String(nodeCount), '--peers', String(peersPerNode)],
      ...['--first-peer', String(apiPeersPerNode), '--seed', SEED],
      ...['--active-share', String(activeShare), '--drifted-every', String(driftedEvery)],
    ]);
    console.log(`simulated fleet of ${label} up in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    // Setup with both panels; scheduled scans wait until the measurement.
    await startPanels(2, 86400);
    const api = panels.map((panel) => new ApiClient(panel, clients));
    const nodeIds: string[] = new Array(nodeCount);
    const registration = await driveApi(
      nodeCount,
      clients,
      async (index) => {
        const answer = await api[index % api.length].post('/api/nodes', {
          name: `fleet-${index}`,
          agent_url: simulator!.agents[index].url,
          interface: simulator!.agents[index].interface,
          endpoint: 'fleet.example.com',
          address_pool: nodeAddressPool(index),
          agent_secret: simulator!.secret,
        });
        if (answer.status === 201) nodeIds[index] = (JSON.parse(answer.body) as { id: string }).id;
        return answer;
      },
      201,
    );
    console.log(
      `${nodeCount} nodes registered through 2 panels in ${registration.seconds.toFixed(1)} s, ${registration.errors} errors${registration.firstError ? ` (first: ${registration.firstError})` : ''}`,
    );
    if (registration.errors) throw new Error('node registration failed; nothing else can be measured');

    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    const cpuBeforeCreation = panels.map((panel) => cpuSeconds(panel.pid));
    const databaseBeforeCreation = await databaseSnapshot(db);
    const creation = await driveApi(
      nodeCount * apiPeersPerNode,
      clients,
      (index) =>
        api[index % api.length].post(`/api/nodes/${nodeIds[index % nodeCount]}/peers`, {
          name: `api-${index}`,
        }),
      201,
      numberArg('create-seconds', Infinity),
    );
    // All of them, unless --create-seconds cut the creation short.
    const apiPeers = creation.calls;
    started = performance.now();
    await waitFor('sync to apply the created peers', 600_000, async () => {
      const { rows: pending } = await db!.query<{ count: string }>(
        `select count(*) from peers p left join peer_sync_state s on s.peer_id = p.id
         where s.applied_version is null or s.applied_version < p.version`,
      );
      return Number(pending[0].count) === 0;
    });
    const appliedAfterS = (performance.now() - started) / 1000;
    console.log(
      `${apiPeers} peers created through 2 panels in ${creation.seconds.toFixed(1)} s (${(apiPeers / creation.seconds).toFixed(0)}/s), ${creation.errors} errors${creation.firstError ? ` (first: ${creation.firstError})` : ''}; all applied by sync ${appliedAfterS.toFixed(1)} s later`,
    );
    for (const client of api) client.close();
    if (process.argv.includes('--rollout')) {
      rows.push(...(await rolloutVersusBulk(db, panels, nodeIds)));
      emitRows(rows);
      return;
    }
    if (process.argv.includes('--create-only')) {
      const creationCost = await creationCosts(db, databaseBeforeCreation, panels, cpuBeforeCreation);
      console.log(
        `creation: latency p50 ${percentile(creation.latenciesMs, 50).toFixed(0)} ms, p95 ${percentile(creation.latenciesMs, 95).toFixed(0)} ms, p99 ${percentile(creation.latenciesMs, 99).toFixed(0)} ms; ` +
          `panel CPU ${creationCost.panelCpuS.map((s) => s.toFixed(1)).join(' + ')} s (${((sum(creationCost.panelCpuS) * 1000) / apiPeers).toFixed(1)} ms a peer), ` +
          `PostgreSQL ${creationCost.databaseCpuS.toFixed(1)} s (${((creationCost.databaseCpuS * 1000) / apiPeers).toFixed(1)} ms a peer); ` +
          `${creationCost.transactions} creation transactions, ${creationCost.syncRuns} sync runs (${(apiPeers / creationCost.syncRuns).toFixed(1)} peers a run)`,
      );
      rows.push(
        {
          figure: `${apiPeers} peers over ${nodeCount} nodes created through two panels' API (${creation.errors} errors)`,
          target: '0 errors',
          measured: apiPeers / creation.seconds,
          unit: 'peers/s',
          floor: null,
          ratio: null,
          ok: creation.errors === 0,
        },
        {
          figure: 'all created peers applied on their nodes, after the last creation',
          target: '-',
          measured: appliedAfterS,
          unit: 's',
          floor: null,
          ratio: null,
          ok: true,
        },
      );
      emitRows(rows);
      return;
    }

    started = performance.now();
    const NODES_PER_BATCH = 20;
    for (let first = 0; first < nodeCount; first += NODES_PER_BATCH) {
      const peers: SeedPeer[] = [];
      for (let node = first; node < Math.min(first + NODES_PER_BATCH, nodeCount); node++) {
        for (let index = apiPeersPerNode; index < peersPerNode; index++) {
          peers.push({
            id: randomUUID(),
            node_id: nodeIds[node],
            name: `peer-${index}`,
            ...fleetPeer(SEED, node, index),
          });
        }
      }
      await seedAppliedPeers(db, peers);
    }
    await db.query('vacuum analyze');
    console.log(
      `${nodeCount * (peersPerNode - apiPeersPerNode)} more peers seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    await stopPanels();

    const drifted = Array.from({ length: nodeCount }, (_, index) => index).filter((index) =>
      isDriftedNode(index, driftedEvery),
    ).length;
    const phases: Array<{
      panels: number;
      result: Awaited<ReturnType<typeof measureFullScans>>;
      peakMb: number[];
    }> = [];
    for (const panelCount of [1, 2]) {
      await startPanels(panelCount, intervalS, true);
      const result = await measureFullScans(db, databaseUrl, panels, nodeIds, intervalS, slots);
      phases.push({ panels: panelCount, result, peakMb: panels.map((panel) => memoryMb(panel.pid).peak) });
      if (memorySample) printMemorySamples(memorySample, panels);
    }
    await stopPanels();

    const states = await db.query<{ status: string; count: string }>(
      'select status, count(*) from node_drift_state group by status order by status',
    );
    console.log(
      `node states: ${states.rows.map((row) => `${row.status} ${row.count}`).join(', ')} (${drifted} nodes run ${UNKNOWN_PEERS_PER_DRIFTED_NODE} unknown peers each)`,
    );

    const [one, two] = phases;
    const steadyOne = one.result.scans[one.result.scans.length - 1];
    const steadyTwo = two.result.scans[two.result.scans.length - 1];
    const counts = [...two.result.perNodeSlot.values()];
    const twice = counts.filter((count) => count > 1).length;
    const expectedPairs = nodeCount * slots;
    const scanRows = (scan: FullScan) => sum(scan.rowsWritten.values());
    const perDayMb = (steadyOne.historyRowBytes * SCANS_PER_DAY_AT_5_MIN) / 1e6;
    rows.push(
      {
        figure: `full scheduled scan, one panel, ${label} (tick to last stored scan; spread ${Math.min(intervalS / 2, 60)} s)`,
        target: '≤ 60 s',
        measured: Math.max(...one.result.scans.map((scan) => scan.wallS)),
        unit: 's',
        floor: null,
        ratio: null,
        ok: one.result.scans.every((scan) => scan.wallS <= 60),
      },
      {
        figure: `full scheduled scan, two panels, ${label}`,
        target: '≤ 60 s',
        measured: Math.max(...two.result.scans.map((scan) => scan.wallS)),
        unit: 's',
        floor: null,
        ratio: null,
        ok: two.result.scans.every((scan) => scan.wallS <= 60),
      },
      {
        figure: `panel peak RSS, one panel, ${label}`,
        target: '≤ 512 MB',
        measured: one.peakMb[0],
        unit: 'MB',
        floor: null,
        ratio: null,
        ok: one.peakMb[0] <= 512,
      },
      {
        figure: `panel peak RSS, two panels (larger), ${label}`,
        target: '≤ 512 MB',
        measured: Math.max(...two.peakMb),
        unit: 'MB',
        floor: null,
        ratio: null,
        ok: Math.max(...two.peakMb) <= 512,
      },
      {
        figure: `panel CPU per full scan, one panel (steady)`,
        target: '-',
        measured: steadyOne.panelCpuS[0],
        unit: 's',
        floor: null,
        ratio: null,
        ok: true,
      },
      {
        figure: `panel CPU per full scan, two panels (sum; ${steadyTwo.panelCpuS.map((s) => s.toFixed(1)).join(' + ')})`,
        target: '-',
        measured: sum(steadyTwo.panelCpuS),
        unit: 's',
        floor: null,
        ratio: null,
        ok: true,
      },
      {
        figure: 'PostgreSQL CPU per full scan (this database’s backends), one panel (steady)',
        target: '-',
        measured: steadyOne.databaseCpuS,
        unit: 's',
        floor: null,
        ratio: null,
        ok: true,
      },
      {
        figure: `node scans per slot with two panels (${slots} slots × ${nodeCount} nodes; ${twice} scanned twice, ${expectedPairs - counts.length} missed)`,
        target: `exactly ${expectedPairs}`,
        measured: sum(counts),
        unit: 'scans',
        floor: null,
        ratio: null,
        ok: counts.length === expectedPairs && twice === 0,
      },
      {
        figure: 'rows written per full scan (all tables, steady)',
        target: '-',
        measured: scanRows(steadyOne),
        unit: 'rows',
        floor: null,
        ratio: null,
        ok: true,
      },
      {
        figure: 'drift history row bytes per full scan (drift_scans + new drift_reports, steady)',
        target: '-',
        measured: steadyOne.historyRowBytes / 1e3,
        unit: 'kB',
        floor: null,
        ratio: null,
        ok: true,
      },
      {
        figure: `drift history growth per day at a 5-minute interval (${SCANS_PER_DAY_AT_5_MIN} full scans, rows)`,
        target: 'bounded',
        measured: perDayMb,
        unit: 'MB',
        floor: null,
        ratio: null,
        ok: true,
      },
      {
        figure: `drift history kept by retention (DRIFT_HISTORY_DAYS=${HISTORY_DAYS} × the daily growth)`,
        target: 'bounded',
        measured: (perDayMb * HISTORY_DAYS) / 1e3,
        unit: 'GB',
        floor: null,
        ratio: null,
        ok: true,
      },
      {
        figure: `node registration through the API, two panels (${registration.errors} errors)`,
        target: '0 errors',
        measured: registration.seconds,
        unit: 's',
        floor: null,
        ratio: null,
        ok: registration.errors === 0,
      },
      {
        figure: `${apiPeers} peers created through the API, two panels (${creation.errors} errors; applied ${appliedAfterS.toFixed(0)} s later)`,
        target: '0 errors',
        measured: creation.seconds,
        unit: 's',
        floor: null,
        ratio: null,
        ok: creation.errors === 0,
      },
    );
    console.log(
      `rows written per steady scan: ${JSON.stringify(Object.fromEntries(steadyOne.rowsWritten))}; bytes: ${JSON.stringify(Object.fromEntries(steadyOne.bytes))}`,
    );
    emitRows(rows);
  } finally {
    await cleanup();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
