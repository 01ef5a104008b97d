/**
 * Single sign-on end to end: a real OpenID Connect provider (oidc-provider, in a child process), the panel on
 * real PostgreSQL and Redis, sign-ins walked over HTTP as a browser makes them (and in Chromium, below).
 */
import request from 'supertest';
import { Client } from 'pg';
import { nodeBody } from '../resilience/support/fleet';
import { ADMIN_TOKEN, startPanel, TestPanel } from '../support/panel';
import type { Browser } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { launchChromium } from '../console/support/console-browser';
import { bundleCli, cliSession } from '../cli/support/cli-process';
import { freePort, signInOverHttp, startTestProvider, TestProvider } from './support/oidc-test-provider';

const ACCOUNTS = {
  alice: { name: 'Alice Example', email: 'alice@example.com', groups: ['eu-ops'] },
  bob: { name: 'Bob Example', groups: ['staff'] },
  mallory: { name: 'Mallory', groups: 'eu-ops' },
  erin: { name: 'Erin Example', groups: ['eu-writers'] },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('single sign-on (oidc-provider, PostgreSQL, Redis)', () => {
  let provider: TestProvider;
  let panel: TestPanel;
  /** A second panel on its own database with one-second idle and three-second absolute timeouts. */
  let shortLived: TestPanel;
  let panelUrl: string;
  let shortUrl: string;
  let browser: Browser | undefined;

  beforeAll(async () => {
    panelUrl = `http://127.0.0.1:${await freePort()}`;
    shortUrl = `http://127.0.0.1:${await freePort()}`;
    provider = await startTestProvider([panelUrl, shortUrl], ACCOUNTS);
    const oidcEnv = (url: string) => ({
      PORT: new URL(url).port,
      PANEL_PUBLIC_URL: url,
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: provider.clientId,
      OIDC_CLIENT_SECRET: provider.clientSecret,
      OIDC_DISPLAY_NAME: 'Test IdP',
    });
    panel = await startPanel(oidcEnv(panelUrl));
    shortLived = await startPanel({
      ...oidcEnv(shortUrl),
      SESSION_IDLE_TIMEOUT_S: '1',
      SESSION_ABSOLUTE_TIMEOUT_S: '3',
    });
    // Groups the provider names grant roles through bindings: everyone here may read.
    for (const each of [panel, shortLived])
      for (const group of ['eu-ops', 'staff'])
        await each
          .as()
          .post('/api/bindings', { subject: { group }, role: 'read', scope: { all: true } })
          .expect(201);
  });

  afterAll(async () => {
    await browser?.close();
    await shortLived?.close();
    await panel?.close();
    await provider?.stop();
  });

  const withSession = (session: string, csrf?: string) => ({
    get: (path: string) => request(panelUrl).get(path).set('Cookie', `wgfleet_session=${session}`),
    post: (path: string, headers: Record<string, string> = {}) => {
      const call = request(panelUrl)
        .post(path)
        .set('Cookie', `wgfleet_session=${session}${csrf ? `; wgfleet_csrf=${csrf}` : ''}`);
      for (const [name, value] of Object.entries(headers)) call.set(name, value);
      return call;
    },
  });

  it('tells the console that single sign-on is offered, and by whom', async () => {
    const answer = await request(panelUrl).get('/auth/oidc/config').expect(200);
    expect(answer.body).toEqual({
      oidc_enabled: true,
      display_name: 'Test IdP',
      login_url: '/auth/oidc/login',
    });
  });

  it('signs in through the provider: an HttpOnly, Secure, SameSite session cookie and a user principal', async () => {
    const signIn = await signInOverHttp(panelUrl, 'alice', '/auth/oidc/login?return_to=/peers');
    expect(signIn.location).toBe('/peers');
    const sessionCookie = signIn.setCookies.find((line) => line.startsWith('wgfleet_session='));
    expect(sessionCookie).toMatch(/; Path=\/; Max-Age=43200; Secure; HttpOnly; SameSite=Lax$/);
    const csrfCookie = signIn.setCookies.find((line) => line.startsWith('wgfleet_csrf='));
    expect(csrfCookie).toMatch(/; Path=\/; Max-Age=43200; Secure; SameSite=Strict$/);
    expect(csrfCookie).not.toMatch(/HttpOnly/);

    const me = await withSession(signIn.session!).get('/api/me').expect(200);
    expect(me.body).toMatchObject({
      kind: 'user',
      name: 'Alice Example',
      bindings: [{ role: 'read', scope: { all: true } }],
    });

    // Only the secret's hash is stored: the table alone signs nobody in.
    const db = new Client({ connectionString: panel.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query('select id, csrf_token_hash, id_token_hint from sessions');
      expect(rows).toHaveLength(1);
      expect(rows[0].id).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0].id).not.toContain(signIn.session);
      expect(rows[0].csrf_token_hash).not.toBe(signIn.csrf);
      expect(rows[0].id_token_hint).toMatch(/^v1\./);
    } finally {
      await db.end();
    }
    expect(panel.logs()).not.toContain(signIn.session);
    expect(panel.logs()).not.toContain(signIn.csrf);
    // The provider's one-time code and the state are in the callback's URL, which the request log redacts.
    const callback = new URL(signIn.callbackUrl).searchParams;
    expect(panel.logs()).toContain('/auth/oidc/callback?code=%5Bredacted%5D');
    expect(panel.logs()).not.toContain(callback.get('code'));
    expect(panel.logs()).not.toContain(callback.get('state'));
  });

  it('refuses a callback that this browser did not start', async () => {
    const start = await request(panelUrl).get('/auth/oidc/login').expect(303);
    const state = new URL(start.headers.location).searchParams.get('state');
    // The callback without the login cookie (another browser, a forged link): refused, and nothing signed in.
    const forged = await request(panelUrl).get(`/auth/oidc/callback?code=x&state=${state}`).expect(303);
    expect(forged.headers.location).toBe('/?sign_in_error=expired');
    expect(String(forged.headers['set-cookie'] ?? '')).not.toMatch(/wgfleet_session=[A-Za-z0-9_-]/);
  });

  it('refuses a sign-in whose groups claim is not an array of strings', async () => {
    const signIn = await signInOverHttp(panelUrl, 'mallory');
    expect(signIn.location).toBe('/?sign_in_error=failed');
    expect(signIn.session).toBeUndefined();
    expect(panel.logs()).toMatch(/the groups claim must be an array of strings/);
  });

  it('keeps return targets on the panel', async () => {
    const signIn = await signInOverHttp(panelUrl, 'bob', '/auth/oidc/login?return_to=//evil.example/x');
    expect(signIn.location).toBe('/');
  });

  it('refuses a cookie-authenticated write from another site, without the token, or with another token', async () => {
    const signIn = await signInOverHttp(panelUrl, 'alice');
    const as = withSession(signIn.session!, signIn.csrf);
    const crossSite = await as
      .post('/api/nodes', { Origin: 'https://evil.example', 'X-CSRF-Token': signIn.csrf! })
      .send({})
      .expect(403);
    expect(crossSite.body.error).toMatchObject({ code: 'csrf_refused' });
    expect(crossSite.body.error.message).toMatch(/may not come from https:\/\/evil\.example/);
    const noOrigin = await as.post('/api/nodes', { 'X-CSRF-Token': signIn.csrf! }).send({}).expect(403);
    expect(noOrigin.body.error.message).toMatch(/needs an Origin header/);
    const noToken = await as.post('/api/nodes', { Origin: panelUrl }).send({}).expect(403);
    expect(noToken.body.error.message).toMatch(/needs X-CSRF-Token/);
    const otherToken = await as
      .post('/api/nodes', { Origin: panelUrl, 'X-CSRF-Token': 'A'.repeat(43) })
      .send({})
      .expect(403);
    expect(otherToken.body.error.code).toBe('csrf_refused');
    // With both, the request is the user's: what it may do is their bindings' call (read only here).
    const sameSite = await as
      .post('/api/nodes', { Origin: panelUrl, 'X-CSRF-Token': signIn.csrf! })
      .send({})
      .expect(403);
    expect(sameSite.body.error.code).toBe('forbidden');
    // A bearer token needs no CSRF evidence, whatever cookie comes with it.
    await request(panelUrl)
      .post('/api/nodes')
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .set('Cookie', `wgfleet_session=${signIn.session}`)
      .send({})
      .expect(400);
  });

  it('ends the session on the panel at sign-out: the old cookie is a 401', async () => {
    const signIn = await signInOverHttp(panelUrl, 'bob');
    const as = withSession(signIn.session!, signIn.csrf);
    await as.get('/api/me').expect(200);
    // Sign-out is a write like any other: another site cannot sign the user out.
    await as
      .post('/auth/logout', { Origin: 'https://evil.example', 'X-CSRF-Token': signIn.csrf! })
      .expect(403);
    await as.get('/api/me').expect(200);
    const out = await as.post('/auth/logout', { Origin: panelUrl, 'X-CSRF-Token': signIn.csrf! }).expect(200);
    expect(out.body.end_session_url).toMatch(new RegExp(`^${provider.issuer}/session/end\\?`));
    expect(new URL(out.body.end_session_url).searchParams.get('post_logout_redirect_uri')).toBe(
      `${panelUrl}/`,
    );
    expect(out.headers['set-cookie']).toEqual(
      expect.arrayContaining([expect.stringMatching(/^wgfleet_session=; Path=\/; Max-Age=0/)]),
    );
    const after = await as.get('/api/me').expect(401);
    expect(after.body.error.code).toBe('unauthorized');
  });

  it('ends a session unused for the idle timeout', async () => {
    const signIn = await signInOverHttp(shortUrl, 'alice');
    const me = () => request(shortUrl).get('/api/me').set('Cookie', `wgfleet_session=${signIn.session}`);
    await me().expect(200);
    await sleep(1300);
    await me().expect(401);
  });

  it('ends a session at its absolute timeout however busy it is', async () => {
    const signIn = await signInOverHttp(shortUrl, 'alice');
    const signedInAt = Date.now();
    const me = () => request(shortUrl).get('/api/me').set('Cookie', `wgfleet_session=${signIn.session}`);
    // Used every 300 ms, well inside the idle timeout, the session still ends three seconds after sign-in.
    while (Date.now() - signedInAt < 2500) {
      await me().expect(200);
      await sleep(300);
    }
    await sleep(Math.max(0, 3100 - (Date.now() - signedInAt)));
    await me().expect(401);
  });

  it('signs in through the console in Chromium, works with the cookie alone, and signs out everywhere', async () => {
    browser = await launchChromium();
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    // The provider's development pages ask for a web font; this machine has no way out, nor needs one.
    await context.route(/fonts\.googleapis\.com/, (route) => route.abort());
    await page.goto(`${panelUrl}/`);
    // The token field stays for break-glass beside the provider's button.
    await page.getByLabel('API token').waitFor();
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await page.locator('input[name="login"]').fill('alice');
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor();
    await page.getByText('Alice Example').waitFor();

    const cookies = await context.cookies(panelUrl);
    const session = cookies.find((cookie) => cookie.name === 'wgfleet_session');
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
    expect(cookies.find((cookie) => cookie.name === 'wgfleet_csrf')).toMatchObject({
      httpOnly: false,
      secure: true,
      sameSite: 'Strict',
    });
    // No token in the tab's storage: the console runs on the cookie.
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await page.reload();
    await page.getByText('Alice Example').waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    // RP-initiated logout: the provider asks to confirm, then sends the browser back to the console.
    await page.waitForURL((url) => url.toString().startsWith(provider.issuer));
    await page.getByRole('button', { name: /Yes, sign me out/i }).click();
    await page.waitForURL(`${panelUrl}/`);
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).waitFor();
    await request(panelUrl).get('/api/me').set('Cookie', `wgfleet_session=${session!.value}`).expect(401);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('signs the CLI in with --sso: a one-time code on the loopback listener, traded with the verifier', async () => {
    await bundleCli();
    const cli = await cliSession({});
    try {
      const login = cli.start(['login', panelUrl, '--sso', '--no-browser', '--name', 'sso']);
      let loginUrl: string | undefined;
      while (!loginUrl) {
        loginUrl = /Sign in in your browser: (\S+)/.exec(login.output().stderr)?.[1];
        if (login.child.exitCode !== null) throw new Error(`the CLI ended: ${login.output().stderr}`);
        await sleep(50);
      }
      const started = new URL(loginUrl);
      expect(started.origin).toBe(panelUrl);
      const signIn = await signInOverHttp(panelUrl, 'alice', started.pathname + started.search);
      // The browser lands on the CLI's listener with the code; no cookie is set for a CLI sign-in.
      expect(signIn.location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\?code=[A-Za-z0-9_-]{43}$/);
      expect(signIn.session).toBeUndefined();
      // The code alone is worth nothing: it is spent once traded, and a trade needs the CLI's verifier.
      const landed = await fetch(signIn.location);
      expect(await landed.text()).toMatch(/Signed in/);
      const result = await login.done;
      expect(result.stderr).not.toMatch(/error/i);
      expect(result.code).toBe(0);
      const code = new URL(signIn.location).searchParams.get('code');
      await request(panelUrl)
        .post('/auth/oidc/cli-token')
        .send({ code, code_verifier: 'v'.repeat(43) })
        .expect(401);

      const config = JSON.parse(await readFile(cli.configPath, 'utf8'));
      const token: string = config.contexts.sso.token;
      expect(token).toMatch(/^wgs_/);
      const me = await request(panelUrl).get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);
      expect(me.body).toMatchObject({ kind: 'user', name: 'Alice Example' });
      // The saved context works for every command: the credential is a bearer token to the CLI.
      expect((await cli.run(['nodes', 'ls'])).code).toBe(0);
      // Signing out with the credential ends the CLI's session like a browser's.
      await request(panelUrl).post('/auth/logout').set('Authorization', `Bearer ${token}`).expect(200);
      await request(panelUrl).get('/api/me').set('Authorization', `Bearer ${token}`).expect(401);
    } finally {
      await cli.cleanup();
    }
  });

  it('sends a CLI sign-in only to a loopback listener', async () => {
    const challenge = 'c'.repeat(43);
    const refused = await request(panelUrl)
      .get(
        `/auth/oidc/login?cli_redirect=${encodeURIComponent('https://evil.example/cb')}&cli_challenge=${challenge}`,
      )
      .expect(400);
    expect(refused.body.error.message).toMatch(/^cli_redirect:/);
  });

  it('maps a group claim to write on region=eu: the console shows EU nodes only, others are 404, no repair outside', async () => {
    const eu = (
      await panel
        .as()
        .post('/api/nodes', nodeBody({ name: 'eu-west-1', tags: { region: 'eu' } }))
        .expect(201)
    ).body.id;
    const us = (
      await panel
        .as()
        .post('/api/nodes', nodeBody({ name: 'us-east-1', tags: { region: 'us' } }))
        .expect(201)
    ).body.id;
    await panel
      .as()
      .post('/api/bindings', { subject: { group: 'eu-writers' }, role: 'write', scope: { tag: 'region=eu' } })
      .expect(201);

    browser ??= await launchChromium();
    const context = await browser.newContext();
    await context.route(/fonts\.googleapis\.com/, (route) => route.abort());
    const page = await context.newPage();
    await page.goto(`${panelUrl}/`);
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await page.locator('input[name="login"]').fill('erin');
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor();
    await page.getByText('eu-west-1').first().waitFor();
    expect(await page.getByText('us-east-1').count()).toBe(0);

    // The same session over the API, as the console sends it: cookie, own Origin, X-CSRF-Token.
    const cookies = await context.cookies(panelUrl);
    const session = cookies.find((cookie) => cookie.name === 'wgfleet_session')!.value;
    const csrf = cookies.find((cookie) => cookie.name === 'wgfleet_csrf')!.value;
    await context.close();
    const get = (path: string) => request(panelUrl).get(path).set('Cookie', `wgfleet_session=${session}`);
    const post = (path: string) =>
      request(panelUrl)
        .post(path)
        .set('Cookie', `wgfleet_session=${session}`)
        .set('Origin', panelUrl)
        .set('X-CSRF-Token', csrf)
        .send({});
    expect((await get('/api/me').expect(200)).body.bindings).toEqual([
      { role: 'write', scope: { tag: 'region=eu' } },
    ]);
    expect((await get('/api/nodes').expect(200)).body.items.map((node: { id: string }) => node.id)).toEqual([
      eu,
    ]);
    await get(`/api/nodes/${us}`).expect(404);
    await post(`/api/drift/nodes/${us}/reconcile`).expect(404);
    const bulk = await post('/api/drift/reconcile').expect(202);
    expect(bulk.body.limited_to_scope).toBe(true);
    expect(bulk.body.jobs.map((job: { node_id: string }) => job.node_id)).toEqual([eu]);
  });
});
