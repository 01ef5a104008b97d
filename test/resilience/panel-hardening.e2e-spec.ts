/**
 * The panel's failure limiter and response headers (docs/SECURITY.md "Failed authentication, proxies and
 * framing"): only failures are counted, a trusted proxy's clients are told apart by X-Forwarded-For while
 * nobody else can choose their address with it, and no answer can be framed or sniffed.
 */
import { request as httpRequest } from 'node:http';
import { ADMIN_TOKEN, startPanel, TestPanel } from '../support/panel';

const FAILURE_LIMIT = 5;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

describe('failed authentication is limited per client, never locking out a valid token', () => {
  let panel: TestPanel;
  let port: number;

  /** A GET from `localAddress` (any of 127.0.0.0/8 reaches the panel), as a proxy or a client would send it. */
  const get = (
    path: string,
    { token, from = '127.0.0.1', forwardedFor }: { token?: string; from?: string; forwardedFor?: string },
  ) =>
    new Promise<Answer>((resolve, reject) => {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (forwardedFor) headers['x-forwarded-for'] = forwardedFor;
      const req = httpRequest(
        { host: '127.0.0.1', port, path, localAddress: from, headers, agent: false },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
        },
      );
      req.on('error', reject);
      req.end();
    });

  /** Statuses of `count` requests with a wrong token each. */
  const guesses = async (count: number, from: { from?: string; forwardedFor?: string }) => {
    const statuses: number[] = [];
    for (let i = 0; i < count; i++) {
      statuses.push((await get('/api/nodes', { ...from, token: `wgf_guess${i}` })).status);
    }
    return statuses;
  };

  beforeAll(async () => {
    panel = await startPanel({
      RATE_LIMIT_WINDOW_S: '60',
      AUTH_FAILURE_LIMIT: String(FAILURE_LIMIT),
      TRUSTED_PROXIES: '127.0.0.1',
    });
    port = Number(new URL(await panel.app.getUrl()).port);
  });

  afterAll(async () => {
    await panel?.close();
  });

  it('serves a valid token from an address over its failure limit, and still refuses its wrong ones', async () => {
    const client = { from: '127.0.0.3' };
    expect(await guesses(FAILURE_LIMIT + 1, client)).toEqual([...Array(FAILURE_LIMIT).fill(401), 429]);
    const refused = await get('/api/nodes', { ...client, token: 'wgf_another-guess' });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await get('/api/nodes', { ...client, token: ADMIN_TOKEN })).status).toBe(200);
    expect((await get('/api/nodes', { ...client, token: 'wgf_and-another' })).status).toBe(429);
  });

  it("counts a trusted proxy's clients by X-Forwarded-For, each on its own", async () => {
    const attacker = { forwardedFor: '203.0.113.10' };
    expect(await guesses(FAILURE_LIMIT + 1, attacker)).toEqual([...Array(FAILURE_LIMIT).fill(401), 429]);
    // Another client behind the same proxy, and the proxy's own address, are not locked out.
    expect((await get('/api/nodes', { forwardedFor: '203.0.113.11', token: 'wgf_typo' })).status).toBe(401);
    expect((await get('/api/nodes', { token: 'wgf_typo' })).status).toBe(401);
    expect((await get('/api/nodes', { forwardedFor: '203.0.113.11', token: ADMIN_TOKEN })).status).toBe(200);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= FAILURE_LIMIT; i++) {
      const spoofed = { from: '127.0.0.2', forwardedFor: `198.51.100.${i + 1}` };
      statuses.push((await get('/api/nodes', { ...spoofed, token: `wgf_guess${i}` })).status);
    }
    expect(statuses).toEqual([...Array(FAILURE_LIMIT).fill(401), 429]);
    // Nor can it pass a blocked client's address to a trusted proxy's count, or escape its own block with one.
    expect(
      (await get('/api/nodes', { from: '127.0.0.2', forwardedFor: '203.0.113.99', token: 'x' })).status,
    ).toBe(429);
    expect((await get('/api/nodes', { forwardedFor: '198.51.100.1', token: 'wgf_typo' })).status).toBe(401);
  });
});

describe('security headers', () => {
  let panel: TestPanel;

  beforeAll(async () => {
    panel = await startPanel();
  });

  afterAll(async () => {
    await panel?.close();
  });

  it('forbids framing and sniffing on every answer: docs, API, errors, health, metrics', async () => {
    const answers = [
      await panel.http().get('/docs').redirects(1),
      await panel.http().get('/docs-json'),
      await panel.http().get('/api/nodes'),
      await panel.as().get('/api/nodes'),
      await panel.as().post('/api/nodes', { name: 'x' }),
      await panel.http().get('/health'),
      await panel.as().get('/metrics'),
      await panel.http().get('/no-such-page'),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 401, 200, 400, 200, 200, 404]);
    for (const answer of answers) {
      expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(answer.headers['x-frame-options']).toBe('DENY');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it("keeps the console's own stricter policy on its pages", async () => {
    const page = await panel.http().get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const asset = /src="(\/assets\/[^"]+)"/.exec(page.text)?.[1];
    expect(asset).toBeDefined();
    expect((await panel.http().get(asset!).expect(200)).headers['x-content-type-options']).toBe('nosniff');
  });
});
