import { ApiProperty } from '@nestjs/swagger';
import { TOKEN_ROLES, TokenRole } from '../../common/auth/roles';
import { ApiTokenEntity } from './api-token.entity';

/** An API token as listings show it: never the token itself. */
export class TokenView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: TOKEN_ROLES, enumName: 'TokenRole' })
  role!: TokenRole;

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

/** The calling token, as GET /api/me names it. */
export class WhoAmIView {
  @ApiProperty({ description: "The token's id; `bootstrap` for PANEL_ADMIN_TOKEN", example: 'bootstrap' })
  token_id!: string;

  @ApiProperty({ enum: TOKEN_ROLES, enumName: 'TokenRole' })
  role!: TokenRole;

  @ApiProperty()
  name!: string;
}

export function toTokenView(token: ApiTokenEntity): TokenView {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    created_at: token.createdAt.toISOString(),
    revoked_at: token.revokedAt?.toISOString() ?? null,
  };
}
