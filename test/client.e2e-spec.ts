import { createWgfleetClient, expectOk, WgfleetApiError, WgfleetClient } from '@wgfleet/client';
import { startAgentInProcess, type RunningAgent } from '../agent/test/support/agent-process';
import { createWgInterface, uniqueInterfaceName, type WgInterface } from '../agent/test/support/wg-interface';
import { OpenApiShapes } from './support/openapi-shapes';
import { ADMIN_TOKEN, TestPanel, startPanel } from './support/panel';

/**
 * The typed client against a real panel: the calls compile only with the document's types, and every answer
 * is checked against the schema the document gives it (no missing field, no undeclared one, the right types).
 */
describe('typed client against a real panel', () => {
  let panel: TestPanel;
  let wg: WgInterface;
  let agent: RunningAgent;
  let client: WgfleetClient;
  let shapes: OpenApiShapes;

  beforeAll(async () => {
    wg = await createWgInterface(uniqueInterfaceName('wgoa'));
    agent = await startAgentInProcess({ interfaces: [wg.name] });
    panel = await startPanel();
    client = createWgfleetClient({ baseUrl: await panel.app.getUrl(), token: ADMIN_TOKEN });
    shapes = new OpenApiShapes((await panel.http().get('/docs-json').expect(200)).body);
  }, 60000);

  afterAll(async () => {
    await panel?.close();
    await agent?.stop();
    await wg?.destroy();
  });

  const registerNode = (name: string) =>
    expectOk(
      client.POST('/api/nodes', {
        body: {
          name,
          agent_url: agent.url,
          interface: wg.name,
          endpoint: 'vpn.example.com',
          address_pool: '10.79.1.0/24',
          agent_secret: agent.secret,
        },
      }),
    );

  it('registers a node and reads it, with drift and sync fields typed', async () => {
    const node = await registerNode('typed-node');
    expect(shapes.problems(node, 'NodeView')).toEqual([]);
    expect(node.drift_status).toBeNull();
    expect(node.pending).toBe(0);
    expect(node.version).toBe(1);

    const read = await expectOk(client.GET('/api/nodes/{id}', { params: { path: { id: node.id } } }));
    expect(shapes.problems(read, 'NodeView')).toEqual([]);
    const page = await expectOk(client.GET('/api/nodes', { params: { query: { limit: 10 } } }));
    expect(shapes.problems(page, 'NodeViewPage')).toEqual([]);
    expect(page.items.map((item) => item.name)).toEqual(['typed-node']);
    expect(page.next).toBeUndefined();
  });

  it('creates peers, lists them, and gives the client config as text', async () => {
    const node = await registerNode('typed-peers');
    const peer = await expectOk(
      client.POST('/api/nodes/{id}/peers', {
        params: { path: { id: node.id } },
        body: { name: 'laptop', generate_preshared_key: true },
      }),
    );
    expect(shapes.problems(peer, 'PeerView')).toEqual([]);
    expect(peer.has_private_key).toBe(true);
    expect(peer.effective.endpoint).toContain('vpn.example.com');
    expect(['pending', 'applied']).toContain(peer.sync_status);

    const page = await expectOk(
      client.GET('/api/nodes/{id}/peers', { params: { path: { id: node.id }, query: { limit: 1 } } }),
    );
    expect(shapes.problems(page, 'PeerViewPage')).toEqual([]);
    expect(page.next).toEqual(expect.any(String));

    const config = await expectOk(
      client.GET('/api/peers/{id}/config', { params: { path: { id: peer.id } }, parseAs: 'text' }),
    );
    expect(config).toContain('[Interface]');
  });

  it('reports drift, keeps the scan in history, and plans a reconcile', async () => {
    const node = await registerNode('typed-drift');
    await expectOk(
      client.POST('/api/nodes/{id}/peers', { params: { path: { id: node.id } }, body: { name: 'phone' } }),
    );
    const report = await expectOk(client.GET('/api/drift/nodes/{id}', { params: { path: { id: node.id } } }));
    expect(shapes.problems(report, 'NodeDriftReportView')).toEqual([]);
    expect(['in_sync', 'drift']).toContain(report.status);

    const fleet = await expectOk(client.GET('/api/drift/nodes'));
    expect(shapes.problems(fleet, 'FleetDriftReportView')).toEqual([]);
    expect(fleet.summary.nodes).toBe(fleet.nodes.length);

    const history = await expectOk(
      client.GET('/api/drift/nodes/{id}/history', { params: { path: { id: node.id } } }),
    );
    expect(shapes.problems(history, 'ScanViewPage')).toEqual([]);
    const scan = await expectOk(
      client.GET('/api/drift/scans/{scan_id}', { params: { path: { scan_id: history.items[0].id } } }),
    );
    expect(shapes.problems(scan, 'ScanDetailView')).toEqual([]);
    expect(scan.report.node_id).toBe(node.id);

    const dryRun = await expectOk(
      client.POST('/api/drift/nodes/{id}/reconcile', {
        params: { path: { id: node.id } },
        body: { dry_run: true, reconcile_missing: false },
      }),
    );
    expect(shapes.problems(dryRun, 'ReconcileDryRunView')).toEqual([]);
    const queued = await expectOk(
      client.POST('/api/drift/nodes/{id}/reconcile', { params: { path: { id: node.id } }, body: {} }),
    );
    expect(shapes.problems(queued, 'ReconcileQueuedView')).toEqual([]);
    if (!('job_id' in queued)) throw new Error('expected a queued job');
    const job = await expectOk(
      client.GET('/api/reconcile/jobs/{id}', { params: { path: { id: queued.job_id } } }),
    );
    expect(shapes.problems(job, 'ReconcileJobView')).toEqual([]);
    expect(job.options.mode).toBe('batch');

    const bulk = await expectOk(client.POST('/api/drift/reconcile', { body: { node_ids: [node.id] } }));
    expect(shapes.problems(bulk, 'BulkReconcileQueuedView')).toEqual([]);
  });

  it('lists events, tokens and webhook deliveries in their shapes', async () => {
    const events = await expectOk(client.GET('/api/events', { params: { query: { limit: 5 } } }));
    expect(shapes.problems(events, 'EventViewPage')).toEqual([]);

    const token = await expectOk(client.POST('/api/tokens', { body: { name: 'typed-read', role: 'read' } }));
    expect(shapes.problems(token, 'CreatedTokenView')).toEqual([]);
    const tokens = await expectOk(client.GET('/api/tokens'));
    expect(shapes.problems(tokens, 'TokenList')).toEqual([]);

    const webhook = await expectOk(
      client.POST('/api/webhooks', { body: { url: 'http://127.0.0.1:9/hook', events: ['drift.detected'] } }),
    );
    expect(shapes.problems(webhook, 'WebhookWithSecretView')).toEqual([]);
    expect(webhook.secret).toMatch(/^whsec_/);
    const delivery = await expectOk(
      client.POST('/api/webhooks/{id}/test', { params: { path: { id: webhook.id } } }),
    );
    expect(shapes.problems(delivery, 'DeliveryView')).toEqual([]);
    const deliveries = await expectOk(
      client.GET('/api/webhooks/{id}/deliveries', { params: { path: { id: webhook.id } } }),
    );
    expect(shapes.problems(deliveries, 'DeliveryViewPage')).toEqual([]);
  });

  it('answers errors in the ApiErrorBody shape', async () => {
    const missing = await client.GET('/api/nodes/{id}', {
      params: { path: { id: '00000000-0000-4000-8000-000000000000' } },
    });
    expect(missing.response.status).toBe(404);
    expect(shapes.problems(missing.error, 'ApiErrorBody')).toEqual([]);

    const invalid = await client.POST('/api/tokens', { body: { name: '', role: 'read' } });
    expect(invalid.response.status).toBe(400);
    expect(shapes.problems(invalid.error, 'ApiErrorBody')).toEqual([]);
    await expect(expectOk(Promise.resolve(invalid))).rejects.toBeInstanceOf(WgfleetApiError);
  });

  it('finds a field the schema does not declare, and one it lacks', () => {
    const token = {
      id: '6f1c1d58-5e84-4b9a-9f0e-1a2b3c4d5e6f',
      name: 'x',
      role: 'read',
      scope: { all: true },
      created_at: new Date().toISOString(),
    };
    expect(shapes.problems({ ...token, revoked_at: null }, 'TokenView')).toEqual([]);
    expect(shapes.problems({ ...token, revoked_at: null, token: 'secret' }, 'TokenView')).not.toEqual([]);
    expect(shapes.problems(token, 'TokenView')).not.toEqual([]);
  });
});
