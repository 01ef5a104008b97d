import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ADMIN_TOKEN, dropDatabase, testDatabaseUrl, testEnv } from '../../test/support/panel';

export interface PanelProcess {
  url: string;
  pid: number;
  databaseUrl: string;
  headers: Record<string, string>;
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** Runs the built panel (dist/main.js) as its own process, as in production, on a fresh database. */
export async function spawnPanel(env: Record<string, string> = {}): Promise<PanelProcess> {
  const port = await freePort();
  const databaseUrl = env.DATABASE_URL ?? testDatabaseUrl();
  // As users start it (bin/wgfleet-panel, with its heap limit), unless a benchmark runs another entry.
  const nodeArgs = process.env.PANEL_NODE_ARGS ? process.env.PANEL_NODE_ARGS.split(' ') : [];
  const [command, ...args] = process.env.PANEL_ENTRY
    ? [process.execPath, ...nodeArgs, process.env.PANEL_ENTRY]
    : [join(__dirname, '../../bin/wgfleet-panel')];
  const child: ChildProcess = spawn(command, args, {
    env: {
      ...process.env,
      ...testEnv({ DATABASE_URL: databaseUrl, PORT: String(port), LOG_LEVEL: 'warn', ...env }),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return {
    url,
    pid: child.pid!,
    databaseUrl,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
      if (env.DATABASE_URL === undefined) await dropDatabase(databaseUrl);
    },
  };
}

export function rssMb(pid: number): number {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const status = (require('node:fs') as typeof import('node:fs')).readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}
