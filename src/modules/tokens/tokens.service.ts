import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { Principal, Scope } from '../../common/auth/principal';
import { normalizeScope } from '../../common/auth/domain/scope';
import { TokenAuthenticator } from '../../common/auth/token-authenticator';
import { notFound } from '../../common/http/api-error';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { TokenRole } from '../../common/auth/roles';
import { ApiTokenEntity } from './api-token.entity';
import { generateApiToken, hashApiToken } from './token-hash';
import { TokensStore } from './tokens.store';
import { CreatedTokenView, TokenView, toTokenView } from './token-view';

export const BOOTSTRAP_TOKEN_ID = 'bootstrap';
const BOOTSTRAP_TOKEN_NAME = 'bootstrap admin (PANEL_ADMIN_TOKEN)';

@Injectable()
export class TokensService implements TokenAuthenticator {
  private readonly adminTokenHash: Buffer;

  constructor(
    private readonly em: EntityManager,
    private readonly store: TokensStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.adminTokenHash = Buffer.from(hashApiToken(config.adminToken), 'hex');
  }

  /** Looked up on every request, so a revoked token stops working at once on every panel instance. */
  async authenticate(token: string): Promise<Principal | null> {
    const hash = hashApiToken(token);
    if (timingSafeEqual(Buffer.from(hash, 'hex'), this.adminTokenHash)) {
      return {
        kind: 'token',
        id: BOOTSTRAP_TOKEN_ID,
        name: BOOTSTRAP_TOKEN_NAME,
        bindings: [{ role: 'admin', scope: { all: true } }],
      };
    }
    const found = await this.store.activeByHash(this.em, hash);
    return found
      ? {
          kind: 'token',
          id: found.id,
          name: found.name,
          bindings: [{ role: found.role, scope: found.scope }],
        }
      : null;
  }

  async create(name: string, role: TokenRole, scope: Scope = { all: true }): Promise<CreatedTokenView> {
    const token = generateApiToken();
    const em = this.em.fork();
    const entity = em.create(ApiTokenEntity, {
      id: randomUUID(),
      name,
      role,
      scope: normalizeScope(scope),
      tokenHash: hashApiToken(token),
    });
    await em.persistAndFlush(entity);
    return { ...toTokenView(entity), token };
  }

  async list(): Promise<TokenView[]> {
    const tokens = await this.em
      .fork()
      .find(ApiTokenEntity, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
    return tokens.map(toTokenView);
  }

  async revoke(id: string): Promise<void> {
    const em = this.em.fork();
    const token = await em.findOne(ApiTokenEntity, { id });
    if (!token) throw notFound('token', id);
    token.revokedAt ??= new Date();
    await em.flush();
  }
}
