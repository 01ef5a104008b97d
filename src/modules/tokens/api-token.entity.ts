import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { Scope } from '../../common/auth/principal';
import { TokenRole } from '../../common/auth/roles';

@Entity({ tableName: 'api_tokens' })
export class ApiTokenEntity {
  [OptionalProps]?: 'createdAt' | 'revokedAt' | 'scope';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  role!: TokenRole;

  /** Which nodes the role covers (docs/SECURITY.md "Roles and scopes"). */
  @Property({ type: 'json' })
  scope: Scope = { all: true };

  /** SHA-256 of the token: tokens are random and long, so a fast hash is enough and lookups stay O(1). */
  @Property({ type: 'text', unique: true })
  tokenHash!: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;
}
