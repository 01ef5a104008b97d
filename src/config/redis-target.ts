/** Where the panel's Redis is: one server by URL, or the primary that a set of Redis Sentinels names. */
export type RedisTarget = RedisServerTarget | RedisSentinelTarget;

export interface RedisServerTarget {
  kind: 'server';
  /** `redis://` or `rediss://`, with credentials and database in the URL. */
  url: string;
}

export interface RedisSentinelTarget {
  kind: 'sentinel';
  sentinels: readonly SentinelAddress[];
  /** The master name the sentinels monitor (`sentinel monitor <name> ...`). */
  name: string;
  /** For the sentinels themselves (`requirepass` in sentinel.conf). */
  sentinelPassword?: string;
  /** For the primary and its replicas. */
  password?: string;
}

export interface SentinelAddress {
  host: string;
  port: number;
}

/** The port redis-sentinel listens on unless told otherwise. */
export const DEFAULT_SENTINEL_PORT = 26379;

/**
 * Parses one sentinel address: `host`, `host:port` or `[ipv6]:port`; null when it is not one.
 * An IPv6 address needs its brackets, or its last group would read as a port.
 */
export function parseSentinelAddress(text: string): SentinelAddress | null {
  const match = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(text) ?? /^([^:[\]\s]+)(?::(\d+))?$/.exec(text);
  if (!match) return null;
  const port = match[2] === undefined ? DEFAULT_SENTINEL_PORT : Number(match[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { host: match[1], port };
}
