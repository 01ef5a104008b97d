import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { boundQuery } from '../../database/bound-query';

/** Self-service owns no table; its one statement serialises one user's device creations across panels. */
@Injectable()
export class SelfServiceStore {
  /** Held until `em`'s transaction ends: a user's devices are counted and added one request at a time. */
  async lockOwner(em: EntityManager, owner: string): Promise<void> {
    await boundQuery(em, `select pg_advisory_xact_lock(hashtextextended('wgfleet:self-service:' || ?, 0))`, [
      owner,
    ]);
  }
}
