/** The node side of onboarding tests: commands run as an operator would, and the agent run from its env file. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer as createTlsServer, type Server } from 'node:tls';
import { connect, type AddressInfo } from 'node:net';
import { parseEnvFile } from '../../../agent/src/enroll';
import { waitUntil } from '../../../agent/test/support/wg-interface';
import { stopChild } from '../../e2e/support/stop-child';

export interface CommandOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCommand(
  command: string,
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 120000,
): Promise<CommandOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} still running after ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** GET /health over https trusting `ca`; true on a 200. */
function healthy(url: string, ca: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(`${url}/health`, { ca, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

export interface RunningNodeAgent {
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the agent with exactly the environment its env file gives (as systemd's EnvironmentFile would). */
export async function startAgentFromEnvFile(
  command: readonly string[],
  envFile: string,
  url: string,
  ca: string,
): Promise<RunningNodeAgent> {
  const env = Object.fromEntries(parseEnvFile(readFileSync(envFile, 'utf8')));
  const child = spawn(command[0], command.slice(1), {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', ...env },
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  try {
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`agent exited with ${child.exitCode}: ${stderr}`);
        return healthy(url, ca);
      },
      30000,
      `agent did not answer at ${url}: ${stderr}`,
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { child, stop: () => stopChild(child) };
}

/** TLS in front of a plain-HTTP test panel: what a reverse proxy does for a real one. */
export async function startTlsFront(
  targetPort: number,
  tls: { cert: string; key: string },
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createTlsServer(tls, (client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
