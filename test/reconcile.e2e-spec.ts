import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { generateKeyPair } from '../agent/test/support/wg-interface';
import {
  createFleetNode,
  eventually,
  finishedJob,
  FleetNode,
  peersSynced,
  presharedKeyHash,
  registerWith,
} from './reconcile-fixture';
import { startPanel, TestPanel } from './support/panel';

jest.setTimeout(120000);

describe('reconcile jobs against real agents on wireguard-go', () => {
  let panel: TestPanel;
  const nodes: FleetNode[] = [];

  beforeAll(async () => {
    panel = await startPanel({
      DRIFT_SCAN_INTERVAL_S: '1',
      AUTO_RECONCILE_MIN_INTERVAL_S: '0',
      APPLY_DEBOUNCE_MS: '50',
    });
  });

  afterAll(async () => {
    for (const node of nodes) await node.destroy();
    await panel?.close();
  });

  async function node(fields: Record<string, unknown> = {}): Promise<FleetNode> {
    const created = await createFleetNode(registerWith(panel), { prefix: 'wgrc', nodeFields: fields });
    nodes.push(created);
    return created;
  }

  async function peer(nodeId: string, body: Record<string, unknown>) {
    const { body: created } = await panel.as().post(`/api/nodes/${nodeId}/peers`, body).expect(201);
    return created as { id: string; name: string; public_key: string };
  }

  /** The seed's example: A keepalive 25 desired (30 on the node), B missing with its preshared key, X unknown. */
  async function seedScenario(target: FleetNode) {
    const a = await peer(target.id, { name: 'A', persistent_keepalive: 25 });
    const b = await peer(target.id, { name: 'B', persistent_keepalive: 25, generate_preshared_key: true });
    await peersSynced(panel, [a.id, b.id]);
    const x = generateKeyPair().publicKey;
    await breakNode(target, a.public_key, b.public_key, x);
    return { a, b, x };
  }

  async function breakNode(target: FleetNode, a: string, b: string, x: string) {
    await target.wg.wg('set', target.wg.name, 'peer', a, 'persistent-keepalive', '30');
    await target.wg.wg('set', target.wg.name, 'peer', b, 'remove');
    await target.wg.wg('set', target.wg.name, 'peer', x, 'allowed-ips', '10.250.0.9/32');
  }

  async function reconcile(nodeId: string, body: Record<string, unknown> = {}, status = 202) {
    const { body: answer } = await panel
      .as()
      .post(`/api/drift/nodes/${nodeId}/reconcile`, body)
      .expect(status);
    return answer;
  }

  it.each(['batch', 'peer', 'syncconf'])('repairs the seed example faithfully in %s mode', async (mode) => {
    const target = await node();
    const { a, b, x } = await seedScenario(target);
    const { job_id } = await reconcile(target.id, { mode });
    const job = await finishedJob(panel, job_id);

    expect(job).toMatchObject({
      status: 'succeeded',
      node_id: target.id,
      options: { mode, remove_unknown: false },
    });
    expect(job.result).toEqual({ added: ['B'], updated: ['A'], removed: [], errors: [], verified: true });
    const dump = await target.dump();
    const byKey = new Map(dump.peers.map((p) => [p.public_key, p]));
    expect(byKey.get(a.public_key)?.persistent_keepalive).toBe(25);
    expect(byKey.get(b.public_key)).toMatchObject({
      persistent_keepalive: 25,
      preshared_key_sha256: await presharedKeyHash(panel, b.id),
    });
    expect(byKey.get(b.public_key)?.allowed_ips).toHaveLength(1);
    expect(byKey.has(x)).toBe(true);

    // The job is in the event log, without secrets.
    const { body: events } = await panel.as().get(`/api/events?aggregate_id=${job_id}`).expect(200);
    expect(events.items.map((e: { type: string }) => e.type)).toEqual([
      'reconcile.requested',
      'reconcile.completed',
    ]);
    expect(events.items[0].payload).toMatchObject({ node_id: target.id, options: { mode } });
    expect(events.items[1].payload.result).toMatchObject({ added: ['B'], updated: ['A'] });
  });

  it('isolates a peer the agent rejects and applies the others, in every mode', async () => {
    const target = await node();
    const good = await peer(target.id, { name: 'good' });
    const bad = await peer(target.id, { name: 'bad' });
    await peersSynced(panel, [good.id, bad.id]);
    // An out-of-range keepalive slipped into the desired state: the agent refuses exactly that peer.
    const db = new Client({ connectionString: panel.databaseUrl });
    await db.connect();
    await db.query('update peers set persistent_keepalive = 70000 where id = $1', [bad.id]);
    await db.end();
    for (const mode of ['batch', 'peer', 'syncconf']) {
      await target.wg.wg('set', target.wg.name, 'peer', good.public_key, 'remove');
      const job = await finishedJob(panel, (await reconcile(target.id, { mode })).job_id);
      expect(job.status).toBe('failed');
      expect(job.result.added).toEqual(['good']);
      expect(job.result.errors).toEqual([
        {
          public_key: bad.public_key,
          operation: 'update',
          message: expect.stringContaining('persistent_keepalive'),
        },
      ]);
      expect((await target.dump()).peers.map((p) => p.public_key)).toContain(good.public_key);
    }
  });

  it('runs concurrent reconciles of one node one after the other', async () => {
    const target = await node();
    const peers = await Promise.all(['p1', 'p2', 'p3'].map((name) => peer(target.id, { name })));
    await peersSynced(
      panel,
      peers.map((p) => p.id),
    );
    const answers = await Promise.all(
      ['batch', 'peer', 'syncconf', 'batch'].map((mode) => reconcile(target.id, { mode })),
    );
    const jobs = await Promise.all(answers.map((answer) => finishedJob(panel, answer.job_id)));
    const spans = jobs
      .map((job) => ({ start: Date.parse(job.started_at), end: Date.parse(job.finished_at) }))
      .sort((x, y) => x.start - y.start);
    for (let i = 1; i < spans.length; i++) expect(spans[i].start).toBeGreaterThanOrEqual(spans[i - 1].end);
    expect(jobs.every((job) => job.status === 'succeeded')).toBe(true);
  });

  it('answers a dry run with a plan, applies it by plan_id, and refuses a stale plan with 409', async () => {
    const target = await node();
    const { a, b } = await seedScenario(target);
    const dry = await reconcile(target.id, { dry_run: true }, 200);
    expect(dry.plan.add.map((p: { name: string }) => p.name)).toEqual(['B']);
    expect(dry.plan.update.map((p: { name: string }) => p.name)).toEqual(['A']);
    expect(dry.plan.remove).toEqual([]);
    expect(JSON.stringify(dry)).not.toMatch(/preshared_key"\s*:\s*"/);
    // Nothing changed on the node.
    expect((await target.dump()).peers.map((p) => p.public_key)).not.toContain(b.public_key);

    // The node moves: the plan is stale.
    await target.wg.wg('set', target.wg.name, 'peer', a.public_key, 'persistent-keepalive', '31');
    const stale = await panel
      .as()
      .post(`/api/drift/nodes/${target.id}/reconcile`, { plan_id: dry.plan_id })
      .expect(409);
    expect(stale.body.error.details).toEqual([expect.objectContaining({ field: 'plan_id' })]);

    const fresh = await reconcile(target.id, { dry_run: true }, 200);
    const job = await finishedJob(panel, (await reconcile(target.id, { plan_id: fresh.plan_id })).job_id);
    expect(job).toMatchObject({
      status: 'succeeded',
      plan: fresh.plan,
      result: { added: ['B'], updated: ['A'], verified: true },
    });
  });

  it('refuses to leave a node with no peers unless allow_empty', async () => {
    const target = await node();
    const stranger = generateKeyPair().publicKey;
    await target.wg.wg('set', target.wg.name, 'peer', stranger, 'allowed-ips', '10.250.1.1/32');
    const refused = await panel
      .as()
      .post(`/api/drift/nodes/${target.id}/reconcile`, { remove_unknown: true })
      .expect(409);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ field: 'allow_empty' })]);
    expect((await target.dump()).peers).toHaveLength(1);

    const job = await finishedJob(
      panel,
      (await reconcile(target.id, { remove_unknown: true, allow_empty: true })).job_id,
    );
    expect(job).toMatchObject({ status: 'succeeded', result: { removed: [stranger], verified: true } });
    expect((await target.dump()).peers).toHaveLength(0);
  });

  it('validates options and names the field', async () => {
    const target = await node();
    const bad = await panel
      .as()
      .post(`/api/drift/nodes/${target.id}/reconcile`, { mode: 'fast' })
      .expect(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ field: 'mode' })]);
    const unknown = await panel
      .as()
      .post(`/api/drift/nodes/${target.id}/reconcile`, { force: true })
      .expect(400);
    expect(JSON.stringify(unknown.body)).toContain('force');
    await panel
      .as()
      .post(`/api/drift/reconcile`, { node_ids: ['nope'] })
      .expect(400);
    await panel.as().get(`/api/reconcile/jobs/${randomUUIDLike()}`).expect(404);
  });

  it('bulk reconciles every enabled node', async () => {
    const { body } = await panel.as().post('/api/drift/reconcile', {}).expect(202);
    expect(body.jobs.length).toBeGreaterThanOrEqual(nodes.length);
    const jobs = await Promise.all(
      body.jobs.map((job: { job_id: string }) => finishedJob(panel, job.job_id)),
    );
    expect(jobs.map((job) => job.node_id).sort()).toEqual(
      body.jobs.map((job: { node_id: string }) => job.node_id).sort(),
    );
  });

  it('self-heals a node with auto_reconcile after a hand-made change', async () => {
    const target = await node({ auto_reconcile: 'safe' });
    const a = await peer(target.id, { name: 'A' });
    await peersSynced(panel, [a.id]);
    await target.wg.wg('set', target.wg.name, 'peer', a.public_key, 'remove');
    await eventually(
      async () => ((await target.dump()).peers.some((p) => p.public_key === a.public_key) ? true : undefined),
      20000,
      'self-heal to re-add the peer',
    );
    const { body } = await panel.as().get(`/api/events?type=reconcile.requested&limit=1000`).expect(200);
    const auto = body.items.filter(
      (e: { payload: { node_id: string; trigger: string } }) =>
        e.payload.node_id === target.id && e.payload.trigger === 'auto',
    );
    expect(auto.length).toBeGreaterThanOrEqual(1);
  });
});

function randomUUIDLike(): string {
  const hex = randomBytes(16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}
