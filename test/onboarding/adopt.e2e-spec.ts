import { createFleetNode, eventually, finishedJob, FleetNode, registerWith } from '../reconcile-fixture';
import { startPanel, TestPanel } from '../support/panel';
import { ExistingPeer, peerConfiguration, putPeersOnNode } from './support/existing-peers';

jest.setTimeout(180000);

const PEERS = 200;

/** 10.77.0.10, 10.77.0.11, ... inside the node's pool 10.77.0.0/16. */
const poolAddress = (i: number) => `10.77.${(i + 10) >> 8}.${(i + 10) & 255}/32`;

describe('adopting the peers a server already has (wireguard-go)', () => {
  let panel: TestPanel;
  let node: FleetNode;
  let existing: ExistingPeer[];
  let conflicting: { ownAddress: ExistingPeer; reserved: ExistingPeer; rangeInPool: ExistingPeer };

  beforeAll(async () => {
    panel = await startPanel({ APPLY_DEBOUNCE_MS: '50' });
    node = await createFleetNode(registerWith(panel), {
      prefix: 'wgob',
      nodeFields: { address_pool: '10.77.0.0/16' },
    });
    // A disabled peer of the panel holds 10.77.0.2 without being on the node.
    await panel
      .as()
      .post(`/api/nodes/${node.id}/peers`, {
        name: 'reserved',
        allowed_ips: ['10.77.0.2/32'],
        enabled: false,
      })
      .expect(201);
    existing = await putPeersOnNode(
      node,
      Array.from({ length: PEERS }, (_, i) => ({
        allowed_ips: i % 10 === 0 ? [poolAddress(i), `192.168.${i / 10}.0/24`] : [poolAddress(i)],
        persistent_keepalive: i % 2 === 0 ? 25 : 0,
        psk: i % 4 !== 3,
      })),
    );
    const [ownAddress, reserved, rangeInPool] = await putPeersOnNode(node, [
      { allowed_ips: ['10.77.0.1/32'] },
      { allowed_ips: ['10.77.0.2/32'], psk: true },
      { allowed_ips: ['10.77.128.0/17'] },
    ]);
    conflicting = { ownAddress, reserved, rangeInPool };
  });

  afterAll(async () => {
    await node?.destroy();
    await panel?.close();
  });

  const drift = async () => (await panel.as().get(`/api/drift/nodes/${node.id}`).expect(200)).body;

  it('plans, refuses a stale plan, adopts as the node has them, and changes nothing on the node', async () => {
    expect((await drift()).summary.unknown).toBe(PEERS + 3);

    const dryRun = await panel.as().post(`/api/nodes/${node.id}/adopt`, { dry_run: true }).expect(200);
    expect(dryRun.body.plan.adopt).toHaveLength(PEERS + 3);
    const entry = (key: string) =>
      dryRun.body.plan.adopt.find((item: { public_key: string }) => item.public_key === key);
    expect(entry(existing[0].public_key)).toEqual({
      public_key: existing[0].public_key,
      name: '10.77.0.10',
      allowed_ips: ['10.77.0.10/32'],
      routed_ips: ['192.168.0.0/24'],
      endpoint: null,
      persistent_keepalive: 25,
      has_preshared_key: true,
    });
    expect(entry(conflicting.ownAddress.public_key).conflict).toMatch(
      /10\.77\.0\.1\/32 is the address of node/,
    );
    expect(entry(conflicting.reserved.public_key).conflict).toMatch(/already belongs to peer reserved/);
    expect(entry(conflicting.rangeInPool.public_key).conflict).toMatch(
      /10\.77\.128\.0\/17 is a range inside the node's pool 10\.77\.0\.0\/16/,
    );

    // The node moves after the dry run: its plan is refused and nothing is adopted.
    const [late] = await putPeersOnNode(node, [{ allowed_ips: ['10.77.9.9/32'] }]);
    const stale = await panel
      .as()
      .post(`/api/nodes/${node.id}/adopt`, { plan_id: dryRun.body.plan_id })
      .expect(409);
    expect(stale.body.error.code).toBe('plan_stale');
    expect((await panel.as().get(`/api/nodes/${node.id}/peers`).expect(200)).body.items).toHaveLength(1);
    await node.wg.wg('set', node.wg.name, 'peer', late.public_key, 'remove');

    const before = await peerConfiguration(node);
    const plan = await panel.as().post(`/api/nodes/${node.id}/adopt`, { dry_run: true }).expect(200);
    node.resetRequests();
    const started = Date.now();
    const applied = await panel
      .as()
      .post(`/api/nodes/${node.id}/adopt`, { plan_id: plan.body.plan_id })
      .expect(200);
    process.stdout.write(`adopted ${applied.body.adopted.length} peers in ${Date.now() - started} ms\n`);

    expect(applied.body.adopted).toHaveLength(PEERS);
    expect(applied.body.skipped.map((item: { public_key: string }) => item.public_key).sort()).toEqual(
      Object.values(conflicting)
        .map((peer) => peer.public_key)
        .sort(),
    );
    const byKey = new Map(
      applied.body.adopted.map((peer: { public_key: string }) => [peer.public_key, peer]),
    );
    existing.forEach((peer, i) =>
      expect(byKey.get(peer.public_key)).toMatchObject({
        name: poolAddress(i).replace('/32', ''),
        origin: 'adopted',
        has_private_key: false,
        has_preshared_key: peer.preshared_key_sha256 !== null,
        allowed_ips: [poolAddress(i)],
        routed_ips: i % 10 === 0 ? [`192.168.${i / 10}.0/24`] : [],
        persistent_keepalive: i % 2 === 0 ? 25 : 0,
        sync_status: 'applied',
      }),
    );

    // In sync but for the three it could not adopt, and not one write reached the node.
    const report = await drift();
    expect(report.summary).toMatchObject({ missing: 0, mismatched: 0, orphaned: 0, unknown: 3, pending: 0 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(node.requests().filter((line) => line.method !== 'GET')).toEqual([]);
    expect(await peerConfiguration(node)).toEqual(before);
    for (const peer of Object.values(conflicting)) {
      await node.wg.wg('set', node.wg.name, 'peer', peer.public_key, 'remove');
    }
    expect((await drift()).status).toBe('in_sync');

    // The address of an adopted peer is reserved: a new peer gets another one.
    const taken = await panel
      .as()
      .post(`/api/nodes/${node.id}/peers`, { name: 'late', allowed_ips: ['10.77.0.10/32'] })
      .expect(409);
    expect(taken.body.error.message).toContain('10.77.0.10/32');

    // Events record it, with the preshared key's hash and no key.
    const adoptedId = (byKey.get(existing[0].public_key) as { id: string }).id;
    const events = await panel.as().get(`/api/events?aggregate_id=${adoptedId}`).expect(200);
    expect(events.body.items).toEqual([
      expect.objectContaining({
        type: 'peer.created',
        payload: expect.objectContaining({
          origin: 'adopted',
          preshared_key_sealed: null,
          private_key_sealed: null,
          preshared_key_sha256: existing[0].preshared_key_sha256,
        }),
      }),
    ]);

    // Its client holds the private key: no config to download.
    const config = await panel.as().get(`/api/peers/${adoptedId}/config`).expect(409);
    expect(config.body.error.message).toContain('client holds the private key');
  });

  it('repairs adopted peers without dropping their preshared key, and says which it cannot restore', async () => {
    const [lost, changed] = [existing[0], existing[2]];
    await node.wg.wg('set', node.wg.name, 'peer', lost.public_key, 'remove');
    await node.wg.wg('set', node.wg.name, 'peer', changed.public_key, 'persistent-keepalive', '7');
    const { body } = await panel.as().post(`/api/drift/nodes/${node.id}/reconcile`, {}).expect(202);
    const job = await finishedJob(panel, body.job_id);
    expect(job.result.updated).toHaveLength(1);
    expect(job.result.errors).toEqual([
      expect.objectContaining({
        public_key: lost.public_key,
        operation: 'add',
        message: expect.stringContaining('holds only the hash'),
      }),
    ]);
    const now = await peerConfiguration(node);
    expect(now.find((peer) => peer.public_key === lost.public_key)).toBeUndefined();
    expect(now.find((peer) => peer.public_key === changed.public_key)).toMatchObject({
      persistent_keepalive: 25,
      preshared_key_sha256: changed.preshared_key_sha256,
    });
    await eventually(
      async () => ((await drift()).summary.missing === 1 ? true : undefined),
      10000,
      'only the lost peer missing',
    );
  });

  it('refuses names that are no peer names or that a peer of the node has, storing nothing', async () => {
    const [peer, other] = await putPeersOnNode(node, [
      { allowed_ips: ['10.77.8.1/32'] },
      { allowed_ips: ['10.77.8.2/32'] },
    ]);
    const refused = async (names: Record<string, unknown>, field: string, message: string) => {
      for (const body of [{ dry_run: true, names }, { names }]) {
        const answer = await panel.as().post(`/api/nodes/${node.id}/adopt`, body).expect(400);
        expect(answer.body.error.message).toContain(field);
        expect(answer.body.error.message).toContain(message);
      }
    };
    await refused({ [peer.public_key]: 'a\nb' }, `names.${peer.public_key}`, 'line breaks');
    await refused({ [peer.public_key]: '' }, `names.${peer.public_key}`, '1 to 100 characters');
    await refused({ 'not-a-key': 'x' }, 'names', 'WireGuard public key');
    await refused(
      { [peer.public_key]: 'twin', [other.public_key]: 'twin' },
      `names.${other.public_key}`,
      'peer names are unique',
    );
    await refused({ [peer.public_key]: 'reserved' }, `names.${peer.public_key}`, 'already named reserved');
    for (const key of [peer.public_key, other.public_key]) {
      const found = await panel.as().get(`/api/nodes/${node.id}/peers`).query({ q: key }).expect(200);
      expect(found.body.items).toEqual([]);
    }

    // A plan's names, one replaced when it is applied.
    const plan = await panel
      .as()
      .post(`/api/nodes/${node.id}/adopt`, {
        dry_run: true,
        public_keys: [peer.public_key, other.public_key],
        names: { [peer.public_key]: 'kiosk' },
      })
      .expect(200);
    expect(plan.body.plan.adopt.map((item: { name: string }) => item.name).sort()).toEqual([
      '10.77.8.2',
      'kiosk',
    ]);
    const applied = await panel
      .as()
      .post(`/api/nodes/${node.id}/adopt`, {
        plan_id: plan.body.plan_id,
        names: { [other.public_key]: 'till' },
      })
      .expect(200);
    expect(applied.body.adopted.map((item: { name: string }) => item.name).sort()).toEqual(['kiosk', 'till']);
  });

  it('answers 400 naming the field for bad input, and 404 for a plan of another node', async () => {
    const bad = await panel
      .as()
      .post(`/api/nodes/${node.id}/adopt`, { public_keys: ['nope'] })
      .expect(400);
    expect(JSON.stringify(bad.body)).toContain('public_keys');
    await panel
      .as()
      .post(`/api/nodes/${node.id}/adopt`, { dry_run: true, plan_id: '00000000-0000-4000-8000-000000000000' })
      .expect(400);
    await panel
      .as()
      .post(`/api/nodes/${node.id}/adopt`, { plan_id: '00000000-0000-4000-8000-000000000000' })
      .expect(404);
  });
});
