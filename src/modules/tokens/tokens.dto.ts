import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import type { Scope } from '../../common/auth/principal';
import { IsName, IsScope } from '../../common/validation/validators';
import { ScopeSchema } from '../../common/auth/scope-schema';
import { TOKEN_ROLES, TokenRole } from '../../common/auth/roles';

export class CreateTokenDto {
  @ApiProperty({ example: 'ci-pipeline' })
  @IsString()
  @Length(1, 100)
  @IsName()
  name!: string;

  @ApiProperty({ enum: TOKEN_ROLES, enumName: 'TokenRole' })
  @IsIn(TOKEN_ROLES)
  role!: TokenRole;

  @ApiProperty({
    ...ScopeSchema,
    required: false,
    description: 'Which nodes the role covers; the whole fleet if left out',
  })
  @IsOptional()
  @IsScope()
  scope?: Scope;
}
