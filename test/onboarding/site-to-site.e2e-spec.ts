import {
  createFleetNode,
  eventually,
  finishedJob,
  FleetNode,
  peersSynced,
  registerWith,
} from '../reconcile-fixture';
import { startPanel, TestPanel } from '../support/panel';
import { putPeersOnNode } from './support/existing-peers';

jest.setTimeout(120000);

/** A hub whose peers include two sites: one with a tunnel address and a LAN, one with only its LAN. */
describe('site-to-site peers on a real interface (wireguard-go)', () => {
  let panel: TestPanel;
  let node: FleetNode;
  let siteKey: string;
  let lanOnlyKey: string;
  let rangeKey: string;

  beforeAll(async () => {
    panel = await startPanel({ APPLY_DEBOUNCE_MS: '50' });
    node = await createFleetNode(registerWith(panel), {
      prefix: 'xss',
      nodeFields: { address_pool: '10.175.0.0/24' },
    });
    const [site, lanOnly, range] = await putPeersOnNode(node, [
      { allowed_ips: ['10.175.0.10/32', '10.175.60.0/24'], persistent_keepalive: 25 },
      { allowed_ips: ['10.175.61.0/24'] },
      { allowed_ips: ['10.175.0.128/25'] },
    ]);
    [siteKey, lanOnlyKey, rangeKey] = [site.public_key, lanOnly.public_key, range.public_key];
    await setEndpoint(siteKey, '10.175.9.1:40000');
    await setEndpoint(lanOnlyKey, '10.175.9.2:40000');
  });

  afterAll(async () => {
    await node?.destroy();
    await panel?.close();
  });

  const setEndpoint = (key: string, endpoint: string) =>
    node.wg.wg('set', node.wg.name, 'peer', key, 'endpoint', endpoint);
  const drift = async () => (await panel.as().get(`/api/drift/nodes/${node.id}`).expect(200)).body;
  const onNode = async (key: string) => (await node.dump()).peers.find((peer) => peer.public_key === key);

  it('adopts sites with their routed networks and endpoints, refuses a range over the pool', async () => {
    const dryRun = await panel.as().post(`/api/nodes/${node.id}/adopt`, { dry_run: true }).expect(200);
    const entries = new Map(
      dryRun.body.plan.adopt.map((entry: { public_key: string }) => [entry.public_key, entry]),
    );
    expect(entries.get(siteKey)).toEqual({
      public_key: siteKey,
      name: '10.175.0.10',
      allowed_ips: ['10.175.0.10/32'],
      routed_ips: ['10.175.60.0/24'],
      endpoint: '10.175.9.1:40000',
      persistent_keepalive: 25,
      has_preshared_key: false,
    });
    expect(entries.get(lanOnlyKey)).toMatchObject({ allowed_ips: [], routed_ips: ['10.175.61.0/24'] });
    expect(entries.get(rangeKey)).toMatchObject({
      conflict: "10.175.0.128/25 is a range inside the node's pool 10.175.0.0/24, not a single address",
    });

    const applied = await panel
      .as()
      .post(`/api/nodes/${node.id}/adopt`, { plan_id: dryRun.body.plan_id })
      .expect(200);
    expect(applied.body.adopted.map((peer: { public_key: string }) => peer.public_key).sort()).toEqual(
      [siteKey, lanOnlyKey].sort(),
    );
    expect(applied.body.skipped).toEqual([expect.objectContaining({ public_key: rangeKey })]);

    // Only the refused range is left as unknown; the sites are in sync as they are.
    expect((await drift()).summary).toMatchObject({ mismatched: 0, missing: 0, unknown: 1 });
    await node.wg.wg('set', node.wg.name, 'peer', rangeKey, 'remove');
    expect((await drift()).status).toBe('in_sync');
    // The next peer's address is a free single one of the pool.
    const next = await panel.as().post(`/api/nodes/${node.id}/peers`, { name: 'laptop' }).expect(201);
    expect(next.body.allowed_ips).toEqual(['10.175.0.11/32']);
    await peersSynced(panel, [next.body.id]);
  });

  it("reports a site's endpoint changed by hand as drift and puts it back", async () => {
    await setEndpoint(siteKey, '10.175.9.3:40000');
    const report = await drift();
    expect(report.status).toBe('drift');
    expect(report.mismatched_peers).toEqual([
      expect.objectContaining({
        public_key: siteKey,
        mismatches: [{ field: 'endpoint', expected: '10.175.9.1:40000', actual: '10.175.9.3:40000' }],
      }),
    ]);

    const { body } = await panel.as().post(`/api/drift/nodes/${node.id}/reconcile`, {}).expect(202);
    const job = await finishedJob(panel, body.job_id);
    expect(job).toMatchObject({ status: 'succeeded', result: { errors: [], verified: true } });
    expect((await onNode(siteKey))?.endpoint).toBe('10.175.9.1:40000');
    expect((await drift()).status).toBe('in_sync');
  });

  it("applies an edited site's networks and endpoint to the node", async () => {
    const { body: peers } = await panel.as().get(`/api/nodes/${node.id}/peers`).expect(200);
    const site = peers.items.find((peer: { public_key: string }) => peer.public_key === lanOnlyKey);
    await panel
      .as()
      .patch(`/api/peers/${site.id}`, { routed_ips: ['10.175.62.0/24'], endpoint: '10.175.9.4:40001' })
      .expect(200);
    await peersSynced(panel, [site.id]);
    expect(await onNode(lanOnlyKey)).toMatchObject({
      allowed_ips: ['10.175.62.0/24'],
      endpoint: '10.175.9.4:40001',
    });
    await eventually(
      async () => ((await drift()).status === 'in_sync' ? true : undefined),
      10000,
      'the node in sync after the edit',
    );
  });
});
