/**
 * The wgfleet demo (run by scripts/demo.sh, as root): a real panel process and three real agents, each with a
 * wireguard-go interface in its own network namespace, walked through drift and repair:
 * nodes with per-node overrides, peers applied automatically, drift made by hand with `wg`, the scheduled
 * scan finding it, a signed webhook arriving, a dry-run plan, the reconcile and the node verified in sync.
 *
 * Everything it starts is stopped again on success, failure or Ctrl-C; scripts/demo.sh removes anything a
 * hard kill left behind. Exit code 0 only when every step succeeded.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { freePort } from '../../agent/test/support/agent-process';
import { randomKey } from '../../agent/test/support/wg-interface';
import {
  createAppliedPeers,
  dryRun,
  reconcileAndWait,
  registerNode,
  waitForScheduledScan,
} from '../../test/e2e/support/fleet-flows';
import { startNamespaceNode, type NamespaceNode } from '../../test/e2e/support/namespace-node';
import {
  PanelApi,
  type NodeDriftReport,
  type NodeView,
  type PeerView,
} from '../../test/e2e/support/panel-api';
import { parseWgQuickConfig } from '../../test/e2e/support/wg-quick-config';
import { WebhookReceiver } from '../../test/support/webhook-receiver';
import { Narrator, seconds, shortKey, StepFailed } from './narrator';
import { startPanelProcess, type PanelProcess } from './panel-process';
import { verifiedEvents, waitForEvent } from './webhook-events';

// scripts/demo.sh reads its options into these variables, checks them and documents them (--help).
/** Logs, and the panel's pid for scripts/demo.sh to stop should this process be killed outright. */
const STATE_DIR = process.env.DEMO_STATE_DIR ?? '/tmp/wgfleet-demo';
const DATABASE_URL = process.env.DEMO_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/wgfleet_demo';
/** Names the namespaces (<prefix>-N) and interfaces (<prefix>N), so demos on one machine do not meet. */
const PREFIX = process.env.DEMO_PREFIX ?? 'wgf-demo';
/** The first two octets of the /16 every demo address is in: node N's veth link <net>.N.0/30, its pool below. */
const NET = (process.env.DEMO_SUBNET ?? '10.203.0.0/16').split('.').slice(0, 2).join('.');

/** The tunnel addresses of node N and its peers: <net>.(100 + N).0/24. */
function poolAddress(index: number, host: number): string {
  return `${NET}.${100 + index}.${host}`;
}
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SCAN_INTERVAL_S = 5;
const DEFAULT_KEEPALIVE = 25;

interface NodeSpec {
  name: string;
  /** Names its namespace (<prefix>-N), interface (<prefix>N), veth subnet (<net>.N.0/30) and pool. */
  index: number;
  overrides: { override_mtu?: number; override_dns?: string[]; override_keepalive?: number };
  peers: string[];
}

/** Namespaces and addresses are the demo's own: no test uses wgf-demo-* or 10.203.0.0/16 (the defaults). */
const NODES: NodeSpec[] = [
  {
    name: 'US-East',
    index: 1,
    overrides: { override_mtu: 1420, override_dns: ['1.1.1.1'] },
    peers: ['alice-laptop', 'bob-phone'],
  },
  {
    name: 'EU-West',
    index: 2,
    overrides: { override_mtu: 1380, override_dns: ['8.8.8.8'] },
    peers: ['carol-laptop', 'dave-phone', 'erin-tablet'],
  },
  { name: 'AP-South', index: 3, overrides: { override_keepalive: 15 }, peers: ['frank-laptop'] },
];

interface DemoNode {
  spec: NodeSpec;
  server: NamespaceNode;
  view: NodeView;
  peers: PeerView[];
}

/** Undo actions, run newest first, once, whether the demo ended well, badly or by a signal. */
class Teardown {
  private readonly actions: Array<{ what: string; undo: () => Promise<unknown> }> = [];
  private running: Promise<string[]> | null = null;

  add(what: string, undo: () => Promise<unknown>): void {
    this.actions.push({ what, undo });
  }

  /** The problems met; an empty list when everything was undone. */
  run(): Promise<string[]> {
    this.running ??= (async () => {
      const problems: string[] = [];
      for (const { what, undo } of this.actions.reverse()) {
        await undo().catch((error: Error) => problems.push(`${what}: ${error.message}`));
      }
      return problems;
    })();
    return this.running;
  }
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

/** Drops the demo database and the BullMQ keys of earlier runs (their queues are named after the database). */
async function freshDatabase(): Promise<{ database: string; staleKeys: number }> {
  const database = new URL(DATABASE_URL).pathname.slice(1);
  const server = new URL(DATABASE_URL);
  server.pathname = '/postgres';
  const client = new Client({ connectionString: server.toString() });
  await client.connect();
  try {
    await client.query(`drop database if exists "${database}" with (force)`);
  } finally {
    await client.end();
  }
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined); // a failed command reports it
  try {
    // The panel's queue prefix, see queuePrefix() in src/app.module.ts.
    const keys = await redis.keys(`wgfleet:${database}:*`);
    if (keys.length) await redis.del(...keys);
    return { database, staleKeys: keys.length };
  } finally {
    redis.disconnect();
  }
}

function overridesText(spec: NodeSpec): string {
  const { override_mtu, override_dns, override_keepalive } = spec.overrides;
  return [
    override_mtu && `MTU ${override_mtu}`,
    override_dns && `DNS ${override_dns.join(',')}`,
    override_keepalive && `keepalive ${override_keepalive}`,
  ]
    .filter(Boolean)
    .join(' ');
}

function driftText(report: NodeDriftReport): string {
  const parts = [
    ...report.missing_peers.map((peer) => `missing ${peer.name}`),
    ...report.mismatched_peers.map(
      (peer) =>
        `mismatched ${peer.name} (${peer.mismatches.map((m) => `${m.field} ${m.expected}→${m.actual}`).join(', ')})`,
    ),
    ...report.orphaned_peers.map((peer) => `orphaned ${peer.name}`),
    ...report.unknown_peers.map((peer) => `unknown ${shortKey(peer.public_key)}`),
  ];
  return parts.join(' · ');
}

/** Where to look at the demo's fleet in a browser, and a token to log in with. */
interface ConsoleLogin {
  url: string;
  token: string;
}

async function runDemo(teardown: Teardown): Promise<ConsoleLogin> {
  const say = new Narrator(2); // step 1, setup, is told by scripts/demo.sh
  mkdirSync(STATE_DIR, { recursive: true });

  await say.step(
    'fresh database',
    freshDatabase,
    ({ database, staleKeys }) =>
      `${database} dropped (recreated by the panel) · ${staleKeys} stale queue keys cleared`,
  );

  const servers = new Map<string, NamespaceNode>();
  for (const spec of NODES) {
    const server = await say.step(
      `node ${spec.name}: wireguard-go + agent`,
      async () => {
        const started = await startNamespaceNode({
          namespace: `${PREFIX}-${spec.index}`,
          hostAddress: `${NET}.${spec.index}.1/30`,
          namespaceAddress: `${NET}.${spec.index}.2/30`,
          interfaceName: `${PREFIX}${spec.index}`,
          listenPort: 51820,
          tunnelAddress: `${poolAddress(spec.index, 1)}/24`,
          agentRuntime: 'dist',
          agentLogFile: join(STATE_DIR, `agent-${spec.index}.log`),
        });
        teardown.add(`node ${spec.name}`, () => started.stop());
        return started;
      },
      (s) => `netns ${s.namespace.name} · ${s.wg.name} on :${s.wg.listenPort} · agent ${s.agentUrl}`,
    );
    servers.set(spec.name, server);
  }

  const adminToken = randomBytes(24).toString('base64url');
  const panel: PanelProcess = await say.step(
    'panel started',
    async () => {
      const started = await startPanelProcess(
        {
          DATABASE_URL,
          REDIS_URL,
          HOST: '127.0.0.1',
          PORT: String(await freePort()),
          PANEL_ADMIN_TOKEN: adminToken,
          PANEL_SECRET_KEY: randomBytes(32).toString('base64'),
          DRIFT_SCAN_INTERVAL_S: String(SCAN_INTERVAL_S),
          // The demo's receiver listens on loopback, which the panel refuses by default.
          WEBHOOK_ALLOW_PRIVATE: 'true',
          // Report every change at once instead of holding alerts back against flapping.
          WEBHOOK_FLAP_HOLD_S: '0',
          LOG_LEVEL: 'info',
        },
        join(STATE_DIR, 'panel.log'),
      );
      const pidFile = join(STATE_DIR, 'panel.pid');
      writeFileSync(pidFile, String(started.pid));
      teardown.add('panel', async () => {
        await started.stop();
        rmSync(pidFile, { force: true });
      });
      return started;
    },
    (p) =>
      `bin/wgfleet-panel · ${p.url} · drift scan every ${SCAN_INTERVAL_S} s · log ${STATE_DIR}/panel.log`,
  );
  const api = new PanelApi(panel.url, adminToken);

  const receiver = await WebhookReceiver.start();
  teardown.add('webhook receiver', () => receiver.stop());
  const subscription = await say.step(
    'webhook subscribed',
    () =>
      api.post<{ id: string; secret: string }>('/api/webhooks', {
        url: receiver.url('/hook'),
        description: 'wgfleet demo receiver',
      }),
    (s) =>
      `receiver ${receiver.url('/hook')} · every event type · secret ${s.secret.slice(0, 10)}… shown once`,
  );

  const nodes: DemoNode[] = await say.step(
    'nodes registered',
    () =>
      Promise.all(
        NODES.map(async (spec) => {
          const server = servers.get(spec.name)!;
          const view = await registerNode(api, {
            name: spec.name,
            agent_url: server.agentUrl,
            agent_secret: server.agentSecret,
            interface: server.wg.name,
            endpoint: server.endpoint,
            address_pool: `${poolAddress(spec.index, 0)}/24`,
            ...spec.overrides,
          });
          check(view.public_key === server.wg.publicKey, `${spec.name}: public key not read from the agent`);
          return { spec, server, view, peers: [] as PeerView[] };
        }),
      ),
    (list) => list.map((node) => `${node.spec.name} ${overridesText(node.spec)}`).join(' · '),
  );

  await say.step(
    'peers created, applied by the panel',
    async () => {
      for (const node of nodes) {
        node.peers = await createAppliedPeers(
          api,
          node.view.id,
          node.spec.peers.map((name) => ({ name, generate_preshared_key: true })),
        );
      }
    },
    () =>
      `${nodes.reduce((sum, node) => sum + node.peers.length, 0)} peers (` +
      nodes.map((node) => `${node.spec.name} ${node.peers.length}`).join(', ') +
      ') · all sync_status applied, no reconcile needed',
  );

  await say.step(
    'client configs carry the overrides',
    () =>
      Promise.all(
        nodes.map(async (node) => {
          const peer = node.peers[0];
          const settings = parseWgQuickConfig(await api.clientConfig(peer.id));
          const { override_mtu, override_dns, override_keepalive } = node.spec.overrides;
          const seen: string[] = [];
          if (override_mtu !== undefined) {
            check(settings.mtu === override_mtu, `${peer.name}: MTU ${settings.mtu}`);
            seen.push(`MTU ${settings.mtu}`);
          }
          if (override_dns !== undefined) {
            check(settings.dns.join(',') === override_dns.join(','), `${peer.name}: DNS ${settings.dns}`);
            seen.push(`DNS ${settings.dns.join(',')}`);
          }
          if (override_keepalive !== undefined) {
            check(
              settings.persistentKeepalive === override_keepalive,
              `${peer.name}: keepalive ${settings.persistentKeepalive}`,
            );
            seen.push(`keepalive ${settings.persistentKeepalive}`);
          }
          return `${peer.name} ${seen.join(', ')}`;
        }),
      ),
    (lines) => lines.join(' · '),
  );

  await say.step(
    'fleet in sync',
    async () => {
      const fleet = await api.get<{
        summary: { nodes: number; in_sync: number; drift: number; unknown: number };
      }>('/api/drift/nodes');
      check(fleet.summary.in_sync === NODES.length, `summary ${JSON.stringify(fleet.summary)}`);
      return fleet.summary;
    },
    (summary) => `GET /api/drift/nodes: ${summary.in_sync} of ${summary.nodes} nodes in_sync`,
  );

  const euWest = nodes.find((node) => node.spec.name === 'EU-West')!;
  const [, dave, erin] = euWest.peers;
  const stranger = randomKey();
  const driftMadeAt = await say.step(
    'drift made by hand on EU-West',
    async () => {
      const { wg } = euWest.server;
      await wg.wg(
        'set',
        wg.name,
        'peer',
        stranger,
        'allowed-ips',
        `${poolAddress(euWest.spec.index, 250)}/32`,
      );
      await wg.wg('set', wg.name, 'peer', dave.public_key, 'remove');
      await wg.wg('set', wg.name, 'peer', erin.public_key, 'persistent-keepalive', '5');
      return new Date();
    },
    () =>
      `wg set: + unknown peer ${shortKey(stranger)} · − ${dave.name} · ${erin.name} keepalive ${DEFAULT_KEEPALIVE}→5`,
  );

  await say.step(
    'scheduled scan found the drift',
    async () => {
      const scan = await waitForScheduledScan(
        api,
        euWest.view.id,
        driftMadeAt,
        (SCAN_INTERVAL_S * 3 + 10) * 1000,
      );
      const { report } = await api.get<{ report: NodeDriftReport }>(`/api/drift/scans/${scan.id}`);
      check(
        report.status === 'drift' &&
          report.missing_peers.some((peer) => peer.peer_id === dave.id) &&
          report.mismatched_peers.some((peer) => peer.peer_id === erin.id) &&
          report.unknown_peers.some((peer) => peer.public_key === stranger),
        `the scan saw ${report.status}: ${driftText(report)}`,
      );
      return { report, afterMs: new Date(scan.checked_at).getTime() - driftMadeAt.getTime() };
    },
    ({ report, afterMs }) => `${seconds(afterMs)} after the change: ${driftText(report)}`,
  );

  await say.step(
    'webhook received and verified',
    () => waitForEvent(receiver, subscription.secret, 'drift.detected', euWest.view.id, 20000),
    (event) =>
      `${event.type} ${event.data.node_name} · webhook-id ${event.id} · signature verified (standardwebhooks)`,
  );

  const dry = await say.step(
    'dry-run plan',
    async () => {
      const answer = await dryRun(api, euWest.view.id, { remove_unknown: true });
      const { add, update, remove } = answer.plan;
      check(
        add.length === 1 && update.length === 1 && remove.length === 1,
        `unexpected plan ${JSON.stringify(answer.plan)}`,
      );
      return answer;
    },
    ({ plan_id, plan }) =>
      `plan ${plan_id.slice(0, 8)}: add ${plan.add[0].name} · update ${plan.update[0].name} ` +
      `(${plan.update[0].changes.map((change) => change.field).join(', ')}) · remove ${plan.remove[0].reason} ` +
      `${shortKey(plan.remove[0].public_key)} · nothing changed yet`,
  );

  await say.step(
    'reconcile applied that plan',
    () => reconcileAndWait(api, euWest.view.id, { plan_id: dry.plan_id }),
    (job) =>
      `job ${job.id.slice(0, 8)} ${job.status}: added ${job.result!.added.length} · updated ` +
      `${job.result!.updated.length} · removed ${job.result!.removed.length} · verified ${job.result!.verified}`,
  );

  await say.step(
    'EU-West verified in sync',
    async () => {
      const report = await api.driftReport(euWest.view.id);
      check(report.status === 'in_sync', `live check says ${report.status}: ${driftText(report)}`);
      const { wg } = euWest.server;
      const keepalives = (await wg.wg('show', wg.name, 'persistent-keepalive')).trim().split('\n');
      check(keepalives.length === euWest.peers.length, `wg show lists ${keepalives.length} peers`);
      const erinLine = keepalives.find((line) => line.startsWith(erin.public_key));
      check(erinLine?.endsWith(`\t${DEFAULT_KEEPALIVE}`) ?? false, `${erin.name}: ${erinLine}`);
      return keepalives.length;
    },
    (peers) =>
      `live check in_sync · wg show: ${peers} peers, ${erin.name} keepalive ${DEFAULT_KEEPALIVE} again`,
  );

  await say.step(
    'webhooks after the repair',
    async () => {
      await waitForEvent(receiver, subscription.secret, 'reconcile.succeeded', euWest.view.id, 20000);
      await waitForEvent(receiver, subscription.secret, 'drift.resolved', euWest.view.id, 20000);
      return verifiedEvents(receiver, subscription.secret);
    },
    (events) =>
      `${events.map((event) => event.type).join(', ')} · ${events.length} of ${events.length} signatures valid`,
  );

  return say.step(
    'web console',
    async () => {
      const page = await fetch(`${panel.url}/`);
      check(page.ok && (await page.text()).includes('id="app"'), `GET / answered ${page.status}`);
      const token = await api.post<{ token: string }>('/api/tokens', { name: 'demo console', role: 'admin' });
      return { url: `${panel.url}/`, token: token.token };
    },
    (login) => `served by the panel at ${login.url} · admin token "demo console" created to log in`,
  );
}

async function main(): Promise<number> {
  const started = Date.now();
  const teardown = new Teardown();
  const stopOnSignal = (signal: NodeJS.Signals) => {
    console.log(`\n${signal}: stopping everything the demo started`);
    void teardown.run().then(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);

  const keep = process.argv.includes('--keep');
  let failed = false;
  let login: ConsoleLogin | undefined;
  try {
    login = await runDemo(teardown);
  } catch (error) {
    failed = true;
    // A step's failure is on its line already.
    if (!(error instanceof StepFailed)) console.log(`demo failed: ${(error as Error).message}`);
  }
  if (login) {
    console.log(`\n    console: ${login.url}\n    token:   ${login.token}\n`);
    if (keep && !failed) {
      console.log('    --keep: everything stays up for a look; Ctrl-C stops and removes it');
      await new Promise<never>(() => undefined);
    }
    console.log('    (stopped with the demo: bash scripts/demo.sh --keep leaves it running for a look)');
  }
  const problems = await teardown.run();
  console.log(
    problems.length
      ? `    cleanup incomplete: ${problems.join('; ')}`
      : '    cleanup done: everything the demo started is stopped and removed',
  );
  if (failed || problems.length) {
    console.log(`demo FAILED after ${seconds(Date.now() - started)} · logs in ${STATE_DIR}`);
    return 1;
  }
  console.log(
    `demo passed in ${seconds(Date.now() - started)} · database ${new URL(DATABASE_URL).pathname.slice(1)} ` +
      `kept for a look, dropped on the next run`,
  );
  return 0;
}

void main().then((code) => process.exit(code));
