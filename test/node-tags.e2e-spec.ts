import { EntityManager } from '@mikro-orm/postgresql';
import { parseTagSelector } from '../src/common/domain/node-tags';
import { NodesStore } from '../src/modules/nodes';
import { nodeBody } from './resilience/support/fleet';
import { TestPanel, startPanel } from './support/panel';

interface Listed {
  items: { name: string }[];
  next: string | null;
}

describe('node tags (REST, PostgreSQL)', () => {
  let panel: TestPanel;

  beforeAll(async () => {
    panel = await startPanel();
  });

  afterAll(async () => {
    await panel?.close();
  });

  const names = async (query: string) =>
    ((await panel.as().get(`/api/nodes${query}`).expect(200)).body as Listed).items
      .map((node) => node.name)
      .sort();

  it('creates with tags, replaces them on PATCH, clears them with null or {}', async () => {
    const created = await panel
      .as()
      .post('/api/nodes', nodeBody({ name: 'tags-a', tags: { region: 'eu', 'example.com/tier': 'gold' } }))
      .expect(201);
    expect(created.body.tags).toEqual({ region: 'eu', 'example.com/tier': 'gold' });
    const untagged = await panel
      .as()
      .post('/api/nodes', nodeBody({ name: 'tags-none' }))
      .expect(201);
    expect(untagged.body.tags).toEqual({});

    const id = created.body.id;
    const replaced = await panel
      .as()
      .patch(`/api/nodes/${id}`, { tags: { region: 'us' } })
      .expect(200);
    expect(replaced.body).toMatchObject({ tags: { region: 'us' }, version: 2 });
    // The same map in another order is no change: no event, no new version.
    await panel
      .as()
      .patch(`/api/nodes/${id}`, { tags: { region: 'us' } })
      .expect(200);
    expect((await panel.as().get(`/api/nodes/${id}`).expect(200)).body.version).toBe(2);

    expect((await panel.as().patch(`/api/nodes/${id}`, { tags: null }).expect(200)).body.tags).toEqual({});
    await panel
      .as()
      .patch(`/api/nodes/${id}`, { tags: { a: '1', b: '2' } })
      .expect(200);
    const cleared = await panel.as().patch(`/api/nodes/${id}`, { tags: {} }).expect(200);
    expect(cleared.body).toMatchObject({ tags: {}, version: 5 });
  });

  it('filters the list by ?tag=key=value, several tags AND-ed, through pages', async () => {
    await panel
      .as()
      .post('/api/nodes', nodeBody({ name: 'f-eu-gold', tags: { region: 'eu', tier: 'gold' } }));
    await panel
      .as()
      .post('/api/nodes', nodeBody({ name: 'f-eu-free', tags: { region: 'eu', tier: 'free' } }));
    await panel
      .as()
      .post('/api/nodes', nodeBody({ name: 'f-us-gold', tags: { region: 'us', tier: 'gold' } }));

    expect(await names('?tag=region=eu')).toEqual(['f-eu-free', 'f-eu-gold']);
    expect(await names('?tag=region=eu&tag=tier=gold')).toEqual(['f-eu-gold']);
    expect(await names('?tag=tier=gold&tag=tier=free')).toEqual([]);
    expect(await names('?tag=region=mars')).toEqual([]);

    const first = (await panel.as().get('/api/nodes?tag=region=eu&limit=1').expect(200)).body as Listed;
    expect(first.items).toHaveLength(1);
    expect(first.next).not.toBeNull();
    const second = (
      await panel
        .as()
        .get(`/api/nodes?tag=region=eu&limit=1&cursor=${encodeURIComponent(first.next ?? '')}`)
        .expect(200)
    ).body as Listed;
    expect([...first.items, ...second.items].map((node) => node.name).sort()).toEqual([
      'f-eu-free',
      'f-eu-gold',
    ]);
  });

  it('gives other modules the ids of the nodes with every tag (NodesStore.listIdsByTag)', async () => {
    const store = panel.app.get(NodesStore);
    const em = panel.app.get(EntityManager).fork();
    const listed = (await panel.as().get('/api/nodes?tag=region=eu').expect(200)).body as {
      items: { id: string }[];
    };
    const ids = async (...selectors: string[]) =>
      (await store.listIdsByTag(em, selectors.map(parseTagSelector))).sort();
    expect(await ids('region=eu')).toEqual(listed.items.map((node) => node.id).sort());
    expect(await ids('region=eu', 'tier=gold')).toHaveLength(1);
    expect(await ids('region=eu', 'region=us')).toEqual([]);
  });

  it('refuses a bad selector naming tag, and a bad key, value or count naming tags', async () => {
    for (const selector of ['region', 'Region=eu', 'region=e%20u', '=eu']) {
      const response = await panel.as().get(`/api/nodes?tag=${selector}`).expect(400);
      expect(response.body.error.code).toBe('validation_failed');
      expect(JSON.stringify(response.body.error.details)).toContain('tag');
    }
    const many = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v']));
    for (const tags of [{ 'Bad Key': 'x' }, { region: 'e u' }, { region: 1 }, ['region=eu'], many]) {
      const response = await panel.as().post('/api/nodes', nodeBody({ tags })).expect(400);
      expect(response.body.error.code).toBe('validation_failed');
      expect(JSON.stringify(response.body.error.details)).toContain('tags');
    }
  });
});
