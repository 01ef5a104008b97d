import { ApiProperty } from '@nestjs/swagger';
import { IsIn, ValidateBy } from 'class-validator';
import type { Scope } from '../../common/auth/principal';
import { ROLES, Role } from '../../common/auth/roles';
import { ScopeSchema } from '../../common/auth/scope-schema';
import { IsScope } from '../../common/validation/validators';
import { SubjectSchema } from './binding-view';
import { BindingSubject, subjectProblem } from './domain/binding-subject';

export class CreateBindingDto {
  @ApiProperty({ ...SubjectSchema, description: 'A user (by id) or an identity-provider group (by name)' })
  @ValidateBy({
    name: 'isBindingSubject',
    validator: {
      validate: (value) => subjectProblem(value, 'subject') === null,
      defaultMessage: (args) => subjectProblem(args?.value, 'subject') ?? 'subject is invalid',
    },
  })
  subject!: BindingSubject;

  @ApiProperty({ enum: ROLES, enumName: 'Role' })
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role!: Role;

  @ApiProperty(ScopeSchema)
  @IsScope()
  scope!: Scope;
}
