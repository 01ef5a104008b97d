/**
 * Issue 2/9 auth sweep: every route the panel documents (read from its own OpenAPI document, so a new
 * controller is covered without touching this file) against no token, an unknown token, and each role.
 */
import { randomUUID } from 'node:crypto';
import { startPanel, TestPanel } from '../support/panel';
import { Api, expectStatus } from './support/api';
import { apiOf, registerNode, storedState, tokenOf } from './support/fleet';

interface Route {
  method: string;
  path: string;
}

// The enrollment claim is authenticated by its enrollment token instead (test/onboarding/enroll.e2e-spec.ts).
const OPEN_PATHS = new Set(['/health', '/metrics', '/api/enrollments/claim']);
const ADMIN_PREFIXES = ['/api/tokens', '/api/webhooks'];

function documentedRoutes(document: { paths: Record<string, Record<string, unknown>> }): Route[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations)
      .filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map((method) => ({ method: method.toUpperCase(), path })),
  );
}

/** The route with every path parameter filled with a UUID that names nothing. */
const concrete = (route: Route) => route.path.replace(/\{[^}]+\}/g, () => randomUUID());
const isWrite = (route: Route) => route.method !== 'GET';
const isAdminOnly = (route: Route) => ADMIN_PREFIXES.some((prefix) => route.path.startsWith(prefix));

describe('authentication and roles on every documented route', () => {
  let panel: TestPanel;
  let admin: Api;
  let routes: Route[];

  // An unknown field makes every body invalid, so a write that gets past the guard changes nothing.
  const call = (api: Api, route: Route) =>
    api.request(route.method, concrete(route), isWrite(route) ? { resilience_probe: true } : undefined);

  beforeAll(async () => {
    panel = await startPanel();
    admin = await apiOf(panel);
    const document = expectStatus(await admin.as(null).get('/docs-json'), 200, 'OpenAPI document').body;
    routes = documentedRoutes(document).filter((route) => !OPEN_PATHS.has(route.path));
    await registerNode(admin);
  });

  afterAll(async () => {
    await panel?.close();
  });

  it('serves the browsable API docs without a token, beside the OpenAPI document', async () => {
    const ui = await panel.http().get('/docs').redirects(1).expect(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
    expect(ui.text).toMatch(/swagger/i);
  });

  it('documents the routes of the contract', () => {
    const listed = routes.map((route) => `${route.method} ${route.path}`);
    for (const expected of [
      'POST /api/nodes',
      'PATCH /api/nodes/{id}',
      'POST /api/nodes/{id}/peers',
      'DELETE /api/peers/{id}',
      'GET /api/events',
      'POST /api/drift/reconcile',
      'POST /api/tokens',
      'DELETE /api/tokens/{id}',
      'POST /api/webhooks',
      'POST /api/webhooks/deliveries/{id}/redeliver',
    ]) {
      expect(listed).toContain(expected);
    }
  });

  it('answers 401 on every route without a token, with an unknown token or a malformed header', async () => {
    const anonymous = admin.as(null);
    const unknown = admin.as('wgf_' + 'A'.repeat(43));
    const failures: string[] = [];
    for (const route of routes) {
      for (const [who, api, headers] of [
        ['no token', anonymous, {}],
        ['unknown token', unknown, {}],
        ['Basic auth', anonymous, { authorization: 'Basic YWRtaW46YWRtaW4=' }],
        ['empty Bearer', anonymous, { authorization: 'Bearer ' }],
        ['two tokens', anonymous, { authorization: `Bearer ${panel.config.adminToken} extra` }],
      ] as const) {
        const answer = await api.request(route.method, concrete(route), undefined, headers);
        if (answer.status !== 401 || answer.body?.error?.code !== 'unauthorized') {
          failures.push(`${who}: ${route.method} ${route.path} → ${answer.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('lets a read token change nothing and a write token reach no admin route', async () => {
    const read = admin.as((await tokenOf(admin, 'read')).token);
    const write = admin.as((await tokenOf(admin, 'write')).token);
    const before = await storedState(admin);
    const failures: string[] = [];
    for (const route of routes) {
      const asRead = await call(read, route);
      const readAllowed = !isWrite(route) && !isAdminOnly(route);
      if (readAllowed ? [401, 403].includes(asRead.status) : asRead.status !== 403) {
        failures.push(`read: ${route.method} ${route.path} → ${asRead.status}`);
      }
      const asWrite = await call(write, route);
      if (isAdminOnly(route) ? asWrite.status !== 403 : [401, 403].includes(asWrite.status)) {
        failures.push(`write: ${route.method} ${route.path} → ${asWrite.status}`);
      }
      const asAdmin = await call(admin, route);
      if ([401, 403].includes(asAdmin.status))
        failures.push(`admin: ${route.method} ${route.path} → ${asAdmin.status}`);
      for (const answer of [asRead, asWrite, asAdmin]) {
        if (answer.status >= 500)
          failures.push(`${route.method} ${route.path} → ${answer.status}: ${answer.text}`);
      }
    }
    expect(failures).toEqual([]);
    // Every write above named nothing that exists or was refused, so nothing may have changed.
    expect(await storedState(admin)).toEqual(before);
  });

  it('stops a revoked token at once, on reads and writes alike', async () => {
    const { id, token } = await tokenOf(admin, 'write');
    const writer = admin.as(token);
    expectStatus(await writer.get('/api/nodes'), 200);
    const node = await registerNode(writer);
    expectStatus(await admin.delete(`/api/tokens/${id}`), 204);
    const [read, write] = await Promise.all([
      writer.get('/api/nodes'),
      writer.patch(`/api/nodes/${node.id}`, { override_mtu: 1400 }),
    ]);
    expect([read.status, write.status]).toEqual([401, 401]);
    expect((await admin.get(`/api/nodes/${node.id}`)).body.override_mtu).toBeNull();
    // Revoking again is harmless; the bootstrap token is untouched.
    expectStatus(await admin.delete(`/api/tokens/${id}`), 204);
    expectStatus(await admin.get('/api/tokens'), 200);
  });
});
