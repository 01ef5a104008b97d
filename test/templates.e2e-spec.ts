import { readFile } from 'node:fs/promises';
import { Client } from 'pg';
import { ProjectionRebuilder } from '../src/modules/events/projection-rebuilder.service';
import { generateKeyPair } from '../src/common/crypto/wireguard-keys';
import { createFleetNode, eventually, FleetNode, registerWith } from './reconcile-fixture';
import { TestPanel, startPanel } from './support/panel';

/** A node whose agent does not answer (nothing listens on port 9): registration and settings still work. */
function nodeBody(overrides: Record<string, unknown> = {}) {
  return {
    name: `tpl-${Math.random().toString(36).slice(2, 8)}`,
    agent_url: 'http://127.0.0.1:9',
    interface: 'wg0',
    endpoint: 'vpn.example.com',
    address_pool: '10.0.1.0/24',
    listen_port: 51820,
    public_key: generateKeyPair().publicKey,
    agent_secret: 'agent-secret-that-is-long-enough-0123456789',
    ...overrides,
  };
}

jest.setTimeout(60000);

describe('node templates (REST, PostgreSQL)', () => {
  let panel: TestPanel;

  beforeAll(async () => {
    panel = await startPanel({ PANEL_DEFAULT_KEEPALIVE: '25', PANEL_DEFAULT_DNS: '1.1.1.1' });
  });

  afterAll(async () => {
    await panel?.close();
  });

  async function createTemplate(name: string, settings: Record<string, unknown>) {
    return (await panel.as().post('/api/templates', { name, settings }).expect(201)).body;
  }

  const settingOf = async (nodeId: string, field: string, query = '') =>
    (await panel.as().get(`/api/nodes/${nodeId}/settings${query}`).expect(200)).body.settings.find(
      (setting: { field: string }) => setting.field === field,
    );

  it('creates, reads, lists and edits a template; each change is the next version, every version readable', async () => {
    const created = await createTemplate('branch', {
      override_keepalive: 40,
      fwmark: null,
      client_routes: { mode: 'full' },
    });
    expect(created).toMatchObject({
      name: 'branch',
      version: 1,
      settings: { override_keepalive: 40, client_routes: { mode: 'full' } },
    });
    expect(created.settings).not.toHaveProperty('fwmark');
    await panel.as().post('/api/templates', { name: 'branch' }).expect(409);

    const edited = await panel
      .as()
      .patch(`/api/templates/${created.id}`, {
        settings: { override_keepalive: 50, client_dns_search: ['corp.example'], client_routes: null },
        version: 1,
      })
      .expect(200);
    expect(edited.body).toMatchObject({
      version: 2,
      settings: { override_keepalive: 50, client_dns_search: ['corp.example'] },
    });
    expect(edited.body.settings).not.toHaveProperty('client_routes');

    const unchanged = await panel
      .as()
      .patch(`/api/templates/${created.id}`, { settings: { override_keepalive: 50 } })
      .expect(200);
    expect(unchanged.body.version).toBe(2);
    const stale = await panel
      .as()
      .patch(`/api/templates/${created.id}`, { name: 'x', version: 1 })
      .expect(409);
    expect(stale.body.error.code).toBe('version_conflict');

    const first = await panel.as().get(`/api/templates/${created.id}/versions/1`).expect(200);
    expect(first.body).toMatchObject({
      template_id: created.id,
      version: 1,
      settings: { override_keepalive: 40, client_routes: { mode: 'full' } },
    });
    await panel.as().get(`/api/templates/${created.id}/versions/9`).expect(404);

    const list = await panel.as().get('/api/templates').expect(200);
    expect(list.body.items).toContainEqual(expect.objectContaining({ id: created.id, version: 2 }));
    expect((await panel.as().get(`/api/templates/${created.id}`).expect(200)).body.version).toBe(2);
  });

  it.each([
    [{ client_routes: { mode: 'split' } }, 'settings.client_routes.networks'],
    [{ client_routes: { mode: 'split', networks: ['10.0.0.1/8'] } }, 'settings.client_routes.networks[0]'],
    [{ client_routes: { mode: 'full', networks: ['10.0.0.0/8'] } }, 'settings.client_routes'],
    [{ client_dns_search: ['corp example'] }, 'settings.client_dns_search'],
    [{ interface_mtu: 576 }, 'settings.interface_mtu'],
    [{ fwmark: 2 ** 32 }, 'settings.fwmark'],
    [{ override_dns: ['dns.example'] }, 'settings.override_dns'],
    [{ agent_secret: 'x' }, 'settings.agent_secret'],
  ])('refuses settings %j with a 400 naming %s', async (settings, path) => {
    const { body } = await panel.as().post('/api/templates', { name: 'bad', settings }).expect(400);
    const problems: { field: string; message: string }[] = body.error.details;
    expect(problems.some((problem) => problem.field === path || problem.message.startsWith(`${path} `))).toBe(
      true,
    );
  });

  it('pins a node to the latest or a named version and names the template as the source of its values', async () => {
    const template = await createTemplate('pinned', {
      override_keepalive: 40,
      override_dns: ['10.0.0.53'],
      client_dns_search: ['corp.example'],
      client_routes: { mode: 'split', networks: ['10.50.0.0/16', '192.168.7.0/24'] },
      interface_mtu: 1400,
    });
    await panel
      .as()
      .post('/api/nodes', nodeBody({ template_id: '6f1c1a52-7a57-4e0b-9b55-1f0d3c1e0a11' }))
      .expect(400)
      .expect(({ body }) => expect(body.error.details[0].field).toBe('template_id'));
    await panel
      .as()
      .post('/api/nodes', nodeBody({ template_id: template.id, template_version: 7 }))
      .expect(400)
      .expect(({ body }) => expect(body.error.details[0].field).toBe('template_version'));

    const { body: node } = await panel
      .as()
      .post('/api/nodes', nodeBody({ template_id: template.id, override_mtu: 1380 }))
      .expect(201);
    expect(node).toMatchObject({ template_id: template.id, template_version: 1 });

    const { body: settings } = await panel.as().get(`/api/nodes/${node.id}/settings`).expect(200);
    expect(settings).toEqual({
      node_id: node.id,
      template_id: template.id,
      template_version: 1,
      settings: [
        { field: 'listen_port', value: 51820, source: 'node' },
        { field: 'dns', value: ['10.0.0.53'], source: 'template' },
        { field: 'dns_search', value: ['corp.example'], source: 'template' },
        { field: 'mtu', value: 1380, source: 'node' },
        { field: 'persistent_keepalive', value: 40, source: 'template' },
        { field: 'endpoint_allowed_ips', value: ['10.50.0.0/16', '192.168.7.0/24'], source: 'template' },
        { field: 'interface_mtu', value: 1400, source: 'template' },
        { field: 'fwmark', value: null, source: 'default' },
      ],
    });

    const { body: peer } = await panel
      .as()
      .post(`/api/nodes/${node.id}/peers`, { name: 'alice', persistent_keepalive: 15 })
      .expect(201);
    expect(peer.effective).toMatchObject({
      dns: ['10.0.0.53'],
      dns_search: ['corp.example'],
      persistent_keepalive: 15,
      sources: {
        dns: 'template',
        dns_search: 'template',
        mtu: 'node',
        persistent_keepalive: 'peer',
        endpoint_allowed_ips: 'template',
        endpoint: 'node',
      },
    });
    const { text: config } = await panel.as().get(`/api/peers/${peer.id}/config`).expect(200);
    expect(config).toContain('\nDNS = 10.0.0.53, corp.example\n');
    expect(config).toContain('\nAllowedIPs = 10.50.0.0/16, 192.168.7.0/24\n');
  });

  it('changes no node when a template is edited; a pin moves the node, and a delete waits for its followers', async () => {
    const template = await createTemplate('edited', { override_keepalive: 40 });
    const { body: node } = await panel
      .as()
      .post('/api/nodes', nodeBody({ template_id: template.id }))
      .expect(201);
    const { body: peer } = await panel.as().post(`/api/nodes/${node.id}/peers`, { name: 'bob' }).expect(201);

    await panel
      .as()
      .patch(`/api/templates/${template.id}`, { settings: { override_keepalive: 60 } })
      .expect(200);
    const after = (await panel.as().get(`/api/nodes/${node.id}`).expect(200)).body;
    expect(after).toMatchObject({ template_version: 1, version: node.version });
    expect(await settingOf(node.id, 'persistent_keepalive')).toEqual({
      field: 'persistent_keepalive',
      value: 40,
      source: 'template',
    });
    expect(
      (await panel.as().get(`/api/peers/${peer.id}`).expect(200)).body.effective.persistent_keepalive,
    ).toBe(40);
    expect((await settingOf(node.id, 'persistent_keepalive', '?template_version=2')).value).toBe(60);
    await panel.as().get(`/api/nodes/${node.id}/settings?template_version=5`).expect(404);

    const pinned = await panel
      .as()
      .patch(`/api/nodes/${node.id}`, { template_version: 2, version: node.version })
      .expect(200);
    expect(pinned.body).toMatchObject({ template_version: 2, version: node.version + 1 });
    expect(
      (await panel.as().get(`/api/peers/${peer.id}`).expect(200)).body.effective.persistent_keepalive,
    ).toBe(60);
    const rolledBack = await panel.as().patch(`/api/nodes/${node.id}`, { template_version: 1 }).expect(200);
    expect(rolledBack.body.template_version).toBe(1);
    expect((await settingOf(node.id, 'persistent_keepalive')).value).toBe(40);

    const refused = await panel.as().delete(`/api/templates/${template.id}`).expect(409);
    expect(refused.body.error.message).toMatch(/followed by 1 node/);
    const unpinned = await panel.as().patch(`/api/nodes/${node.id}`, { template_id: null }).expect(200);
    expect(unpinned.body).toMatchObject({ template_id: null, template_version: null });
    expect(await settingOf(node.id, 'persistent_keepalive')).toEqual({
      field: 'persistent_keepalive',
      value: 25,
      source: 'default',
    });
    await panel.as().patch(`/api/nodes/${node.id}`, { template_version: 1 }).expect(400);
    await panel.as().delete(`/api/templates/${template.id}`).expect(204);
    await panel.as().get(`/api/templates/${template.id}`).expect(404);
  });

  it('rebuilds templates, their versions and the nodes pins from the events as they are', async () => {
    const db = new Client({ connectionString: panel.databaseUrl });
    await db.connect();
    try {
      const snapshot = async () => {
        const tables: Record<string, unknown[]> = {};
        for (const table of ['templates', 'template_versions', 'nodes']) {
          tables[table] = (await db.query(`select * from ${table} order by 1, 2`)).rows;
        }
        return tables;
      };
      const live = await snapshot();
      expect(live.template_versions.length).toBeGreaterThan(2);
      await panel.app.get(ProjectionRebuilder).rebuild();
      expect(await snapshot()).toEqual(live);
    } finally {
      await db.end();
    }
  });
});

describe('a template on a real node (wireguard-go): interface settings, and edits that wait for a pin', () => {
  let panel: TestPanel;
  let node: FleetNode;

  beforeAll(async () => {
    panel = await startPanel({ APPLY_DEBOUNCE_MS: '200', APPLY_MAX_WAIT_MS: '2000' });
  });

  afterAll(async () => {
    await node?.destroy();
    await panel?.close();
  });

  const mtuOf = async () => Number(await readFile(`/sys/class/net/${node.wg.name}/mtu`, 'utf8'));
  const driftOf = async () => (await panel.as().get(`/api/drift/nodes/${node.id}`).expect(200)).body;

  it('sets the MTU and fwmark of the pinned version, reports no drift for an unpinned edit, applies a pin', async () => {
    const { body: template } = await panel
      .as()
      .post('/api/templates', { name: 'real', settings: { interface_mtu: 1380, fwmark: 51820 } })
      .expect(201);
    node = await createFleetNode(registerWith(panel), {
      prefix: 'wgtp',
      nodeFields: { template_id: template.id },
    });
    await eventually(
      async () => ((await mtuOf()) === 1380 ? true : undefined),
      10000,
      'the MTU of the pinned version on the interface',
    );
    expect((await node.wg.wg('show', node.wg.name, 'fwmark')).trim()).toBe('0xca6c');
    expect(await driftOf()).toMatchObject({ status: 'in_sync', interface_mismatches: [] });

    await panel
      .as()
      .patch(`/api/templates/${template.id}`, { settings: { interface_mtu: 1400 } })
      .expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await mtuOf()).toBe(1380);
    expect(await driftOf()).toMatchObject({ status: 'in_sync', interface_mismatches: [] });

    await panel.as().patch(`/api/nodes/${node.id}`, { template_id: template.id }).expect(200);
    await eventually(
      async () => ((await mtuOf()) === 1400 ? true : undefined),
      10000,
      'the MTU of the newly pinned version',
    );
    expect(await driftOf()).toMatchObject({ status: 'in_sync' });

    await node.wg.wg('set', node.wg.name, 'fwmark', '7');
    expect((await driftOf()).interface_mismatches).toEqual([{ field: 'fwmark', expected: 51820, actual: 7 }]);
  });
});
