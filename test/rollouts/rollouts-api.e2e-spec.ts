import { generateKeyPair } from '../../agent/test/support/wg-interface';
import { createFleetNode, eventually, FleetNode, peersSynced, registerWith } from '../reconcile-fixture';
import { startPanel, TestPanel } from '../support/panel';
import { WebhookReceiver } from '../support/webhook-receiver';

jest.setTimeout(120000);

/**
 * Rollouts of a reconcile over real agents on wireguard-go (no traffic: the traffic gate has no active peers
 * and says so): waves in order, one rollout per node, a stale plan halting its wave, the operator's commands.
 */
describe('rollouts API against real agents', () => {
  let panel: TestPanel;
  const nodes: FleetNode[] = [];

  beforeAll(async () => {
    panel = await startPanel({ APPLY_DEBOUNCE_MS: '50' });
    for (let i = 0; i < 3; i++) nodes.push(await createFleetNode(registerWith(panel), { prefix: 'wgro' }));
  });

  afterAll(async () => {
    for (const node of nodes) await node.destroy();
    await panel?.close();
  });

  async function drifted(node: FleetNode): Promise<string> {
    const { body: peer } = await panel
      .as()
      .post(`/api/nodes/${node.id}/peers`, { name: `p-${Date.now()}`, persistent_keepalive: 25 })
      .expect(201);
    await peersSynced(panel, [peer.id]);
    await node.wg.wg('set', node.wg.name, 'peer', peer.public_key, 'persistent-keepalive', '30');
    return peer.public_key as string;
  }

  const rollout = async (id: string) => (await panel.as().get(`/api/rollouts/${id}`).expect(200)).body;

  const settled = (id: string, statuses: string[]) =>
    eventually(
      async () => {
        const body = await rollout(id);
        return statuses.includes(body.status) ? body : undefined;
      },
      60000,
      `rollout ${id} ${statuses.join('|')}`,
    );

  it('repairs every node wave by wave, canary first, and records each step', async () => {
    const keys = await Promise.all(nodes.map(drifted));
    const { body: created } = await panel
      .as()
      .post('/api/rollouts', { node_ids: nodes.map((node) => node.id), bake_s: 0 })
      .expect(201);
    expect(created.status).toBe('running');
    expect(created.waves.map((wave: { node_ids: string[] }) => wave.node_ids.length)).toEqual([1, 1, 1]);
    expect(Object.keys(created.plans).sort()).toEqual(nodes.map((node) => node.id).sort());

    const done = await settled(created.id, ['completed', 'halted']);
    expect(done.halt).toBeNull();
    expect(done.status).toBe('completed');
    for (const wave of done.waves) {
      expect(wave.status).toBe('passed');
      expect(wave.gates.sync.verdict).toBe('pass');
      expect(wave.gates.traffic).toMatchObject({
        active: 0,
        verdict: 'pass',
        detail: 'no peer of the wave was passing traffic before the change',
      });
    }
    for (const node of done.nodes)
      expect(node).toMatchObject({ status: 'applied', result: { status: 'succeeded', verified: true } });
    for (const [i, node] of nodes.entries()) {
      const dump = await node.dump();
      expect(dump.peers.find((peer) => peer.public_key === keys[i])?.persistent_keepalive).toBe(25);
    }
    const started = Date.parse(done.waves[1].started_at);
    expect(started).toBeGreaterThanOrEqual(Date.parse(done.waves[0].passed_at));

    const { body: events } = await panel.as().get(`/api/events?aggregate_id=${created.id}`).expect(200);
    const types = (events.events ?? events.items ?? []).map((event: { type: string }) => event.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'rollout.planned',
        'rollout.commanded',
        'rollout.wave_passed',
        'rollout.completed',
      ]),
    );
  });

  it('holds a node for one unfinished rollout at a time', async () => {
    const { body: planned } = await panel
      .as()
      .post('/api/rollouts', { node_ids: [nodes[0].id], dry_run: true })
      .expect(201);
    expect(planned.status).toBe('planned');
    const { body: refused } = await panel
      .as()
      .post('/api/rollouts', { node_ids: [nodes[0].id, nodes[1].id] })
      .expect(409);
    expect(refused.error.message).toBe(
      `node ${nodes[0].id} is in rollout ${planned.id}, which has not finished`,
    );
    await panel.as().post(`/api/rollouts/${planned.id}/abort`).expect(200);
    const { body: again } = await panel
      .as()
      .post('/api/rollouts', { node_ids: [nodes[0].id], dry_run: true })
      .expect(201);
    await panel.as().post(`/api/rollouts/${again.id}/abort`).expect(200);
  });

  it('halts the wave of a node whose plan went stale, naming it, and leaves the later waves alone', async () => {
    const receiver = await WebhookReceiver.start();
    await panel
      .as()
      .post('/api/webhooks', {
        url: receiver.url(),
        events: ['rollout.started', 'rollout.wave_passed', 'rollout.halted', 'rollout.completed'],
      })
      .expect(201);
    await drifted(nodes[1]);
    const { body: planned } = await panel
      .as()
      .post('/api/rollouts', {
        node_ids: nodes.map((node) => node.id),
        waves: [{ node_ids: [nodes[1].id] }],
        bake_s: 0,
        dry_run: true,
      })
      .expect(201);
    expect(planned.waves[0].node_ids).toEqual([nodes[1].id]);
    // The node moves after planning: a peer the plan knows nothing of.
    await nodes[1].wg.wg(
      'set',
      nodes[1].wg.name,
      'peer',
      generateKeyPair().publicKey,
      'allowed-ips',
      '10.250.0.7/32',
    );
    await panel.as().post(`/api/rollouts/${planned.id}/start`).expect(200);
    const halted = await settled(planned.id, ['halted', 'completed']);
    expect(halted.status).toBe('halted');
    expect(halted.halt).toMatchObject({ wave: 0, node_id: nodes[1].id, gate: 'plan' });
    expect(halted.halt.reason).toContain('stale');
    expect(halted.waves[1].status).toBe('pending');
    expect(
      halted.nodes
        .filter((node: { wave: number }) => node.wave > 0)
        .map((node: { status: string }) => node.status),
    ).toEqual(['pending', 'pending']);

    const { body: refused } = await panel.as().post(`/api/rollouts/${planned.id}/rollback`).expect(409);
    expect(refused.error.message).toContain('no node of the rollout has a previous state to go back to');
    // Resuming plans the stale node again and goes on.
    await panel.as().post(`/api/rollouts/${planned.id}/resume`).expect(200);
    const done = await settled(planned.id, ['completed', 'halted']);
    expect(done.status).toBe('completed');

    const types = (count: number) =>
      receiver.waitFor(count, 20000).then((all) => all.map((hook) => JSON.parse(hook.body)));
    const hooks = await types(4);
    const haltedHook = hooks.find((hook) => hook.type === 'rollout.halted');
    expect(hooks[0]).toMatchObject({ type: 'rollout.started', data: { rollout_id: planned.id } });
    expect(haltedHook.data).toMatchObject({
      rollout_id: planned.id,
      status: 'halted',
      wave: 0,
      halt: { wave: 0, node_id: nodes[1].id, gate: 'plan' },
      url: expect.stringContaining(`/api/rollouts/${planned.id}`),
    });
    await eventually(
      async () =>
        receiver.received.some((hook) => JSON.parse(hook.body).type === 'rollout.completed')
          ? true
          : undefined,
      20000,
      'the rollout.completed webhook',
    );
    await receiver.stop();
  });

  it('names the field of a bad wave', async () => {
    const { body } = await panel
      .as()
      .post('/api/rollouts', { node_ids: [nodes[2].id], waves: [{ node_ids: [nodes[0].id] }] })
      .expect(400);
    expect(body.error.details).toEqual([
      { field: 'waves[0].node_ids', message: `node ${nodes[0].id} is not among the rollout's nodes` },
    ]);
    await panel
      .as()
      .post('/api/rollouts', { node_ids: [nodes[2].id], waves: [{ percent: 0 }] })
      .expect(400);
    await panel.as().post('/api/rollouts', {}).expect(400);
  });
});
