import { Entity, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/** A person who signed in through the identity provider, known by the provider's (issuer, subject). */
@Entity({ tableName: 'users' })
@Unique({ properties: ['issuer', 'subject'] })
export class UserEntity {
  [OptionalProps]?: 'createdAt' | 'lastSeenAt' | 'email' | 'groups';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  issuer!: string;

  @Property({ type: 'text' })
  subject!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text', nullable: true })
  email: string | null = null;

  /** The provider's groups at the last sign-in (the `OIDC_GROUPS_CLAIM` claim); bindings may name them. */
  @Property({ type: 'json' })
  groups: string[] = [];

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  lastSeenAt: Date = new Date();
}
