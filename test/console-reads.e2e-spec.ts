import { generateKeyPair } from '../agent/test/support/wg-interface';
import { startPanel, TestPanel } from './support/panel';

type EventPage = { items: { type: string; version: number; position: string }[]; next?: string };
type PeerPage = { items: { name: string }[]; next?: string };

/** The orders the console reads in: events newest first, peers by name, each paging on through its cursor. */
describe('list orders', () => {
  let panel: TestPanel;
  let nodeId: string;

  beforeAll(async () => {
    panel = await startPanel();
    const { body: node } = await panel
      .as()
      .post('/api/nodes', {
        name: 'xcp-events',
        agent_url: 'http://127.0.0.1:9',
        interface: 'wg0',
        endpoint: 'vpn.example.com',
        address_pool: '10.176.2.0/24',
        public_key: generateKeyPair().publicKey,
        agent_secret: 'e'.repeat(64),
      })
      .expect(201);
    nodeId = node.id;
  });

  afterAll(async () => {
    await panel?.close();
  });

  it('events: newest first with order=desc, paging on with before=next; oldest first stays the default', async () => {
    const node = { id: nodeId };
    const patched = await panel
      .as()
      .patch(`/api/nodes/${node.id}`, { version: 1, override_mtu: 1400 })
      .expect(200);
    await panel
      .as()
      .patch(`/api/nodes/${node.id}`, { version: patched.body.version, override_mtu: 1380 })
      .expect(200);
    const read = async (query: string) =>
      (await panel.as().get(`/api/events?aggregate_id=${node.id}&${query}`).expect(200)).body as EventPage;
    const versions = (page: EventPage) => page.items.map((event) => event.version);

    expect(versions(await read('limit=10'))).toEqual([1, 2, 3]);
    const newest = await read('order=desc&limit=2');
    expect(versions(newest)).toEqual([3, 2]);
    expect(versions(await read(`order=desc&limit=2&before=${newest.next}`))).toEqual([1]);

    const refused = await panel.as().get('/api/events?order=sideways').expect(400);
    expect(JSON.stringify(refused.body.error)).toContain('order');
  });

  it('peers: by name with sort=name, paging on with its cursor; creation order stays the default', async () => {
    for (const name of ['zed-router', 'alice-laptop', 'mike-phone', 'bob-tablet']) {
      await panel.as().post(`/api/nodes/${nodeId}/peers`, { name }).expect(201);
    }
    const read = async (query: string) =>
      (await panel.as().get(`/api/nodes/${nodeId}/peers?${query}`).expect(200)).body as PeerPage;
    const names = (page: PeerPage) => page.items.map((peer) => peer.name);

    expect(names(await read('limit=10'))).toEqual(['zed-router', 'alice-laptop', 'mike-phone', 'bob-tablet']);
    const first = await read('sort=name&limit=2');
    expect(names(first)).toEqual(['alice-laptop', 'bob-tablet']);
    const second = await read(`sort=name&limit=2&cursor=${first.next}`);
    expect(names(second)).toEqual(['mike-phone', 'zed-router']);
    expect(names(await read(`sort=name&limit=2&cursor=${second.next}`))).toEqual([]);

    // A cursor belongs to its order.
    const mixed = await panel.as().get(`/api/nodes/${nodeId}/peers?cursor=${first.next}`).expect(400);
    expect(JSON.stringify(mixed.body.error)).toContain('cursor');
    await panel.as().get(`/api/nodes/${nodeId}/peers?sort=size`).expect(400);
  });
});
