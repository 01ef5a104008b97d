import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
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

/**
 * Headers of a newly created API token of `role`: operators' scripts authenticate this way, and unlike the
 * bootstrap admin token (checked in memory) such a token is looked up in PostgreSQL on every request.
 */
export async function tokenHeaders(
  panel: PanelProcess,
  role: 'read' | 'write' | 'admin',
): Promise<Record<string, string>> {
  const answer = await fetch(`${panel.url}/api/tokens`, {
    method: 'POST',
    headers: panel.headers,
    body: JSON.stringify({ name: `bench-${role}`, role }),
  });
  if (answer.status !== 201)
    throw new Error(`creating a ${role} token: ${answer.status} ${await answer.text()}`);
  const { token } = (await answer.json()) as { token: string };
  return { ...panel.headers, Authorization: `Bearer ${token}` };
}

/** Current and peak resident memory of a process, in MB. */
export function memoryMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)![1]);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU time so far of each PostgreSQL process on this machine (the database the panel works with). */
export function postgresCpu(): Map<number, number> {
  const cpu = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres')
        cpu.set(Number(entry), cpuSeconds(Number(entry)));
    } catch {
      // the process ended meanwhile
    }
  }
  return cpu;
}

/** CPU PostgreSQL used between two snapshots (processes that ended meanwhile are not counted). */
export function postgresCpuSince(before: Map<number, number>): number {
  let used = 0;
  for (const [pid, seconds] of postgresCpu()) used += seconds - (before.get(pid) ?? 0);
  return used;
}
