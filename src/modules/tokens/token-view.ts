import { ApiProperty } from '@nestjs/swagger';
import type { Scope } from '../../common/auth/principal';
import { TOKEN_ROLES, TokenRole } from '../../common/auth/roles';
import { ScopeSchema } from '../../common/auth/scope-schema';
import { ApiTokenEntity } from './api-token.entity';

/** An API token as listings show it: never the token itself. */
export class TokenView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: TOKEN_ROLES, enumName: 'TokenRole' })
  role!: TokenRole;

  @ApiProperty(ScopeSchema)
  scope!: Scope;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revoked_at!: string | null;
}

/** The answer to a create: the only time the token itself is shown. */
export class CreatedTokenView extends TokenView {
  @ApiProperty({ description: 'The bearer token; shown this once' })
  token!: string;
}

/** Every token, revoked ones included (not paged: a panel has few). */
export class TokenList {
  @ApiProperty({ type: TokenView, isArray: true })
  items!: TokenView[];
}

export function toTokenView(token: ApiTokenEntity): TokenView {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    scope: token.scope,
    created_at: token.createdAt.toISOString(),
    revoked_at: token.revokedAt?.toISOString() ?? null,
  };
}
