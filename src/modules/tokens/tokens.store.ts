import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Scope } from '../../common/auth/principal';
import type { TokenRole } from '../../common/auth/roles';
import { boundQuery } from '../../database/bound-query';

export interface ActiveToken {
  id: string;
  name: string;
  role: TokenRole;
  scope: Scope;
}

/** The tokens module's plain statements on api_tokens. */
@Injectable()
export class TokensStore {
  /**
   * The live token with this hash. A plain statement rather than an entity lookup: this runs before every
   * request's handler, and MikroORM's fork, query building and hydration cost more CPU than the handler of
   * a peer create.
   */
  async activeByHash(em: EntityManager, hash: string): Promise<ActiveToken | null> {
    const [found] = await boundQuery<ActiveToken>(
      em,
      'select id, name, role, scope from api_tokens where token_hash = ? and revoked_at is null',
      [hash],
    );
    return found ?? null;
  }
}
