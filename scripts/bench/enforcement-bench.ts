/**
 * The peer enforcement pass over a large fleet: N peers (default 100,000) that all have a quota and an
 * expiry, with usage in their current period, none due for a change. Measures one pass (reading every
 * candidate with its usage and deciding), median of several; then a pass where 1,000 of them went over quota
 * (events, read models and a `peer.suspended` webhook each), and one lifting those suspensions again. Wall time
 * and the panel process's CPU; webhook deliveries are awaited between passes so none runs during a pass.
 *
 * Needs PostgreSQL and Redis. Runs the panel in this process (its enforcement scheduler idle: hourly).
 * Usage: npx ts-node --transpile-only scripts/bench/enforcement-bench.ts [--peers 100000] [--json out.json]
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { generateKeyPair } from '../../src/common/crypto/wireguard-keys';
import { PeerEnforcer } from '../../src/modules/lifecycle/peer-enforcer.service';
import { startPanel } from '../../test/support/panel';
import { WebhookReceiver } from '../../test/support/webhook-receiver';
import { BenchRow, emitRows, numberArg, percentile } from './bench-report';
import { seedAppliedPeers } from './seed-peers';

const TARGET_MS = 2000;
const RUNS = 5;
const CHANGED = 1000;

/** Wall time and this process's CPU (user + system) of one call, in ms. */
async function timed<T>(work: () => Promise<T>): Promise<{ result: T; wallMs: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await work();
  const wallMs = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  return { result, wallMs, cpuMs: (user + system) / 1000 };
}

async function main(): Promise<void> {
  const count = numberArg('peers', 100_000);
  const panel = await startPanel({ PEER_ENFORCEMENT_INTERVAL_S: '3600', DRIFT_SCAN_INTERVAL_S: '86400' });
  const db = new Client({ connectionString: panel.databaseUrl });
  await db.connect();
  const receiver = await WebhookReceiver.start();
  try {
    await panel
      .as()
      .post('/api/webhooks', { url: receiver.url(), events: ['peer.suspended', 'peer.resumed'] })
      .expect(201);
    const { body: node } = await panel
      .as()
      .post('/api/nodes', {
        name: 'enforcement-bench',
        agent_url: 'http://127.0.0.1:9',
        interface: 'wgbe0',
        endpoint: 'vpn.example.com',
        address_pool: '10.0.0.0/8',
        public_key: generateKeyPair().publicKey,
        agent_secret: 'bench-agent-secret-long-enough-0123456789',
        enabled: false,
      })
      .expect(201);
    const publicKey = generateKeyPair().publicKey;
    await seedAppliedPeers(
      db,
      Array.from({ length: count }, (_, index) => ({
        id: randomUUID(),
        node_id: node.id as string,
        name: `peer-${index}`,
        // Unique per peer; the pass never reads keys.
        public_key: `${index}-${publicKey}`,
        allowed_ips: [`10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}/32`],
      })),
    );
    await db.query(
      `update peers set quota_bytes = 1000000000, quota_period = 'month', expires_at = now() + interval '30 days'`,
    );
    const monthStart = `date_trunc('month', now() at time zone 'UTC') at time zone 'UTC'`;
    await db.query(
      `insert into peer_activity (peer_id, node_id, last_rx, last_tx, total_rx, total_tx, updated_at, usage_period,
         usage_period_start, usage_period_end, usage_rx_base, usage_tx_base)
       select id, node_id, 100000000, 100000000, 100000000, 100000000, now(), 'month', ${monthStart},
         ${monthStart} + interval '1 month', 0, 0
       from peers`,
    );
    await db.query('analyze');
    const enforcer = panel.app.get(PeerEnforcer);
    const quiet: Array<{ wallMs: number; cpuMs: number }> = [];
    for (let run = 0; run < RUNS; run++) {
      const pass = await timed(() => enforcer.enforce());
      quiet.push(pass);
      if (pass.result.suspended !== 0 || pass.result.warnings !== 0)
        throw new Error(`unexpected pass: ${JSON.stringify(pass.result)}`);
    }
    await db.query(
      `update peer_activity set total_rx = 1000000000 where peer_id in (select id from peers limit $1)`,
      [CHANGED],
    );
    const suspending = await timed(() => enforcer.enforce());
    if (suspending.result.suspended !== CHANGED)
      throw new Error(`unexpected pass: ${JSON.stringify(suspending.result)}`);
    await receiver.waitFor(CHANGED, 120_000);
    await db.query('update peers set quota_bytes = 10000000000 where suspended_reason is not null');
    const resuming = await timed(() => enforcer.enforce());
    if (resuming.result.resumed !== CHANGED)
      throw new Error(`unexpected pass: ${JSON.stringify(resuming.result)}`);
    await receiver.waitFor(2 * CHANGED, 120_000);
    const median = percentile(
      quiet.map((pass) => pass.wallMs),
      50,
    );
    const reported = (figure: string, measured: number): BenchRow => ({
      figure,
      target: 'reported',
      measured,
      unit: 'ms',
      floor: null,
      ratio: null,
      ok: true,
    });
    const rows: BenchRow[] = [
      {
        figure: `enforcement pass over ${count} peers, nothing to change (median of ${RUNS})`,
        target: `<= ${TARGET_MS} ms`,
        measured: median,
        unit: 'ms',
        floor: null,
        ratio: null,
        ok: median <= TARGET_MS,
      },
      reported(
        `panel CPU of that pass (median of ${RUNS})`,
        percentile(
          quiet.map((pass) => pass.cpuMs),
          50,
        ),
      ),
      reported(`${CHANGED} suspensions in one pass over ${count} peers`, suspending.wallMs),
      reported('panel CPU of that pass', suspending.cpuMs),
      reported(`${CHANGED} resumptions in one pass over ${count} peers`, resuming.wallMs),
      reported('panel CPU of that pass', resuming.cpuMs),
    ];
    emitRows(rows);
    process.exitCode = rows.every((row) => row.ok) ? 0 : 1;
  } finally {
    await receiver.stop();
    await db.end();
    await panel.close();
  }
}

void main();
