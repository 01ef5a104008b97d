import { ApiProperty } from '@nestjs/swagger';
import type { Binding, Scope } from '../../common/auth/principal';
import { ROLES, Role } from '../../common/auth/roles';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ofOne, ScopeSchema } from '../../common/auth/scope-schema';
import type { BindingRow } from './bindings.store';
import type { BindingSubject } from './domain/binding-subject';

export const SubjectSchema: { oneOf: SchemaObject[] } = {
  oneOf: [
    ofOne('user_id', { type: 'string', format: 'uuid' }),
    ofOne('group', { type: 'string', example: 'wg-operators-eu' }),
  ],
};

export class BindingView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ ...SubjectSchema, description: 'A user (by id) or an identity-provider group (by name)' })
  subject!: BindingSubject;

  @ApiProperty({ enum: ROLES, enumName: 'Role' })
  role!: Role;

  @ApiProperty(ScopeSchema)
  scope!: Scope;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}

/** Every binding (not paged: a panel has few). */
export class BindingList {
  @ApiProperty({ type: BindingView, isArray: true })
  items!: BindingView[];
}

export class PrincipalBindingView implements Binding {
  @ApiProperty({ enum: ROLES, enumName: 'Role' })
  role!: Role;

  @ApiProperty(ScopeSchema)
  scope!: Scope;
}

/** The caller, as GET /api/me names it: what a console or a script needs to know what it may do, and where. */
export class MeView {
  @ApiProperty({ enum: ['user', 'token'] })
  kind!: 'user' | 'token';

  @ApiProperty({
    description: "The user's or token's id; `bootstrap` for PANEL_ADMIN_TOKEN",
    example: 'bootstrap',
  })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: PrincipalBindingView, isArray: true })
  bindings!: PrincipalBindingView[];
}

export function toBindingView(row: BindingRow): BindingView {
  return {
    id: row.id,
    subject:
      row.subject_user_id !== null ? { user_id: row.subject_user_id } : { group: row.subject_group ?? '' },
    role: row.role,
    scope: row.scope,
    created_at: new Date(row.created_at).toISOString(),
  };
}
