import Fastify from 'fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSOLE_DIST_DIR, registerConsoleRoutes } from '../../src/console/console-routes';
import { startPanel, TestPanel } from '../support/panel';

/** The panel serves the console at / beside its API; needs the console built (npm run build). */
describe('console served by the panel', () => {
  let panel: TestPanel;

  beforeAll(async () => {
    panel = await startPanel();
  });
  afterAll(async () => {
    await panel?.close();
  });

  it('answers index.html for the console pages with a strict Content-Security-Policy', async () => {
    for (const path of [
      '/',
      '/nodes/6f1c1a52-7a57-4e0b-9b55-1f0d3c1e0a11',
      '/peers',
      '/events',
      '/templates',
      '/tokens',
      '/bindings',
    ]) {
      const answer = await panel.http().get(path).expect(200);
      expect(answer.headers['content-type']).toMatch(/text\/html/);
      expect(answer.text).toContain('<div id="app">');
      const policy = answer.headers['content-security-policy'];
      expect(policy).toContain("default-src 'none'");
      expect(policy).toContain("script-src 'self'");
      expect(policy).not.toContain('unsafe-inline');
      expect(answer.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves the bundled assets, and nothing of the page comes from another host', async () => {
    const page = await panel.http().get('/').expect(200);
    const sources = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(source.startsWith('/assets/')).toBe(true);
      const asset = await panel.http().get(source).expect(200);
      expect(asset.headers['cache-control']).toContain('immutable');
    }
  });

  it('never shadows the API, its documentation, metrics or health', async () => {
    const unknownApi = await panel.http().get('/api/no-such-route').expect(404);
    expect(unknownApi.headers['content-type']).toMatch(/json/);
    await panel.http().get('/api/nodes').expect(401);
    await panel.http().get('/health').expect(200);
    const docs = await panel.http().get('/docs-json').expect(200);
    expect(docs.body.paths['/api/me']).toBeDefined();
    const metrics = await panel.as().get('/metrics').expect(200);
    expect(metrics.text).toContain('# HELP');
    await panel.http().get('/no-such-page').expect(404);
    await panel.http().get('/assets/no-such-file.js').expect(404);
  });

  it('GET /api/me tells a token its id, name and role on its scope, for every role', async () => {
    expect((await panel.as().get('/api/me').expect(200)).body).toEqual({
      kind: 'token',
      id: 'bootstrap',
      name: 'bootstrap admin (PANEL_ADMIN_TOKEN)',
      bindings: [{ role: 'admin', scope: { all: true } }],
    });
    const created = await panel.as().post('/api/tokens', { name: 'wgwc looker', role: 'read' }).expect(201);
    expect((await panel.as(created.body.token).get('/api/me').expect(200)).body).toEqual({
      kind: 'token',
      id: created.body.id,
      name: 'wgwc looker',
      bindings: [{ role: 'read', scope: { all: true } }],
    });
    await panel.http().get('/api/me').expect(401);
    await panel.as().delete(`/api/tokens/${created.body.id}`).expect(204);
    await panel.as(created.body.token).get('/api/me').expect(401);
  });

  it('builds the console where the panel looks for it', () => {
    expect(CONSOLE_DIST_DIR).toBe(join(__dirname, '../../web/dist'));
  });

  it('starts without a console build, saying so', async () => {
    const fastify = Fastify();
    const warnings: string[] = [];
    const served = await registerConsoleRoutes(
      fastify,
      { warn: (message) => warnings.push(message) },
      mkdtempSync(join(tmpdir(), 'wgwc-empty-')),
    );
    expect(served).toBe(false);
    expect(warnings[0]).toMatch(/no web console build/);
    expect(fastify.hasRoute({ method: 'GET', url: '/' })).toBe(false);
    await fastify.close();
  });
});
