import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';

export class LoginQuery {
  @ApiPropertyOptional({ description: 'The console path to return to after sign-in', example: '/nodes' })
  @IsOptional()
  @IsString()
  @Length(1, 512)
  return_to?: string;

  @ApiPropertyOptional({
    description: "`wgfleet login --sso`: the CLI's loopback listener, http://127.0.0.1:<port>/…",
    example: 'http://127.0.0.1:43117/callback',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cli_redirect?: string;

  @ApiPropertyOptional({ description: "With cli_redirect: base64url SHA-256 of the CLI's secret verifier" })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'cli_challenge must be a base64url SHA-256 (43 characters)' })
  cli_challenge?: string;
}

export class CliTokenDto {
  @ApiProperty({ description: 'The one-time code the sign-in sent to the loopback listener' })
  @IsString()
  @Length(16, 128)
  code!: string;

  @ApiProperty({ description: 'The verifier whose SHA-256 was the cli_challenge' })
  @IsString()
  @Length(43, 128)
  code_verifier!: string;
}
