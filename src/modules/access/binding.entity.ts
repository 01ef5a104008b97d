import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { Scope } from '../../common/auth/principal';
import type { Role } from '../../common/auth/roles';

/** A role on a scope for one user or for an identity-provider group (exactly one of the two is set). */
@Entity({ tableName: 'bindings' })
export class BindingEntity {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid', nullable: true })
  subjectUserId!: string | null;

  @Property({ type: 'text', nullable: true })
  subjectGroup!: string | null;

  @Property({ type: 'text' })
  role!: Role;

  @Property({ type: 'json' })
  scope!: Scope;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
