import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RedisConnection } from '../../common/redis/redis.module';

/** Renews the lease only while this instance still holds it (compare, then extend). */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/**
 * One panel instance checks a cluster at a time: each tick an instance takes or renews the cluster's lease in
 * Redis (SET NX PX); a lease not renewed for a few intervals (its holder stopped) is taken by another instance.
 * Redis unreachable = no lease: no instance publishes while it cannot coordinate.
 */
@Injectable()
export class ClusterLeases {
  private readonly holder = randomUUID();

  constructor(private readonly redis: RedisConnection) {}

  async hold(clusterId: string, ttlMs: number): Promise<boolean> {
    const key = `wgfleet:cluster-health:${clusterId}`;
    try {
      if ((await this.redis.client.set(key, this.holder, 'PX', ttlMs, 'NX')) === 'OK') return true;
      return (await this.redis.client.eval(RENEW, 1, key, this.holder, String(ttlMs))) === 1;
    } catch {
      return false;
    }
  }
}
