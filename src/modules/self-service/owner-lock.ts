import { HttpStatus, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ApiError } from '../../common/http/api-error';
import { RedisConnection } from '../../common/redis/redis.module';

/** Longer than adding a device takes; a panel that dies holding the lock frees it after this. */
const HOLD_MS = 30_000;
/** How long a request waits for the same user's other addition before it gives up. */
const WAIT_MS = 10_000;
const RETRY_MS = 50;
/** Deletes the key only if it still holds this holder's token (a lock that expired is not someone else's). */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

/**
 * One user's device additions, one at a time across all panels: counted and added under a lock in Redis.
 * Not a database lock: the addition itself runs in the peers module's own transaction, and holding a second
 * connection while waiting for it could exhaust the pool under a burst of users.
 */
@Injectable()
export class OwnerLock {
  constructor(private readonly redis: RedisConnection) {}

  async holding<T>(owner: string, work: () => Promise<T>): Promise<T> {
    // User ids are random UUIDs, unique across the databases that may share this Redis.
    const key = `wgfleet:self-service:${owner}`;
    const token = randomUUID();
    const deadline = Date.now() + WAIT_MS;
    while ((await this.redis.client.set(key, token, 'PX', HOLD_MS, 'NX')) !== 'OK') {
      if (Date.now() > deadline) {
        throw new ApiError(
          HttpStatus.CONFLICT,
          'device_busy',
          'another of your devices is still being added: try again in a moment',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
    try {
      return await work();
    } finally {
      await this.redis.client.eval(RELEASE, 1, key, token);
    }
  }
}
