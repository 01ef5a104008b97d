import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { IsName } from '../../common/validation/validators';
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
}
