/**
 * What usage accounting adds to a drift scan, measured in one run: N nodes × P peers whose transfer counters
 * all grow between scans (every peer moving traffic: the most usage there is to count), served by a canned agent
 * process (scripts/bench/canned-agent.ts). Full scans through `GET /api/drift/nodes` alternate between usage
 * accounting as it runs and usage accounting left out: `PeerUsageStore.periodLookup`, what it adds to the scan's
 * `peer_activity` upsert (each used peer's current period, and with it any period to close), made to find no
 * period in this process, so every row carries its usage columns over as read. Compared: the panel process's CPU
 * per scan (the agent runs elsewhere) and the scan's wall time, which includes PostgreSQL's work; medians of R
 * scans each.
 *
 * Needs PostgreSQL and Redis. Runs the panel in this process (scheduled scans and enforcement idle).
 * Usage: npx ts-node --transpile-only scripts/bench/usage-accounting-bench.ts [--nodes 20] [--peers 1000]
 *        [--runs 7] [--json out.json]
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { generateKeyPair } from '../../src/common/crypto/wireguard-keys';
import { PeerUsageStore } from '../../src/modules/lifecycle/peer-usage.store';
import { startPanel } from '../../test/support/panel';
import { BenchRow, emitRows, numberArg, percentile } from './bench-report';
import type { CannedPeers } from './canned-agent';
import { seedAppliedPeers } from './seed-peers';

/** Usage accounting may add at most this share to a scan. */
const TARGET_SHARE = 0.1;
const AGENT_SECRET = 'usage-bench-agent-secret-0123456789-abcdef';
/** Bytes each peer's counters grow per scan, each way. */
const STEP = 1_000_000;

async function startCannedAgent(file: string) {
  const child = spawn(
    process.execPath,
    ['--require', 'ts-node/register/transpile-only', join(__dirname, 'canned-agent.ts'), file, String(STEP)],
    { env: { ...process.env, AGENT_SECRET }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  for await (const line of createInterface({ input: child.stdout! })) {
    const url = /^listening (\S+)/.exec(line)?.[1];
    if (url) return { url, stop: async () => void (child.kill('SIGTERM'), await once(child, 'exit')) };
  }
  throw new Error('the canned agent exited before listening');
}

async function main(): Promise<void> {
  const nodeCount = numberArg('nodes', 20);
  const peersPerNode = numberArg('peers', 1000);
  const runs = numberArg('runs', 7);
  const dir = mkdtempSync(join(tmpdir(), 'wgfleet-usage-bench-'));
  const canned: CannedPeers = {
    public_key: generateKeyPair().publicKey,
    peers: Array.from({ length: peersPerNode }, (_, index) => ({
      public_key: generateKeyPair().publicKey,
      allowed_ips: [`10.0.${index >> 8}.${index & 255}/32`],
    })),
  };
  writeFileSync(join(dir, 'peers.json'), JSON.stringify(canned));
  const agent = await startCannedAgent(join(dir, 'peers.json'));
  const panel = await startPanel({
    DRIFT_SCAN_INTERVAL_S: '86400',
    PEER_ENFORCEMENT_INTERVAL_S: '3600',
    // A loaded machine must not turn a slow answer into an `unknown` node: every scan is a full one.
    AGENT_TIMEOUT_MS: '30000',
    LOG_LEVEL: 'warn',
  });
  const db = new Client({ connectionString: panel.databaseUrl });
  await db.connect();
  try {
    // Every node runs the same peers (keys are unique per node only), each with its own counters.
    for (let index = 0; index < nodeCount; index++) {
      const { body: node } = await panel
        .as()
        .post('/api/nodes', {
          name: `usage-bench-${index}`,
          agent_url: agent.url,
          interface: `wgub${index}`,
          endpoint: 'vpn.example.com',
          address_pool: '10.0.0.0/16',
          agent_secret: AGENT_SECRET,
        })
        .expect(201);
      await seedAppliedPeers(
        db,
        canned.peers.map((peer, peerIndex) => ({
          id: randomUUID(),
          node_id: node.id as string,
          name: `peer-${peerIndex}`,
          ...peer,
        })),
      );
    }
    // Quotas on every peer, so each one's usage is what enforcement would read.
    await db.query(`update peers set quota_bytes = 1000000000000, quota_period = 'month'`);
    await db.query('vacuum analyze');

    const usage = panel.app.get(PeerUsageStore);
    const accounting = usage.periodLookup.bind(usage);
    const noPeriod = () => ({
      sql: `left join lateral (select null::text as now_period, null::timestamptz as now_start,
        null::timestamptz as now_end) usage_now on false`,
      params: [],
    });
    const scan = async (withAccounting: boolean) => {
      usage.periodLookup = withAccounting ? accounting : noPeriod;
      const cpu = process.cpuUsage();
      const started = performance.now();
      const { body: fleet } = await panel.as().get('/api/drift/nodes').expect(200);
      const wallMs = performance.now() - started;
      const { user, system } = process.cpuUsage(cpu);
      if (fleet.summary.in_sync !== nodeCount)
        throw new Error(`scan did not find the fleet in sync: ${JSON.stringify(fleet.summary)}`);
      return { wallMs, cpuMs: (user + system) / 1000 };
    };
    // Warm-up: first statuses stored, code optimised, every peer's activity known (the first scan of a peer
    // has no earlier counters, so no usage).
    await scan(true);
    await scan(false);
    const on: Array<{ wallMs: number; cpuMs: number }> = [];
    const off: Array<{ wallMs: number; cpuMs: number }> = [];
    for (let run = 0; run < runs; run++) {
      // Alternating, the order swapped each time, so drift in the machine's load falls on both alike.
      for (const withAccounting of run % 2 === 0 ? [true, false] : [false, true]) {
        (withAccounting ? on : off).push(await scan(withAccounting));
      }
    }
    usage.periodLookup = accounting;
    const counted = (
      await db.query<{ bytes: string }>(
        `select ((select coalesce(sum(rx_bytes + tx_bytes), 0) from peer_usage)
           + (select coalesce(sum(total_rx - usage_rx_base + total_tx - usage_tx_base), 0) from peer_activity
              where usage_period is not null))::text as bytes`,
      )
    ).rows[0].bytes;
    const median = (values: Array<{ wallMs: number; cpuMs: number }>, key: 'wallMs' | 'cpuMs') =>
      percentile(
        values.map((value) => value[key]),
        50,
      );
    const label = `${nodeCount} nodes × ${peersPerNode} peers, every peer's counters growing`;
    // The floor is the same scan without usage accounting: the ratio is what accounting adds.
    const compared = (figure: string, key: 'wallMs' | 'cpuMs'): BenchRow => {
      const ratio = median(on, key) / median(off, key);
      return {
        figure,
        target: `<= ${1 + TARGET_SHARE}x without accounting`,
        measured: median(on, key),
        unit: 'ms',
        floor: median(off, key),
        ratio,
        ok: ratio <= 1 + TARGET_SHARE,
      };
    };
    const rows: BenchRow[] = [
      compared(`full scan with usage accounting, panel CPU, ${label} (median of ${runs})`, 'cpuMs'),
      compared(`the same, wall time (PostgreSQL's work included)`, 'wallMs'),
    ];
    console.log(
      `panel CPU per scan (ms), with accounting: ${on.map((run) => run.cpuMs.toFixed(0)).join(', ')}; ` +
        `without: ${off.map((run) => run.cpuMs.toFixed(0)).join(', ')}`,
    );
    console.log(
      `wall time per scan (ms), with accounting: ${on.map((run) => run.wallMs.toFixed(0)).join(', ')}; ` +
        `without: ${off.map((run) => run.wallMs.toFixed(0)).join(', ')}; bytes counted: ${counted}`,
    );
    emitRows(rows);
    process.exitCode = rows.every((row) => row.ok) ? 0 : 1;
  } finally {
    await db.end();
    await panel.close();
    await agent.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
