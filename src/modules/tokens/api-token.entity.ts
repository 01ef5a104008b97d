import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

export const TOKEN_ROLES = ['read', 'write', 'admin'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

@Entity({ tableName: 'api_tokens' })
export class ApiTokenEntity {
  [OptionalProps]?: 'createdAt' | 'revokedAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  role!: TokenRole;

  /** SHA-256 of the token: tokens are random and long, so a fast hash is enough and lookups stay O(1). */
  @Property({ type: 'text', unique: true })
  tokenHash!: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;
}
