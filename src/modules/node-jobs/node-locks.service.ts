import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig } from '../../config/app-config';

/** A held per-node lock; release it exactly once. */
export interface NodeLock {
  release(): Promise<void>;
}

/**
 * Never two jobs on one node at once, across every panel instance: a session-level PostgreSQL advisory lock
 * per node, held on a dedicated connection for the whole job, so a crashed instance's connection drops and
 * its locks with it. Advisory locks are re-entrant per session, hence one pooled connection per held lock.
 */
@Injectable()
export class NodeLocks implements OnApplicationShutdown {
  private readonly pool: Pool;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.pool = new Pool({
      connectionString: config.databaseUrl,
      max: config.reconcileConcurrency + 2,
      idleTimeoutMillis: 30_000,
    });
    // An idle connection dropping is not fatal; the next acquire opens another.
    this.pool.on('error', () => undefined);
  }

  /** The node's lock, or null when another job (here or on another instance) holds it. */
  async tryAcquire(nodeId: string): Promise<NodeLock | null> {
    const client = await this.pool.connect();
    // A held client is the pool's no longer: if PostgreSQL drops it mid-job, its 'error' must not crash the
    // process (the server frees the lock with the connection; the job's next query fails and it retries).
    if (client.listenerCount('error') === 0) client.on('error', () => undefined);
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        'select pg_try_advisory_lock(hashtextextended($1, 0)) as locked',
        [lockKey(nodeId)],
      );
      if (!rows[0].locked) {
        client.release();
        return null;
      }
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        try {
          await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [lockKey(nodeId)]);
          client.release();
        } catch (error) {
          // Dropping the connection releases the lock just as well.
          client.release(error as Error);
        }
      },
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

function lockKey(nodeId: string): string {
  return `node-job:${nodeId}`;
}
