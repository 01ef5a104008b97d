/**
 * Issue 2/9 auth sweep: every route the panel documents (read from its own OpenAPI document, so a new
 * controller is covered without touching this file) against no token, an unknown token, and each role.
 */
import { randomUUID } from 'node:crypto';
import { startPanel, TestPanel } from '../support/panel';
import { Api, expectStatus } from './support/api';
import { apiOf, registerNode, storedState, tokenOf } from './support/fleet';
import { spellings } from './support/secret-spellings';

interface Route {
  method: string;
  path: string;
}

// The enrollment claim is authenticated by its enrollment token instead (test/onboarding/enroll.e2e-spec.ts);
// sign-in's own routes by the provider's one-time code, or by the session they end, and its configuration is
// what the login page reads before anyone is signed in (test/access/oidc-signin.e2e-spec.ts).
const OPEN_PATHS = new Set([
  '/health',
  '/api/enrollments/claim',
  '/auth/oidc/config',
  '/auth/logout',
  '/auth/oidc/cli-token',
]);
const ADMIN_PREFIXES = ['/api/tokens', '/api/webhooks', '/api/bindings', '/api/users'];
/**
 * The caller's own devices (docs/API.md "Self-service"): every role reaches them, and each caller finds only
 * what it owns (a token owns nothing), so no role is refused there.
 */
const OWN_PREFIX = '/api/me/peers';
/** Reads that hand out a client's private key: a write token's, not a read token's. */
const WRITE_READS = new Set(['/api/peers/{id}/config', '/api/peers/{id}/qr']);

function documentedRoutes(document: { paths: Record<string, Record<string, unknown>> }): Route[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations)
      .filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map((method) => ({ method: method.toUpperCase(), path })),
  );
}

/** The route with every path parameter filled with a UUID that names nothing. */
const concrete = (route: Route) => route.path.replace(/\{[^}]+\}/g, () => randomUUID());
const isWrite = (route: Route) =>
  !route.path.startsWith(OWN_PREFIX) && (route.method !== 'GET' || WRITE_READS.has(route.path));
const isAdminOnly = (route: Route) => ADMIN_PREFIXES.some((prefix) => route.path.startsWith(prefix));

describe('authentication and roles on every documented route', () => {
  let panel: TestPanel;
  let admin: Api;
  let routes: Route[];

  // An unknown field makes every body invalid, so a write that gets past the guard changes nothing.
  const call = (api: Api, route: Route) =>
    api.request(
      route.method,
      concrete(route),
      route.method !== 'GET' ? { resilience_probe: true } : undefined,
    );

  beforeAll(async () => {
    // The sweep sends an unknown token to every route from one address, more than the default failure limit
    // once the API passed 60 routes; the limit itself is tested in test/resilience/panel-hardening.e2e-spec.ts.
    panel = await startPanel({ AUTH_FAILURE_LIMIT: '1000' });
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

  it('gives a read token no private or preshared key on any GET route', async () => {
    const node = await registerNode(admin);
    const peers = [
      expectStatus(
        await admin.post(`/api/nodes/${node.id}/peers`, { name: 'generated', generate_preshared_key: true }),
        201,
      ).body,
      expectStatus(
        await admin.post(`/api/nodes/${node.id}/peers`, {
          name: 'given',
          preshared_key: Buffer.alloc(32, 7).toString('base64'),
        }),
        201,
      ).body,
    ];
    const secrets: string[] = [];
    for (const peer of peers) {
      const config = expectStatus(await admin.get(`/api/peers/${peer.id}/config`), 200).text;
      secrets.push(
        ...[...config.matchAll(/^(?:PrivateKey|PresharedKey) = (\S+)$/gm)].map((match) => match[1]),
      );
    }
    expect(secrets).toHaveLength(4);
    // Data behind every read: a scan, a reconcile job, a webhook with a delivery.
    expectStatus(await admin.get(`/api/drift/nodes/${node.id}`), 200);
    const scan = expectStatus(await admin.get(`/api/drift/nodes/${node.id}/history`), 200).body.items[0];
    const job = expectStatus(await admin.post(`/api/drift/nodes/${node.id}/reconcile`, {}), 202).body;
    const webhook = expectStatus(
      await admin.post('/api/webhooks', { url: 'http://127.0.0.1:9/hook' }),
      201,
    ).body;
    const cluster = expectStatus(
      await admin.post('/api/clusters', {
        name: 'sweep',
        endpoint_host: 'sweep.example.com',
        endpoint_port: 51820,
        address_pool: '10.174.200.0/24',
      }),
      201,
    ).body;
    const template = expectStatus(
      await admin.post('/api/templates', { name: 'sweep', settings: { override_mtu: 1380 } }),
      201,
    ).body;
    const ids: Array<[RegExp, string]> = [
      [/^\/api\/clusters\/\{id\}/, cluster.id],
      [/^\/api\/templates\/\{id\}/, template.id],
      // Planning a rollout needs the node's agent, which this fleet lacks; its view holds ids, counts and gate
      // readings only (test/rollouts checks it), so an unknown id's 404 stands in.
      [/^\/api\/rollouts\/\{id\}/, '00000000-0000-4000-8000-000000000000'],
      [/^\/api\/(nodes|drift\/nodes)\/\{id\}/, node.id],
      [/^\/api\/(me\/)?peers\/\{id\}/, peers[0].id],
      [/^\/api\/drift\/scans\/\{scan_id\}/, scan.id],
      [/^\/api\/reconcile\/jobs\/\{id\}/, job.job_id],
      [/^\/api\/webhooks\/\{id\}/, webhook.id],
    ];
    const read = admin.as((await tokenOf(admin, 'read')).token);
    const leaks: string[] = [];
    const answered: string[] = [];
    for (const route of routes.filter((candidate) => candidate.method === 'GET')) {
      const id = ids.find(([pattern]) => pattern.test(route.path))?.[1];
      if (route.path.includes('{') && id === undefined) {
        leaks.push(`no fixture for ${route.path}: add one so its answer is checked`);
        continue;
      }
      const path = route.path.replace('{version}', '1').replace(/\{[^}]+\}/g, id ?? '');
      const formats = path.endsWith('/qr') ? ['', '?format=png'] : [''];
      for (const answer of await Promise.all(formats.map((format) => read.get(path + format)))) {
        if (answer.status === 200) answered.push(route.path);
        for (const secret of secrets) {
          if (spellings(secret).some((form) => answer.text.includes(form))) {
            leaks.push(`${route.path} (${answer.status}) shows a key`);
          }
        }
        if (/PrivateKey|PresharedKey/.test(answer.text)) leaks.push(`${route.path} shows a config`);
      }
    }
    expect(leaks).toEqual([]);
    for (const path of [
      '/api/nodes',
      '/api/nodes/{id}/peers',
      '/api/peers/{id}',
      '/api/events',
      '/metrics',
    ]) {
      expect(answered).toContain(path);
    }
    for (const path of ['/api/peers/{id}/config', '/api/peers/{id}/qr']) {
      const answer = await read.get(path.replace('{id}', peers[0].id));
      expect([answer.status, answer.body?.error?.code]).toEqual([403, 'forbidden']);
    }
  });
});
