import { createFleetNode, FleetNode, registerWith } from './reconcile-fixture';
import { ADMIN_TOKEN, startPanel, TestPanel } from './support/panel';

describe('GET /api/nodes/{id}/settings', () => {
  let panel: TestPanel;
  let node: FleetNode;

  beforeAll(async () => {
    panel = await startPanel({ PANEL_DEFAULT_DNS: '9.9.9.9', PANEL_DEFAULT_KEEPALIVE: '21' });
    node = await createFleetNode(registerWith(panel), {
      prefix: 'wgwc',
      nodeFields: { override_mtu: 1380, override_dns: [] },
    });
  });
  afterAll(async () => {
    await node?.destroy();
    await panel?.close();
  });

  it('answers each inherited setting with its effective value and source, for any role', async () => {
    const { token } = (
      await panel.as(ADMIN_TOKEN).post('/api/tokens', { name: 'wgwc reader', role: 'read' }).expect(201)
    ).body;
    const { body } = await panel.as(token).get(`/api/nodes/${node.id}/settings`).expect(200);
    expect(body).toEqual({
      node_id: node.id,
      template_id: null,
      template_version: null,
      settings: [
        { field: 'listen_port', value: expect.any(Number), source: 'node' },
        { field: 'dns', value: [], source: 'node' },
        { field: 'dns_search', value: [], source: 'default' },
        { field: 'mtu', value: 1380, source: 'node' },
        { field: 'persistent_keepalive', value: 21, source: 'default' },
        { field: 'endpoint_allowed_ips', value: ['0.0.0.0/0', '::/0'], source: 'default' },
        { field: 'interface_mtu', value: null, source: 'default' },
        { field: 'fwmark', value: null, source: 'default' },
      ],
    });
    await panel.as().patch(`/api/nodes/${node.id}`, { override_dns: null, version: 1 }).expect(200);
    const after = await panel.as().get(`/api/nodes/${node.id}/settings`).expect(200);
    expect(after.body.settings[1]).toEqual({ field: 'dns', value: ['9.9.9.9'], source: 'default' });
  });

  it('answers 404 for an unknown node', async () => {
    await panel.as().get('/api/nodes/6f1c1a52-7a57-4e0b-9b55-1f0d3c1e0a11/settings').expect(404);
  });
});
