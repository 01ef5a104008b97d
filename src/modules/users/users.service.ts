import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { UserClaims, UserRecord } from './user-record';
import { UsersStore } from './users.store';

/**
 * The people who signed in. A user is created at their first sign-in and never by hand: what they may do comes
 * from bindings naming them or their groups (the access module).
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly em: EntityManager,
    private readonly store: UsersStore,
  ) {}

  /** At every sign-in: the user, created the first time, with the provider's latest name, email and groups. */
  upsertFromClaims(claims: UserClaims): Promise<UserRecord> {
    return this.store.upsert(this.em, claims);
  }

  find(id: string): Promise<UserRecord | null> {
    return this.store.byId(this.em, id);
  }

  list(): Promise<UserRecord[]> {
    return this.store.list(this.em);
  }
}
