import { UsersService } from '../../src/modules/users';
import { generateKeyPair } from '../../src/common/crypto/wireguard-keys';
import { nodeBody } from '../resilience/support/fleet';
import { TestPanel, startPanel } from '../support/panel';
import { openTestSession } from './support/test-sessions';

const MISSING = '00000000-0000-4000-8000-00000000dead';

describe('scopes: roles on part of the fleet', () => {
  let panel: TestPanel;
  let inside: string;
  let outside: string;
  let peerOutside: string;

  const token = async (role: string, scope: object) =>
    (
      await panel
        .as()
        .post('/api/tokens', { name: `scoped-${role}`, role, scope })
        .expect(201)
    ).body.token as string;
  const notFoundBody = (what: string, id: string) => ({
    error: { code: 'not_found', message: `${what} ${id} not found` },
  });

  beforeAll(async () => {
    panel = await startPanel();
    inside = (
      await panel
        .as()
        .post('/api/nodes', nodeBody({ name: 'eu-1', tags: { region: 'eu' } }))
        .expect(201)
    ).body.id;
    outside = (
      await panel
        .as()
        .post('/api/nodes', nodeBody({ name: 'us-1', tags: { region: 'us' } }))
        .expect(201)
    ).body.id;
    peerOutside = (
      await panel
        .as()
        .post(`/api/nodes/${outside}/peers`, { name: 'us-laptop', public_key: generateKeyPair().publicKey })
        .expect(201)
    ).body.id;
  });

  afterAll(() => panel.close());

  it('lists only the nodes of a token scoped to a tag, and answers 404 for the others like missing ones', async () => {
    const eu = await token('write', { tag: 'region=eu' });
    const list = await panel.as(eu).get('/api/nodes').expect(200);
    expect(list.body.items.map((node: { name: string }) => node.name)).toEqual(['eu-1']);
    await panel.as(eu).get(`/api/nodes/${inside}`).expect(200);
    await panel.as(eu).get(`/api/nodes/${inside}/settings`).expect(200);

    expect((await panel.as(eu).get(`/api/nodes/${outside}`).expect(404)).body).toEqual(
      notFoundBody('node', outside),
    );
    expect((await panel.as(eu).get(`/api/nodes/${MISSING}`).expect(404)).body).toEqual(
      notFoundBody('node', MISSING),
    );
    await panel.as(eu).get(`/api/nodes/${outside}/settings`).expect(404);
    await panel.as(eu).patch(`/api/nodes/${outside}`, { override_mtu: 1400 }).expect(404);
    await panel.as(eu).delete(`/api/nodes/${outside}`).expect(404);
    await panel.as(eu).get(`/api/nodes/${outside}/peers`).expect(404);
    await panel
      .as(eu)
      .post(`/api/nodes/${outside}/peers`, { name: 'x', public_key: generateKeyPair().publicKey })
      .expect(404);
    expect((await panel.as(eu).get(`/api/peers/${peerOutside}`).expect(404)).body).toEqual(
      notFoundBody('peer', peerOutside),
    );
    await panel.as(eu).get(`/api/peers/${peerOutside}/config`).expect(404);
    await panel.as(eu).get(`/api/peers/${peerOutside}/usage`).expect(404);
    await panel.as(eu).get(`/api/drift/nodes/${outside}/history`).expect(404);
    await panel.as(eu).post(`/api/drift/nodes/${outside}/reconcile`, {}).expect(404);

    const peer = await panel
      .as(eu)
      .post(`/api/nodes/${inside}/peers`, { name: 'eu-laptop', public_key: generateKeyPair().publicKey })
      .expect(201);
    await panel.as(eu).get(`/api/peers/${peer.body.id}`).expect(200);
    // Still a 400 for a malformed id, before any scope is looked at.
    await panel.as(eu).get('/api/nodes/not-a-uuid').expect(400);
  });

  it('scopes by listed nodes too, and keeps a tag change inside the scope', async () => {
    const us = await token('read', { node_ids: [outside] });
    const list = await panel.as(us).get('/api/nodes').expect(200);
    expect(list.body.items.map((node: { name: string }) => node.name)).toEqual(['us-1']);
    await panel.as(us).get(`/api/nodes/${inside}`).expect(404);

    const eu = await token('write', { tag: 'region=eu' });
    const away = await panel
      .as(eu)
      .patch(`/api/nodes/${inside}`, { tags: { region: 'us' } })
      .expect(403);
    expect(away.body.error.details).toEqual([{ field: 'tags', message: 'outside your scope' }]);
    await panel
      .as(eu)
      .patch(`/api/nodes/${inside}`, { tags: { region: 'eu', tier: 'edge' } })
      .expect(200);
    const tagged = await panel.as(eu).get('/api/nodes?tag=tier=edge').expect(200);
    expect(tagged.body.items.map((node: { name: string }) => node.name)).toEqual(['eu-1']);
    expect((await panel.as(eu).get('/api/nodes?tag=region=us').expect(200)).body.items).toEqual([]);
  });

  it('reads drift of its scope only', async () => {
    const eu = await token('read', { tag: 'region=eu' });
    const fleet = await panel.as(eu).get('/api/drift/nodes').expect(200);
    expect(fleet.body.nodes.map((node: { node_id: string }) => node.node_id)).toEqual([inside]);
    await panel.as().get(`/api/drift/nodes/${outside}`).expect(200);
    const history = await panel.as().get(`/api/drift/nodes/${outside}/history`).expect(200);
    expect(history.body.items.length).toBeGreaterThan(0);
    for (const scan of history.body.items) await panel.as(eu).get(`/api/drift/scans/${scan.id}`).expect(404);
  });

  it('limits a bulk reconcile to the scope and says so', async () => {
    const eu = await token('write', { tag: 'region=eu' });
    const bulk = await panel.as(eu).post('/api/drift/reconcile', {}).expect(202);
    expect(bulk.body.limited_to_scope).toBe(true);
    expect(bulk.body.jobs.map((job: { node_id: string }) => job.node_id)).toEqual([inside]);
    await panel.as(eu).get(`/api/reconcile/jobs/${bulk.body.jobs[0].job_id}`).expect(200);

    const named = await panel
      .as(eu)
      .post('/api/drift/reconcile', { node_ids: [outside] })
      .expect(404);
    expect(named.body.error.message).toBe(`node_ids: no node ${outside}`);

    const everything = await panel.as().post('/api/drift/reconcile', {}).expect(202);
    expect(everything.body.limited_to_scope).toBe(false);
    expect(everything.body.jobs).toHaveLength(2);
    const foreignJob = everything.body.jobs.find((job: { node_id: string }) => job.node_id === outside);
    await panel.as(eu).get(`/api/reconcile/jobs/${foreignJob.job_id}`).expect(404);
  });

  it('refuses fleet-wide objects to a scoped admin, saying why', async () => {
    const euAdmin = await token('admin', { tag: 'region=eu' });
    const fleetWide: [string, string][] = [
      ['/api/tokens', 'admin'],
      ['/api/webhooks', 'admin'],
      ['/api/bindings', 'admin'],
      ['/api/enrollments', 'read'],
      ['/api/events', 'read'],
      ['/api/audit/status', 'read'],
    ];
    for (const [url, role] of fleetWide) {
      const refused = await panel.as(euAdmin).get(url).expect(403);
      expect(refused.body.error.message).toBe(
        `this needs role ${role} on the whole fleet; yours is limited to part of it`,
      );
    }
    await panel.as(euAdmin).post('/api/nodes', nodeBody()).expect(403);
    await panel.as(euAdmin).post('/api/tokens', { name: 'escalate', role: 'admin' }).expect(403);
    const me = await panel.as(euAdmin).get('/api/me').expect(200);
    expect(me.body).toMatchObject({
      kind: 'token',
      bindings: [{ role: 'admin', scope: { tag: 'region=eu' } }],
    });
  });

  it('scopes a cluster and its peers by the cluster only, not by its members', async () => {
    const cluster = async (name: string, pool: string) =>
      (
        await panel
          .as()
          .post('/api/clusters', {
            name,
            endpoint_host: `${name}.example.com`,
            endpoint_port: 51820,
            address_pool: pool,
          })
          .expect(201)
      ).body.id as string;
    const edge = await cluster('edge', '10.174.100.0/24');
    const core = await cluster('core', '10.174.101.0/24');
    const peer = await panel
      .as()
      .post(`/api/clusters/${edge}/peers`, { name: 'edge-laptop', public_key: generateKeyPair().publicKey })
      .expect(201);

    const edgeWriter = await token('write', { cluster_id: edge });
    await panel.as(edgeWriter).get(`/api/clusters/${edge}`).expect(200);
    await panel.as(edgeWriter).get(`/api/clusters/${edge}/peers`).expect(200);
    await panel.as(edgeWriter).get(`/api/peers/${peer.body.id}`).expect(200);
    expect((await panel.as(edgeWriter).get(`/api/clusters/${core}`).expect(404)).body).toEqual(
      notFoundBody('cluster', core),
    );
    await panel.as(edgeWriter).get(`/api/clusters/${core}/peers`).expect(404);
    await panel.as(edgeWriter).get('/api/clusters').expect(403);
    await panel.as(edgeWriter).post(`/api/clusters/${edge}/members`, { node_id: inside }).expect(403);
    expect((await panel.as(edgeWriter).get('/api/nodes').expect(200)).body.items).toEqual([]);

    const eu = await token('write', { tag: 'region=eu' });
    await panel.as(eu).get(`/api/peers/${peer.body.id}`).expect(404);
    await panel.as(eu).get(`/api/clusters/${edge}`).expect(404);
  });

  it('checks a token scope as it is created: 400 naming scope', async () => {
    for (const scope of [
      { tag: 'region' },
      { node_ids: [] },
      { node_ids: ['eu-1'] },
      { all: false },
      { everything: true },
      { all: true, node_ids: [inside] },
      'all',
    ]) {
      const refused = await panel.as().post('/api/tokens', { name: 'bad', role: 'read', scope }).expect(400);
      expect(refused.body.error.details[0].field).toBe('scope');
    }
    const created = await panel.as().post('/api/tokens', { name: 'default', role: 'read' }).expect(201);
    expect(created.body.scope).toEqual({ all: true });
  });

  describe('bindings', () => {
    let ada: string;

    beforeAll(async () => {
      ada = (
        await panel.app.get(UsersService).upsertFromClaims({
          issuer: 'https://idp.example.com',
          subject: 'ada',
          name: 'Ada',
          email: 'ada@example.com',
          groups: ['eu-ops'],
        })
      ).id;
    });

    it('are managed by admins of the whole fleet only', async () => {
      const reader = await token('read', { all: true });
      await panel.as(reader).get('/api/bindings').expect(403);
      await panel
        .as(reader)
        .post('/api/bindings', { subject: { group: 'x' }, role: 'read', scope: { all: true } })
        .expect(403);

      const bad = await panel
        .as()
        .post('/api/bindings', { subject: { team: 'x' }, role: 'read', scope: { all: true } })
        .expect(400);
      expect(bad.body.error.details[0].field).toBe('subject');
      const nobody = await panel
        .as()
        .post('/api/bindings', { subject: { user_id: MISSING }, role: 'read', scope: { all: true } })
        .expect(400);
      expect(nobody.body.error.details[0].field).toBe('subject.user_id');
      await panel
        .as()
        .post('/api/bindings', { subject: { group: 'x' }, role: 'owner', scope: { all: true } })
        .expect(400);

      const created = await panel
        .as()
        .post('/api/bindings', { subject: { user_id: ada }, role: 'read', scope: { all: true } })
        .expect(201);
      expect(created.body).toMatchObject({ subject: { user_id: ada }, role: 'read', scope: { all: true } });
      const list = await panel.as().get('/api/bindings').expect(200);
      expect(list.body.items).toContainEqual(created.body);
      await panel.as().delete(`/api/bindings/${created.body.id}`).expect(204);
      await panel.as().delete(`/api/bindings/${created.body.id}`).expect(404);
    });

    it("give a user their groups' roles: write on a scope is write there only, and the rest is hidden", async () => {
      const session = await openTestSession(panel, ada);
      const asAda = () => session;
      // Signed in without a binding: who am I answers, nothing else does.
      expect((await asAda().get('/api/me').expect(200)).body).toEqual({
        kind: 'user',
        id: ada,
        name: 'Ada',
        bindings: [],
      });
      await asAda().get('/api/nodes').expect(403);

      const group = await panel
        .as()
        .post('/api/bindings', { subject: { group: 'eu-ops' }, role: 'write', scope: { tag: 'region=eu' } })
        .expect(201);
      expect((await asAda().get('/api/me').expect(200)).body.bindings).toEqual([
        { role: 'write', scope: { tag: 'region=eu' } },
      ]);
      const list = await asAda().get('/api/nodes').expect(200);
      expect(list.body.items.map((node: { id: string }) => node.id)).toEqual([inside]);
      await asAda().get(`/api/nodes/${outside}`).expect(404);
      await asAda().post(`/api/drift/nodes/${outside}/reconcile`, {}).expect(404);
      expect((await asAda().post('/api/drift/reconcile', {}).expect(202)).body.limited_to_scope).toBe(true);
      await asAda().get('/api/tokens').expect(403);

      // Bindings add up: read on all shows the other node, still not writable.
      const reader = await panel
        .as()
        .post('/api/bindings', { subject: { user_id: ada }, role: 'read', scope: { all: true } })
        .expect(201);
      await asAda().get(`/api/nodes/${outside}`).expect(200);
      expect((await asAda().get('/api/nodes').expect(200)).body.items).toHaveLength(2);
      const refused = await asAda().patch(`/api/nodes/${outside}`, { override_mtu: 1400 }).expect(403);
      expect(refused.body.error.message).toBe('this needs role write on this node; yours grants less there');
      await asAda().patch(`/api/nodes/${inside}`, { override_mtu: 1400 }).expect(200);

      // A deleted binding stops granting at the next request.
      await panel.as().delete(`/api/bindings/${reader.body.id}`).expect(204);
      await panel.as().delete(`/api/bindings/${group.body.id}`).expect(204);
      await asAda().get(`/api/nodes/${inside}`).expect(403);
    });
  });
});
