import { Client } from 'pg';
import { createFleetNode, registerWith, eventually, FleetNode, peersSynced } from './reconcile-fixture';
import { startPanel, TestPanel } from './support/panel';

jest.setTimeout(180000);

describe('sync: desired state reaches the nodes by itself', () => {
  let panel: TestPanel;
  const nodes: FleetNode[] = [];

  beforeAll(async () => {
    panel = await startPanel({ APPLY_DEBOUNCE_MS: '200', APPLY_MAX_WAIT_MS: '2000' });
  });

  afterAll(async () => {
    for (const node of nodes) await node.destroy();
    await panel?.close();
  });

  async function node(): Promise<FleetNode> {
    const created = await createFleetNode(registerWith(panel), { prefix: 'wgsy' });
    nodes.push(created);
    return created;
  }

  async function onNode(target: FleetNode, publicKey: string) {
    return (await target.dump()).peers.find((p) => p.public_key === publicKey);
  }

  async function pendingOf(nodeId: string): Promise<number> {
    return (await panel.as().get(`/api/nodes/${nodeId}`).expect(200)).body.pending;
  }

  it('carries a create, an update, a disable, an enable and a delete to the node', async () => {
    const target = await node();
    const started = Date.now();
    const { body: peer } = await panel
      .as()
      .post(`/api/nodes/${target.id}/peers`, { name: 'alice' })
      .expect(201);
    expect(peer.sync_status).toBe('pending');
    await eventually(async () => onNode(target, peer.public_key), 5000, 'the created peer on the node');
    expect(Date.now() - started).toBeLessThan(5000);
    await peersSynced(panel, [peer.id]);
    expect(await pendingOf(target.id)).toBe(0);

    await panel
      .as()
      .patch(`/api/peers/${peer.id}`, { persistent_keepalive: 41, allowed_ips: ['10.200.9.9/32'] })
      .expect(200);
    await eventually(
      async () => {
        const seen = await onNode(target, peer.public_key);
        return seen?.persistent_keepalive === 41 && seen.allowed_ips.join() === '10.200.9.9/32'
          ? seen
          : undefined;
      },
      5000,
      'the update on the node',
    );

    await panel.as().patch(`/api/peers/${peer.id}`, { enabled: false }).expect(200);
    await eventually(
      async () => ((await onNode(target, peer.public_key)) ? undefined : true),
      5000,
      'disable',
    );
    await peersSynced(panel, [peer.id]);

    await panel.as().patch(`/api/peers/${peer.id}`, { enabled: true }).expect(200);
    await eventually(async () => onNode(target, peer.public_key), 5000, 'enable');

    await panel.as().delete(`/api/peers/${peer.id}`).expect(204);
    await eventually(
      async () => ((await onNode(target, peer.public_key)) ? undefined : true),
      5000,
      'delete',
    );
    await eventually(
      async () => ((await pendingOf(target.id)) === 0 ? true : undefined),
      5000,
      'no pending removal',
    );
  });

  it('leaves a peer created then deleted at once simply absent', async () => {
    const target = await node();
    const { body: peer } = await panel
      .as()
      .post(`/api/nodes/${target.id}/peers`, { name: 'brief' })
      .expect(201);
    await panel.as().delete(`/api/peers/${peer.id}`).expect(204);
    await eventually(async () => ((await pendingOf(target.id)) === 0 ? true : undefined), 5000, 'settled');
    expect(await onNode(target, peer.public_key)).toBeUndefined();
  });

  it('keeps changes pending while the agent is down and applies them when it is back', async () => {
    const target = await node();
    const { body: first } = await panel
      .as()
      .post(`/api/nodes/${target.id}/peers`, { name: 'first' })
      .expect(201);
    await peersSynced(panel, [first.id]);
    await target.stopAgent();
    const { body: second } = await panel
      .as()
      .post(`/api/nodes/${target.id}/peers`, { name: 'second' })
      .expect(201);
    await panel.as().patch(`/api/peers/${first.id}`, { persistent_keepalive: 7 }).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    for (const id of [first.id, second.id]) {
      expect((await panel.as().get(`/api/peers/${id}`).expect(200)).body.sync_status).toBe('pending');
    }
    expect(await pendingOf(target.id)).toBe(2);

    await target.startAgent();
    await peersSynced(panel, [first.id, second.id], 'applied', 40000);
    expect((await onNode(target, first.public_key))?.persistent_keepalive).toBe(7);
    expect(await onNode(target, second.public_key)).toBeDefined();
  });

  it('sends only what changed: a hand-made change to another peer is left for drift detection', async () => {
    const target = await node();
    const created = [];
    for (const name of ['changed', 'untouched', 'also-untouched']) {
      created.push((await panel.as().post(`/api/nodes/${target.id}/peers`, { name }).expect(201)).body);
    }
    await peersSynced(
      panel,
      created.map((peer) => peer.id),
    );
    const [changed, untouched] = created;
    await target.wg.wg('set', target.wg.name, 'peer', untouched.public_key, 'persistent-keepalive', '9');
    target.resetRequests();

    await panel.as().patch(`/api/peers/${changed.id}`, { persistent_keepalive: 33 }).expect(200);
    await eventually(
      async () =>
        (await onNode(target, changed.public_key))?.persistent_keepalive === 33 ? true : undefined,
      5000,
      'the change on the node',
    );
    await peersSynced(panel, [changed.id]);
    // One write (the GETs are this test's own dumps), and only the changed peer was in it.
    const writes = target.requests().filter((request) => request.method !== 'GET');
    expect(writes.map((request) => request.method)).toEqual(['POST']);
    expect((await onNode(target, untouched.public_key))?.persistent_keepalive).toBe(9);
  });

  it('marks a peer the agent rejects as failed without blocking the others', async () => {
    const target = await node();
    const { body: bad } = await panel.as().post(`/api/nodes/${target.id}/peers`, { name: 'bad' }).expect(201);
    await peersSynced(panel, [bad.id]);
    const db = new Client({ connectionString: panel.databaseUrl });
    await db.connect();
    await db.query('update peers set persistent_keepalive = 70000, version = version + 1 where id = $1', [
      bad.id,
    ]);
    await db.end();
    const { body: good } = await panel
      .as()
      .post(`/api/nodes/${target.id}/peers`, { name: 'good' })
      .expect(201);
    await peersSynced(panel, [good.id]);
    await peersSynced(panel, [bad.id], 'failed');
    const { body: view } = await panel.as().get(`/api/peers/${bad.id}`).expect(200);
    expect(view.sync_error).toContain('persistent_keepalive');
    expect(await onNode(target, good.public_key)).toBeDefined();
  });

  it('applies a 1,000-peer burst with at most 20 agent calls', async () => {
    const target = await node();
    target.resetRequests();
    const ids: string[] = [];
    const names = Array.from({ length: 1000 }, (_, i) => `burst-${i}`);
    const started = Date.now();
    // A steady stream from 50 concurrent clients, as a provisioning script would send it.
    let next = 0;
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < names.length) {
          const name = names[next++];
          const { body } = await panel.as().post(`/api/nodes/${target.id}/peers`, { name }).expect(201);
          ids.push(body.id as string);
        }
      }),
    );
    const createdMs = Date.now() - started;
    await eventually(
      async () => ((await pendingOf(target.id)) === 0 ? true : undefined),
      30000,
      'no pending',
    );
    const calls = target.requests().length;
    expect((await target.dump()).peers).toHaveLength(1000);
    const { body: page } = await panel.as().get(`/api/nodes/${target.id}/peers?limit=1000`).expect(200);
    expect(page.items.every((p: { sync_status: string }) => p.sync_status === 'applied')).toBe(true);
    console.log(`burst: 1000 creates in ${createdMs} ms, ${calls} agent calls`);
    expect(calls).toBeLessThanOrEqual(20);
    expect(ids).toHaveLength(1000);
  });
});
