import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { TokenRole } from '../../common/auth/roles';

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
