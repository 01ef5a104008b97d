/**
 * Runs a real wgfleet agent for tests, either inside the test process (fast, and its Fastify instance is
 * at hand) or as a child process (the way it runs on a node; needed to measure memory or test signals).
 *
 *   const agent = await startAgentInProcess({ interfaces: [wg0.name] });
 *   const client = new AgentClient({ baseUrl: agent.url, secret: agent.secret, interfaceName: wg0.name });
 *   ...
 *   await agent.stop();
 *
 * Both listen on 127.0.0.1 on a free port; `url` is http:// or, with `tls`, https://.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { buildApp, type ServerTimeouts } from '../../src/app';
import type { AgentConfig } from '../../src/config';
import { WgDriver } from '../../src/wg/wg-driver';
import { waitUntil } from './wg-interface';

export const AGENT_DIR = join(__dirname, '..', '..');

export interface AgentOptions {
  interfaces: string[];
  /** Default: 64 random hex characters. */
  secret?: string;
  /** PEM certificate and key: serve HTTPS. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Persist `<iface>.conf` files here. */
  configDir?: string;
  /** Keep the nonce journal here (AGENT_STATE_DIR). */
  stateDir?: string;
  maxSkewS?: number;
  /** Default "silent" in-process and "warn" for a child. */
  logLevel?: string;
  /** Sign receipts with the key in this file (made when missing). */
  receiptKeyFile?: string;
}

export interface InProcessAgentOptions extends AgentOptions {
  /** In-process only: log here instead (e.g. pino on a stream the test reads). */
  logger?: Logger;
  /** In-process only: shorter client timeouts than the agent's own. */
  timeouts?: ServerTimeouts;
}

export interface RunningAgent {
  url: string;
  secret: string;
  stop(): Promise<void>;
}

export function randomSecret(): string {
  return randomBytes(32).toString('hex');
}

/** Builds the agent with buildApp and listens on a free port of 127.0.0.1. */
export async function startAgentInProcess(
  options: InProcessAgentOptions,
): Promise<RunningAgent & { app: FastifyInstance }> {
  const config: AgentConfig = {
    secret: options.secret ?? randomSecret(),
    host: '127.0.0.1',
    port: 0,
    interfaces: options.interfaces,
    tls: options.tls ? { cert: Buffer.from(options.tls.cert), key: Buffer.from(options.tls.key) } : null,
    maxSkewS: options.maxSkewS ?? 300,
    logLevel: options.logLevel ?? 'silent',
    configDir: options.configDir ?? null,
    stateDir: options.stateDir ?? null,
    receiptKeyFile: options.receiptKeyFile ?? null,
  };
  const app = buildApp(config, new WgDriver(), {
    logger: options.logger ?? pino({ level: config.logLevel }),
    timeouts: options.timeouts,
  });
  const url = await app.listen({ host: config.host, port: 0 });
  return { url, secret: config.secret, app, stop: () => app.close() };
}

export interface ChildAgentOptions extends Omit<AgentOptions, 'tls'> {
  /** Pass the secret as AGENT_SECRET_FILE (read from this file) instead of AGENT_SECRET. */
  secretFile?: string;
  /** "dist" runs the built agent (npm run build -w @wgfleet/agent); "source" runs src/ through tsx. */
  runtime?: 'dist' | 'source';
  /** Extra environment, e.g. AGENT_TLS_CERT paths. */
  env?: Record<string, string>;
}

/**
 * The command that starts the agent: the launcher users run (bin/wgfleet-agent, with its V8 settings, on the
 * built JavaScript), or the TypeScript sources through tsx.
 */
export function agentCommand(runtime: 'dist' | 'source'): string[] {
  if (runtime === 'dist') {
    if (!existsSync(join(AGENT_DIR, 'dist', 'main.js'))) {
      throw new Error(`${AGENT_DIR}/dist/main.js is missing: run npm run build -w @wgfleet/agent first`);
    }
    return [join(AGENT_DIR, 'bin', 'wgfleet-agent')];
  }
  return [process.execPath, '--import', 'tsx', join(AGENT_DIR, 'src', 'main.ts')];
}

/** A TCP port of 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Spawns the agent and waits until it answers /health; `pid` lets a caller read /proc/<pid>/status. */
export async function startAgentProcess(
  options: ChildAgentOptions,
): Promise<RunningAgent & { pid: number; child: ChildProcess }> {
  const secret = options.secretFile
    ? readFileSync(options.secretFile, 'utf8').replace(/\r?\n$/, '')
    : (options.secret ?? randomSecret());
  const [command, ...args] = agentCommand(options.runtime ?? 'source');
  const port = await freePort();
  const child = spawn(command, args, {
    cwd: AGENT_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
      ...(options.secretFile ? { AGENT_SECRET_FILE: options.secretFile } : { AGENT_SECRET: secret }),
      AGENT_LISTEN: `127.0.0.1:${port}`,
      AGENT_INTERFACES: options.interfaces.join(','),
      AGENT_LOG_LEVEL: options.logLevel ?? 'warn',
      ...(options.configDir ? { AGENT_CONFIG_DIR: options.configDir } : {}),
      ...(options.stateDir ? { AGENT_STATE_DIR: options.stateDir } : {}),
      ...(options.maxSkewS ? { AGENT_MAX_SKEW_S: String(options.maxSkewS) } : {}),
      ...options.env,
    },
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout!.resume();
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`agent exited with ${child.exitCode}: ${stderr}`);
        return fetch(`${url}/health`).then(
          (answer) => answer.ok,
          () => false,
        );
      },
      30000,
      `agent did not answer /health at ${url}: ${stderr}`,
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return { url, secret, pid: child.pid!, child, stop };
}

/** Runs the agent with exactly `env` (plus PATH) and waits for it to exit: for configurations it must refuse. */
export function runAgentUntilExit(
  env: Record<string, string>,
  runtime: 'dist' | 'source' = 'source',
  timeoutMs = 20000,
): Promise<{ code: number | null; stderr: string }> {
  const [command, ...args] = agentCommand(runtime);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: AGENT_DIR,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`agent still running after ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}
