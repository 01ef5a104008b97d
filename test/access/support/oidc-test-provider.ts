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

/** Starts oidc-provider in a child process with one client for the panel at `panelUrl`. */
export async function startTestProvider(
  panelUrl: string,
  accounts: Record<string, TestAccount>,
  host = 'localhost',
): Promise<TestProvider> {
  const port = await freePort();
  const clientId = 'wgfleet-test';
  const clientSecret = 'test-client-secret-' + 'z'.repeat(24);
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'oidc-test-provider.mjs')], {
    env: {
      ...process.env,
      OIDC_TEST_PORT: String(port),
      OIDC_TEST_HOST: host,
      OIDC_TEST_ACCOUNTS: JSON.stringify(accounts),
      OIDC_TEST_CLIENT_ID: clientId,
      OIDC_TEST_CLIENT_SECRET: clientSecret,
      OIDC_TEST_REDIRECT_URL: `${panelUrl}/auth/oidc/callback`,
      OIDC_TEST_POST_LOGOUT_URL: `${panelUrl}/`,
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
