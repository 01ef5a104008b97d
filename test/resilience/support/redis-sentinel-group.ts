import Redis from 'ioredis';
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../agent/test/support/agent-process';
import { eventually } from './fleet';
import { PrivateRedis, waitForRedis } from './redis-server';

export const SENTINEL_MASTER_NAME = 'wgfleet';

/**
 * A memory-only Redis primary, one replica and three redis-sentinel processes on free loopback ports, each
 * with files in one temp directory: a Sentinel setup a test can fail over by killing the primary. By default
 * the sentinels notice a dead primary after 1 s and may retry a failover after 3 s, so a test waits seconds,
 * not the production defaults' minutes.
 */
export class RedisSentinelGroup {
  private constructor(
    readonly primary: PrivateRedis,
    readonly replica: PrivateRedis,
    private readonly sentinels: Array<{ port: number; child: ChildProcess }>,
    private readonly dir: string,
  ) {}

  /** `downAfterMs`: how long the primary must be silent before the sentinels act (production: seconds). */
  static async start({ downAfterMs = 1000 } = {}): Promise<RedisSentinelGroup> {
    const dir = await mkdtemp(join(tmpdir(), 'wgfleet-sentinel-'));
    const primary = await PrivateRedis.start(['--dir', dir, '--dbfilename', 'primary.rdb']);
    const replica = await PrivateRedis.start([
      '--dir',
      dir,
      '--dbfilename',
      'replica.rdb',
      '--replicaof',
      '127.0.0.1',
      String(primary.port),
    ]);
    const sentinels = [];
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const config = join(dir, `sentinel-${port}.conf`);
      // The sentinel rewrites its file with what it learns (replicas, the other sentinels, failovers).
      await writeFile(
        config,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${dir}`,
          `sentinel monitor ${SENTINEL_MASTER_NAME} 127.0.0.1 ${primary.port} 2`,
          `sentinel down-after-milliseconds ${SENTINEL_MASTER_NAME} ${downAfterMs}`,
          `sentinel failover-timeout ${SENTINEL_MASTER_NAME} 3000`,
          `sentinel parallel-syncs ${SENTINEL_MASTER_NAME} 1`,
          '',
        ].join('\n'),
      );
      sentinels.push({ port, child: spawn('redis-sentinel', [config], { stdio: 'ignore' }) });
      await waitForRedis(port, 'redis-sentinel');
    }
    const group = new RedisSentinelGroup(primary, replica, sentinels, dir);
    await group.untilReadyToFailOver();
    return group;
  }

  /** `REDIS_SENTINELS` for the panel. */
  get addresses(): string {
    return this.sentinels.map(({ port }) => `127.0.0.1:${port}`).join(',');
  }

  /** The port of the primary every sentinel names now. */
  async primaryPort(): Promise<number | undefined> {
    const ports = new Set(
      await Promise.all(
        this.sentinels.map(async ({ port }) =>
          this.ask(port, async (sentinel) => {
            const address = (await sentinel.call(
              'SENTINEL',
              'get-master-addr-by-name',
              SENTINEL_MASTER_NAME,
            )) as [string, string] | null;
            return address ? Number(address[1]) : undefined;
          }),
        ),
      ),
    );
    return ports.size === 1 ? [...ports][0] : undefined;
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.sentinels.map(async ({ child }) => {
        if (child.exitCode !== null) return;
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
      }),
    );
    await this.replica.stop();
    await this.primary.stop();
    await rm(this.dir, { recursive: true, force: true });
  }

  /** A failover needs every sentinel to know the replica (in sync) and the two other sentinels. */
  private async untilReadyToFailOver(): Promise<void> {
    await eventually(
      'the sentinels to know the replica and each other',
      async () => {
        const ready = await Promise.all(
          this.sentinels.map(({ port }) =>
            this.ask(port, async (sentinel) => {
              const replicas = (await sentinel.call(
                'SENTINEL',
                'replicas',
                SENTINEL_MASTER_NAME,
              )) as string[][];
              const others = (await sentinel.call(
                'SENTINEL',
                'sentinels',
                SENTINEL_MASTER_NAME,
              )) as unknown[];
              const linked = replicas.some((fields) => {
                const info = fieldsOf(fields);
                return info.port === String(this.replica.port) && info['master-link-status'] === 'ok';
              });
              return linked && others.length === 2;
            }),
          ),
        );
        return ready.every(Boolean) ? true : undefined;
      },
      30_000,
      250,
    );
  }

  private async ask<T>(port: number, question: (sentinel: Redis) => Promise<T>): Promise<T> {
    const sentinel = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0 });
    sentinel.on('error', () => undefined);
    try {
      await sentinel.connect();
      return await question(sentinel);
    } finally {
      sentinel.disconnect();
    }
  }
}

/** SENTINEL's answers are flat [name, value, name, value, ...] lists. */
function fieldsOf(flat: string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]] = flat[i + 1];
  return fields;
}
