import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { TokenRole } from '../../common/auth/roles';
import { boundQuery } from '../../database/bound-query';

/** The tokens module's plain statements on api_tokens. */
@Injectable()
export class TokensStore {
  /**
   * The live token with this hash. A plain statement rather than an entity lookup: this runs before every
   * request's handler, and MikroORM's fork, query building and hydration cost more CPU than the handler of
   * a peer create.
   */
  async activeByHash(
    em: EntityManager,
    hash: string,
  ): Promise<{ id: string; name: string; role: TokenRole } | null> {
    const [found] = await boundQuery<{ id: string; name: string; role: TokenRole }>(
      em,
      'select id, name, role from api_tokens where token_hash = ? and revoked_at is null',
      [hash],
    );
    return found ?? null;
  }
}
