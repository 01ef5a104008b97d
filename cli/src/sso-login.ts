import { createWgfleetClient, expectOk } from '@wgfleet/client';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CliError } from './exit-codes';

export interface SsoLoginOptions {
  url: string;
  /** Try to open the system's browser at the sign-in URL (it is printed either way). */
  openBrowser: boolean;
  /** Where the sign-in URL and progress are told (standard error: standard output stays for data). */
  tell: (line: string) => void;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

/**
 * `wgfleet login --sso` (docs/SECURITY.md "Sessions"): a listener on 127.0.0.1 receives the panel's one-time
 * code once the browser has signed in, and the CLI trades it, with the verifier only it holds, for a session
 * credential over the API. Nothing the browser sees or keeps is worth anything without that verifier.
 */
export async function ssoLogin(options: SsoLoginOptions): Promise<{ token: string; expiresAt: string }> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  try {
    const redirect = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
    const loginUrl = new URL('/auth/oidc/login', options.url);
    loginUrl.searchParams.set('cli_redirect', redirect);
    loginUrl.searchParams.set('cli_challenge', challenge);
    options.tell(`Sign in in your browser: ${loginUrl}`);
    if (options.openBrowser) openInBrowser(loginUrl.toString());
    const code = await receiveCode(server, redirect, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const client = createWgfleetClient({ baseUrl: options.url });
    const issued = await expectOk(
      client.POST('/auth/oidc/cli-token', { body: { code, code_verifier: verifier } }),
    );
    return { token: issued.token, expiresAt: issued.expires_at };
  } finally {
    server.close();
  }
}

function receiveCode(
  server: ReturnType<typeof createServer>,
  redirect: string,
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new CliError(`no sign-in came back within ${Math.round(timeoutMs / 1000)} s; run the login again`),
        ),
      timeoutMs,
    );
    server.on('request', (request, response) => {
      const url = new URL(request.url ?? '/', redirect);
      const code = url.searchParams.get('code');
      if (url.pathname !== '/callback' || !code) {
        response.writeHead(404).end();
        return;
      }
      response
        .writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
        .end('Signed in: you can close this tab and go back to the terminal.\n');
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** Best effort: where no browser can be opened (a server over SSH), the printed URL is the way. */
function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // The URL is printed already.
  }
}
