import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface TestAccount {
  name?: string;
  email?: string;
  groups?: unknown;
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  stop: () => Promise<void>;
}

/** A free TCP port on the loopback interface (the panel's URL must be known before it starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts oidc-provider in a child process with one client for the panels at `panelUrls`. */
export async function startTestProvider(
  panelUrls: string[],
  accounts: Record<string, TestAccount>,
  host = 'localhost',
): Promise<TestProvider> {
  const port = await freePort();
  const clientId = 'wgfleet-test';
  const clientSecret = 'test-client-secret-' + 'z'.repeat(24);
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'oidc-provider-process.mjs')], {
    env: {
      ...process.env,
      OIDC_TEST_PORT: String(port),
      OIDC_TEST_HOST: host,
      OIDC_TEST_ACCOUNTS: JSON.stringify(accounts),
      OIDC_TEST_CLIENT_ID: clientId,
      OIDC_TEST_CLIENT_SECRET: clientSecret,
      OIDC_TEST_REDIRECT_URLS: panelUrls.map((url) => `${url}/auth/oidc/callback`).join(' '),
      OIDC_TEST_POST_LOGOUT_URLS: panelUrls.map((url) => `${url}/`).join(' '),
      NODE_ENV: 'test',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const issuer = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /ready (\S+)/.exec(stdout);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`oidc-provider exited (${code}): ${stderr}`)));
  });
  return {
    issuer,
    clientId,
    clientSecret,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Cookies one client keeps, by name (the tests' hosts are few and their paths do not collide). */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

export interface HttpSignIn {
  /** Where the panel's callback sent the browser (a console path, or the CLI listener with its code). */
  location: string;
  session: string | undefined;
  csrf: string | undefined;
  /** The callback's Set-Cookie lines, for checking their flags. */
  setCookies: string[];
  /** The provider's redirect to the panel, with its one-time code. */
  callbackUrl: string;
}

/**
 * Walks a sign-in as a browser would, without one: the panel's login route, the provider's development login
 * form (any password), back to the panel's callback. `loginPath` chooses the route's query (CLI sign-ins).
 */
export async function signInOverHttp(
  panelUrl: string,
  login: string,
  loginPath = '/auth/oidc/login',
): Promise<HttpSignIn> {
  const jar = new CookieJar();
  let response = await fetch(panelUrl + loginPath, { redirect: 'manual' });
  jar.take(response);
  let url = response.headers.get('location');
  for (let hop = 0; hop < 20 && url; hop++) {
    const absolute = new URL(url, response.url).toString();
    response = await fetch(absolute, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.take(response);
    if (absolute.startsWith(`${panelUrl}/auth/oidc/callback`)) {
      return {
        location: response.headers.get('location') ?? '',
        session: jar.get('wgfleet_session'),
        csrf: jar.get('wgfleet_csrf'),
        setCookies: response.headers.getSetCookie(),
        callbackUrl: absolute,
      };
    }
    if (response.status === 200) {
      // The provider's login form: post any password for the login name.
      const page = await response.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
      if (!action) throw new Error(`no form on ${absolute}: ${page.slice(0, 300)}`);
      response = await fetch(new URL(action, absolute), {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ prompt: 'login', login, password: 'any' }).toString(),
      });
      jar.take(response);
    }
    url = response.headers.get('location');
  }
  throw new Error(
    `the sign-in did not come back to the panel (last answer ${response.status} at ${response.url})`,
  );
}
