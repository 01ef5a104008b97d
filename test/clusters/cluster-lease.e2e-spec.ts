import { randomUUID } from 'node:crypto';
import { RedisConnection } from '../../src/common/redis/redis.module';
import { loadConfig } from '../../src/config/app-config';
import { ClusterLeases } from '../../src/modules/cluster-health/cluster-lease';
import { testEnv } from '../support/panel';

/** Two panel instances' leases on real Redis: one checks a cluster at a time, the other takes over when it stops. */
describe('cluster health leases', () => {
  const config = loadConfig(testEnv({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/unused' }));
  let redis: RedisConnection;

  beforeAll(async () => {
    redis = new RedisConnection(config);
    // The panel's connection queues nothing while connecting: a lease asked for before then is simply not held.
    if (redis.client.status !== 'ready') await new Promise((resolve) => redis.client.once('ready', resolve));
  });
  afterAll(async () => {
    await redis.onApplicationShutdown();
  });

  it('is held by one instance, renewed by it, and taken over once it lapses', async () => {
    const clusterId = randomUUID();
    const a = new ClusterLeases(redis);
    const b = new ClusterLeases(redis);
    expect(await a.hold(clusterId, 300)).toBe(true);
    expect(await b.hold(clusterId, 300)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await a.hold(clusterId, 300)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await b.hold(clusterId, 300)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await b.hold(clusterId, 300)).toBe(true);
    expect(await a.hold(clusterId, 300)).toBe(false);
    await redis.client.del(`wgfleet:cluster-health:${clusterId}`);
  });
});
