import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWgInterface, WgInterface } from '../../agent/test/support/wg-interface';
import { createFleetNode, eventually, finishedJob, FleetNode, registerWith } from '../reconcile-fixture';
import { startPanel, TestPanel } from '../support/panel';
import { peerConfiguration, putPeersOnNode } from './support/existing-peers';

jest.setTimeout(180000);

const ADOPTED = 9;
const SCAN_INTERVAL_S = 3;

/** 10.173.0.10, 10.173.0.11, ... inside the node's pool. */
const poolAddress = (i: number) => `10.173.0.${i + 10}/32`;

describe('a node with adopted preshared-key peers that reboots (wireguard-go killed, interface recreated empty)', () => {
  let panel: TestPanel;
  let configDir: string;
  let node: FleetNode;
  let restarted: WgInterface | null = null;

  const drift = async () => (await panel.as().get(`/api/drift/nodes/${node.id}`).expect(200)).body;

  beforeAll(async () => {
    panel = await startPanel({
      DRIFT_SCAN_INTERVAL_S: String(SCAN_INTERVAL_S),
      AUTO_RECONCILE_MIN_INTERVAL_S: '0',
      APPLY_DEBOUNCE_MS: '50',
    });
    configDir = await mkdtemp(join(tmpdir(), 'wgfleet-xrs-'));
    node = await createFleetNode(registerWith(panel), {
      prefix: 'xrs',
      configDir,
      nodeFields: { address_pool: '10.173.0.0/16', auto_reconcile: 'safe' },
    });
    // The server as the operator had it: peers with preshared keys, and wg-quick's file of them.
    await putPeersOnNode(
      node,
      Array.from({ length: ADOPTED }, (_, i) => ({ allowed_ips: [poolAddress(i)], psk: true })),
    );
    await writeFile(join(configDir, `${node.wg.name}.conf`), await node.wg.wg('showconf', node.wg.name), {
      mode: 0o600,
    });
    const plan = await panel.as().post(`/api/nodes/${node.id}/adopt`, { dry_run: true }).expect(200);
    const adopted = await panel
      .as()
      .post(`/api/nodes/${node.id}/adopt`, { plan_id: plan.body.plan_id })
      .expect(200);
    expect(adopted.body.adopted).toHaveLength(ADOPTED);
    // And one peer made by the panel, whose key it holds.
    await panel
      .as()
      .post(`/api/nodes/${node.id}/peers`, { name: 'made-here', generate_preshared_key: true })
      .expect(201);
    await eventually(
      async () => ((await node.dump()).peers.length === ADOPTED + 1 ? true : undefined),
      20000,
      'the panel-made peer on the node',
    );
  });

  afterAll(async () => {
    await restarted?.destroy();
    await node?.destroy();
    await panel?.close();
    if (configDir) await rm(configDir, { recursive: true, force: true });
  });

  /** Kills wireguard-go and starts it again with the same key and port: an empty interface. */
  async function restartWireguardGo(): Promise<void> {
    const privateKey = (await node.wg.wg('show', node.wg.name, 'private-key')).trim();
    await node.wg.destroy();
    restarted = await createWgInterface(node.wg.name, {
      keyPair: { privateKey, publicKey: node.wg.publicKey },
      listenPort: node.wg.listenPort,
    });
    expect(await restarted.wg('show', node.wg.name, 'peers')).toBe('');
  }

  it('is in sync again by itself, nothing lost, no scan saw it empty and no repair ran', async () => {
    expect((await drift()).status).toBe('in_sync');
    const before = await peerConfiguration(node);
    expect(before.filter((peer) => peer.preshared_key_sha256 !== null)).toHaveLength(ADOPTED + 1);
    const history = async () =>
      (await panel.as().get(`/api/drift/nodes/${node.id}/history?limit=100`).expect(200)).body.items as {
        status: string;
        checked_at: string;
      }[];
    const rebootedAt = new Date().toISOString();

    await restartWireguardGo();
    // Scheduled scans only: the next one finds the node in sync.
    const scans = await eventually(
      async () => {
        const after = (await history()).filter((scan) => scan.checked_at > rebootedAt);
        return after.length >= 2 ? after : undefined;
      },
      (SCAN_INTERVAL_S * 3 + 10) * 1000,
      'two scans after the reboot',
    );
    expect(scans.map((scan) => scan.status)).toEqual(scans.map(() => 'in_sync'));
    expect(await peerConfiguration(node)).toEqual(before);
    const problem = await panel.as().get(`/api/drift/nodes/${node.id}/reconcile/latest-problem`).expect(200);
    expect(problem.body).toEqual({ job: null, error_groups: [] });
  });

  it('plans a lost adopted peer as "cannot restore" instead of an add, and applying never attempts it', async () => {
    await panel.as().patch(`/api/nodes/${node.id}`, { auto_reconcile: 'off' }).expect(200);
    // The node change is synced (whole node, debounced); let it pass before the node is changed by hand.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const peers: { name: string; public_key: string; origin: string }[] = (
      await panel.as().get(`/api/nodes/${node.id}/peers?limit=100`).expect(200)
    ).body.items;
    const lostAdopted = peers.filter((peer) => peer.origin === 'adopted').slice(0, 3);
    const madeHere = peers.find((peer) => peer.name === 'made-here')!;
    // A hand-made partial change: drift, which the agent never restores.
    for (const peer of [...lostAdopted, madeHere]) {
      await node.wg.wg('set', node.wg.name, 'peer', peer.public_key, 'remove');
    }
    await eventually(
      async () => ((await drift()).summary.missing === 4 ? true : undefined),
      20000,
      'four missing peers',
    );

    const dryRun = await panel
      .as()
      .post(`/api/drift/nodes/${node.id}/reconcile`, { dry_run: true })
      .expect(200);
    const keys = (items: { public_key: string }[]) => items.map((item) => item.public_key).sort();
    expect(keys(dryRun.body.plan.add)).toEqual([madeHere.public_key]);
    expect(keys(dryRun.body.plan.cannot_restore)).toEqual(keys(lostAdopted));
    for (const entry of dryRun.body.plan.cannot_restore) {
      expect(entry).toMatchObject({ operation: 'add', reason: 'the panel does not hold its preshared key' });
    }

    node.resetRequests();
    const queued = await panel
      .as()
      .post(`/api/drift/nodes/${node.id}/reconcile`, { plan_id: dryRun.body.plan_id });
    expect(queued.body).toEqual({ job_id: expect.any(String) });
    const job = await finishedJob(panel, queued.body.job_id);
    // One batch with the peer it can restore; the others never reach the agent.
    expect(node.requests().filter((line) => line.method !== 'GET')).toHaveLength(1);
    expect(job.result.added).toEqual(['made-here']);
    expect(keys(job.result.errors)).toEqual(keys(lostAdopted));
    const onNode = (await node.dump()).peers.map((peer) => peer.public_key);
    expect(onNode).toContain(madeHere.public_key);
    for (const peer of lostAdopted) expect(onNode).not.toContain(peer.public_key);

    // The node page's view: the latest problem job, its errors grouped into one line.
    const problem = await panel.as().get(`/api/drift/nodes/${node.id}/reconcile/latest-problem`).expect(200);
    expect(problem.body.job.id).toBe(job.id);
    expect(problem.body.error_groups).toHaveLength(1);
    expect(problem.body.error_groups[0]).toMatchObject({
      operation: 'add',
      message: expect.stringMatching(/^cannot restore: the panel holds only the hash/),
    });
    expect([...problem.body.error_groups[0].public_keys].sort()).toEqual(keys(lostAdopted));
  });
});
