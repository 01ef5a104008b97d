import { Client } from 'pg';
import { createFleetNode, eventually, FleetNode, registerWith } from '../reconcile-fixture';
import { dropDatabase, startPanel, testDatabaseUrl, TestPanel } from '../support/panel';

jest.setTimeout(120000);

/**
 * A rollout lives in PostgreSQL: when the panel stepping it dies holding its lease, another instance on the
 * same database carries it on once the lease runs out, from the step it had reached.
 */
describe('a rollout carried on by another panel instance', () => {
  const databaseUrl = testDatabaseUrl();
  let first: TestPanel | null = null;
  let second: TestPanel | null = null;
  const nodes: FleetNode[] = [];

  afterAll(async () => {
    for (const node of nodes) await node.destroy();
    await first?.close();
    await second?.close();
    await dropDatabase(databaseUrl);
  });

  it('completes after the first panel died mid-rollout', async () => {
    first = await startPanel({ DATABASE_URL: databaseUrl, APPLY_DEBOUNCE_MS: '50' });
    for (let i = 0; i < 3; i++) nodes.push(await createFleetNode(registerWith(first), { prefix: 'wgro' }));
    const { body: created } = await first
      .as()
      .post('/api/rollouts', { node_ids: nodes.map((node) => node.id), bake_s: 2 })
      .expect(201);
    const firstPanel = first;
    await eventually(
      async () => {
        const { body } = await firstPanel.as().get(`/api/rollouts/${created.id}`).expect(200);
        return body.waves[0].status === 'passed' ? body : undefined;
      },
      30000,
      'the canary wave passed',
    );

    // The first panel dies holding the lease: nobody renews it and it is not handed back.
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    const lease = async () =>
      (await db.query(`select lease_owner, lease_until from rollouts where id = $1`, [created.id])).rows[0];
    const held = await lease();
    await db.query(
      `update rollouts set lease_owner = 'a-panel-that-died', lease_until = now() + interval '4 s' where id = $1`,
      [created.id],
    );
    expect(held.lease_owner).toEqual(expect.any(String));
    await first.close();
    first = null;

    second = await startPanel({ DATABASE_URL: databaseUrl, APPLY_DEBOUNCE_MS: '50' });
    const secondPanel = second;
    const before = (await secondPanel.as().get(`/api/rollouts/${created.id}`).expect(200)).body;
    expect(before.status).toBe('running');
    const done = await eventually(
      async () => {
        const { body } = await secondPanel.as().get(`/api/rollouts/${created.id}`).expect(200);
        return ['completed', 'halted'].includes(body.status) ? body : undefined;
      },
      60000,
      'the rollout finished on the second panel',
    );
    expect(done.halt).toBeNull();
    expect(done.status).toBe('completed');
    expect(done.waves.map((wave: { status: string }) => wave.status)).toEqual(['passed', 'passed', 'passed']);
    const { lease_owner: owner } = await lease();
    expect(owner).not.toBe('a-panel-that-died');
    expect(owner).not.toBe(held.lease_owner);
    // Each node applied once: the second panel went on from where the first stopped.
    const { rows } = await db.query(
      `select count(*)::int as n from events where aggregate_id = $1 and type = 'rollout.node_applied'`,
      [created.id],
    );
    expect(rows[0].n).toBe(3);
    await db.end();
  });
});
