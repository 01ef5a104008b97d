import type { ConnectionOptions } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import { RedisTarget } from '../../config/redis-target';

/** What the panel sets on every connection: where Redis is, and how to follow a failover. */
export type PanelRedisOptions = Pick<
  RedisOptions,
  | 'host'
  | 'port'
  | 'username'
  | 'password'
  | 'db'
  | 'tls'
  | 'sentinels'
  | 'name'
  | 'sentinelPassword'
  | 'reconnectOnError'
>;

/**
 * The one place the panel's Redis connections are configured: the shared `RedisConnection` (health, sync
 * marks, rate limits) and every BullMQ queue and worker, so a Sentinel setup applies to all of them.
 * With Sentinel, ioredis asks the sentinels for the current primary on every (re)connect; after a
 * failover the lost connection is retried until the sentinels name the promoted replica.
 */
export function redisOptions(target: RedisTarget): PanelRedisOptions {
  const common: PanelRedisOptions = {
    // A primary demoted while we stayed connected (a partition healed) answers writes with READONLY:
    // reconnecting asks the sentinels again and finds the new primary.
    reconnectOnError: (error) => error.message.startsWith('READONLY'),
  };
  if (target.kind === 'sentinel') {
    return {
      ...common,
      sentinels: target.sentinels.map(({ host, port }) => ({ host, port })),
      name: target.name,
      sentinelPassword: target.sentinelPassword,
      password: target.password,
    };
  }
  const url = new URL(target.url);
  return {
    ...common,
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
  };
}

/** BullMQ's workers block on Redis and must wait out a reconnect rather than fail: no retry limit. */
export function bullConnection(target: RedisTarget): ConnectionOptions {
  return { ...redisOptions(target), maxRetriesPerRequest: null };
}
