import { ApiProperty } from '@nestjs/swagger';

/** What the console's login page needs to offer single sign-on. */
export class SignInOptionsView {
  @ApiProperty({ description: 'Single sign-on is configured (OIDC_ISSUER)' })
  oidc_enabled!: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'The button says "Sign in with <display_name>"' })
  display_name!: string | null;

  @ApiProperty({ example: '/auth/oidc/login' })
  login_url!: string;
}

export class LogoutView {
  @ApiProperty({
    type: String,
    nullable: true,
    description: "The provider's end-session URL (RP-initiated logout), where the provider supports it",
  })
  end_session_url!: string | null;
}

/** The CLI's session credential: a bearer token that ends with the session. */
export class CliTokenView {
  @ApiProperty({ description: 'Bearer credential of the CLI session (wgs_…); shown this once' })
  token!: string;

  @ApiProperty({ format: 'date-time' })
  expires_at!: string;
}
