import { generateKeyPair } from '../agent/test/support/wg-interface';
import { startPanel, TestPanel } from './support/panel';

type EventPage = { items: { type: string; version: number; position: string }[]; next?: string };

describe('GET /api/events order', () => {
  let panel: TestPanel;

  beforeAll(async () => {
    panel = await startPanel();
  });

  afterAll(async () => {
    await panel?.close();
  });

  it('reads newest first with order=desc, paging on with before=next; oldest first stays the default', async () => {
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
});
