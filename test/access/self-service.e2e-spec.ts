import type { ActorRef } from '@wgfleet/protocol';
import { UsersService } from '../../src/modules/users';
import { nodeBody } from '../resilience/support/fleet';
import { startPanel, type TestPanel } from '../support/panel';
import { openTestSession, type TestSession } from './support/test-sessions';

jest.setTimeout(60_000);

interface OwnPeer {
  id: string;
  name: string;
  node_id: string;
  owner: string | null;
}

// Self-service (docs/API.md "Self-service"): a user with role `self` sees, downloads, adds and deletes only
// their own devices, on the nodes their binding allows, up to SELF_SERVICE_PEER_LIMIT (3 here).
describe('self-service: my devices', () => {
  let panel: TestPanel;
  let allowed: string;
  let other: string;
  let ada: string;
  let bob: string;
  let bobsPeer: string;

  const sessions = new Map<string, TestSession>();
  const as = (user: string): TestSession => {
    const session = sessions.get(user);
    if (!session) throw new Error(`no session for ${user}`);
    return session;
  };

  beforeAll(async () => {
    panel = await startPanel({ SELF_SERVICE_PEER_LIMIT: '3' });
    allowed = (
      await panel
        .as()
        .post('/api/nodes', nodeBody({ name: 'office' }))
        .expect(201)
    ).body.id;
    other = (
      await panel
        .as()
        .post('/api/nodes', nodeBody({ name: 'datacenter', address_pool: '10.0.2.0/24' }))
        .expect(201)
    ).body.id;
    const users = panel.app.get(UsersService);
    const claims = (subject: string, name: string) => ({
      issuer: 'https://idp.example.com',
      subject,
      name,
      email: null,
      groups: [],
    });
    ada = (await users.upsertFromClaims(claims('ada', 'Ada'))).id;
    bob = (await users.upsertFromClaims(claims('bob', 'Bob'))).id;
    for (const user of [ada, bob]) sessions.set(user, await openTestSession(panel, user));
    for (const user of [ada, bob]) {
      await panel
        .as()
        .post('/api/bindings', { subject: { user_id: user }, role: 'self', scope: { node_ids: [allowed] } })
        .expect(201);
    }
    bobsPeer = (
      await panel.as().post(`/api/nodes/${allowed}/peers`, { name: 'bob-laptop', owner: bob }).expect(201)
    ).body.id;
  });

  afterAll(async () => {
    await panel?.close();
  });

  it('lets an operator give a peer an owner, and refuses an unknown user naming owner', async () => {
    const { body: peer } = await panel.as().get(`/api/peers/${bobsPeer}`).expect(200);
    expect(peer.owner).toBe(bob);
    const unknown = await panel
      .as()
      .post(`/api/nodes/${allowed}/peers`, { name: 'x', owner: '00000000-0000-4000-8000-00000000dead' })
      .expect(400);
    expect(unknown.body.error.details).toEqual([{ field: 'owner', message: expect.any(String) }]);
    const { body: moved } = await panel
      .as()
      .patch(`/api/peers/${bobsPeer}`, { owner: null, version: peer.version })
      .expect(200);
    expect(moved.owner).toBeNull();
    await panel.as().patch(`/api/peers/${bobsPeer}`, { owner: bob, version: moved.version }).expect(200);
  });

  it('adds devices on an allowed node only, owned by the user, and refuses a fourth when the limit is three', async () => {
    expect((await as(ada).get('/api/me/nodes').expect(200)).body.items).toEqual([
      { id: allowed, name: 'office' },
    ]);
    await as(ada).post('/api/me/peers', { node_id: other, name: 'nope' }).expect(404);
    const made: OwnPeer[] = [];
    for (const name of ['ada-phone', 'ada-laptop', 'ada-tablet']) {
      made.push((await as(ada).post('/api/me/peers', { node_id: allowed, name }).expect(201)).body);
    }
    expect(made.map((peer) => [peer.node_id, peer.owner])).toEqual(Array(3).fill([allowed, ada]));
    const fourth = await as(ada).post('/api/me/peers', { node_id: allowed, name: 'ada-watch' }).expect(409);
    expect(fourth.body.error).toMatchObject({ code: 'device_limit' });
    expect(fourth.body.error.message).toMatch(/most one user may have is 3/);

    const { body: events } = await panel.as().get(`/api/events?aggregate_id=${made[0].id}`).expect(200);
    expect(events.items[0].actor).toMatchObject<Partial<ActorRef>>({ kind: 'user', id: ada, name: 'Ada' });
  });

  it('lists and downloads only their own devices; another user’s is not found', async () => {
    const { body: mine } = await as(ada).get('/api/me/peers').expect(200);
    expect(mine.items.map((peer: OwnPeer) => peer.name)).toEqual(['ada-phone', 'ada-laptop', 'ada-tablet']);
    expect(mine.items.every((peer: OwnPeer) => peer.owner === ada)).toBe(true);
    const own = mine.items[0].id;
    const config = await as(ada).get(`/api/me/peers/${own}/config`).expect(200);
    expect(config.text).toMatch(/^\[Interface\][\s\S]*PrivateKey = /m);
    expect(config.headers['cache-control']).toBe('no-store');
    const qr = await as(ada).get(`/api/me/peers/${own}/qr`).expect(200);
    expect(qr.headers['content-type']).toMatch(/^image\/svg\+xml/);

    await as(ada).get(`/api/me/peers/${bobsPeer}/config`).expect(404);
    await as(ada).get(`/api/me/peers/${bobsPeer}/qr?format=png`).expect(404);
    await as(ada).delete(`/api/me/peers/${bobsPeer}`).expect(404);
    expect((await as(bob).get('/api/me/peers').expect(200)).body.items.map((p: OwnPeer) => p.id)).toEqual([
      bobsPeer,
    ]);
  });

  it('cannot touch nodes or peers through the operators’ routes', async () => {
    const { body: mine } = await as(ada).get('/api/me/peers').expect(200);
    const own = mine.items[0];
    await as(ada).get('/api/nodes').expect(403);
    await as(ada).get(`/api/nodes/${allowed}`).expect(403);
    await as(ada).patch(`/api/nodes/${allowed}`, { enabled: false, version: 1 }).expect(403);
    await as(ada).get(`/api/nodes/${allowed}/peers`).expect(403);
    await as(ada).post(`/api/nodes/${allowed}/peers`, { name: 'sneaky' }).expect(403);
    await as(ada).get(`/api/peers/${own.id}/config`).expect(403);
    await as(ada).get('/api/events').expect(403);
  });

  it('deletes an own device, which makes room for another', async () => {
    const { body: mine } = await as(ada).get('/api/me/peers').expect(200);
    await as(ada).delete(`/api/me/peers/${mine.items[2].id}`).expect(204);
    await panel.as().get(`/api/peers/${mine.items[2].id}`).expect(404);
    await as(ada).post('/api/me/peers', { node_id: allowed, name: 'ada-watch' }).expect(201);
  });

  it('refuses concurrent additions past the limit', async () => {
    const { body: mine } = await as(bob).get('/api/me/peers').expect(200);
    expect(mine.items).toHaveLength(1);
    const answers = await Promise.all(
      ['b1', 'b2', 'b3', 'b4'].map((name) => as(bob).post('/api/me/peers', { node_id: allowed, name })),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 201, 409, 409]);
    expect((await as(bob).get('/api/me/peers').expect(200)).body.items).toHaveLength(3);
  });
});
