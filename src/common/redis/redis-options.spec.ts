import { bullConnection, redisOptions } from './redis-options';

describe('redisOptions', () => {
  it('reads one server, its credentials, database and TLS from REDIS_URL', () => {
    expect(
      redisOptions({ kind: 'server', url: 'rediss://panel:p%40ss@redis.internal:6380/2' }),
    ).toMatchObject({
      host: 'redis.internal',
      port: 6380,
      username: 'panel',
      password: 'p@ss',
      db: 2,
      tls: {},
    });
  });

  it('asks the sentinels for the named primary, and gives no fixed host', () => {
    const options = redisOptions({
      kind: 'sentinel',
      sentinels: [{ host: '127.0.0.1', port: 26379 }],
      name: 'wgfleet',
      sentinelPassword: 's',
      password: 'p',
    });
    expect(options).toMatchObject({
      sentinels: [{ host: '127.0.0.1', port: 26379 }],
      name: 'wgfleet',
      sentinelPassword: 's',
      password: 'p',
    });
    expect(options.host).toBeUndefined();
  });

  it('reconnects when a demoted primary refuses a write, and only then', () => {
    const reconnect = redisOptions({ kind: 'server', url: 'redis://127.0.0.1' }).reconnectOnError;
    expect(reconnect?.(new Error("READONLY You can't write against a read only replica."))).toBe(true);
    expect(reconnect?.(new Error('ERR unknown command'))).toBe(false);
  });

  it('gives BullMQ connections no retry limit, so workers wait out a failover', () => {
    expect(bullConnection({ kind: 'server', url: 'redis://127.0.0.1' })).toMatchObject({
      maxRetriesPerRequest: null,
    });
  });
});
