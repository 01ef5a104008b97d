import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { TOKEN_ROLES, TokenRole } from './api-token.entity';

export class CreateTokenDto {
  @ApiProperty({ example: 'ci-pipeline' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ enum: TOKEN_ROLES, enumName: 'TokenRole' })
  @IsIn(TOKEN_ROLES)
  role!: TokenRole;
}
