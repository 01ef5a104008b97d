import { Body, Controller, Get, HttpCode, HttpStatus, Logger, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../common/auth/auth.decorators';
import { RequestLimits } from '../../common/auth/request-limits';
import { ApiError } from '../../common/http/api-error';
import { ApiErrors } from '../../common/http/api-responses';
import { OidcClient } from './oidc-client';
import {
  CSRF_COOKIE,
  LOGIN_COOKIE,
  LOGIN_COOKIE_PATH,
  readCookie,
  serializeCookie,
  SESSION_COOKIE,
} from './domain/session-cookies';
import { CliTokenDto, LoginQuery } from './sessions.dto';
import { CallbackRefused, SessionsService } from './sessions.service';
import { CliTokenView, LogoutView, SignInOptionsView } from './session-views';

const LOGIN_COOKIE_MAX_AGE_S = 600;

/**
 * Sign-in with the OpenID Connect provider (docs/API.md "Signing in"). These routes authenticate by themselves:
 * they are how a session begins and ends.
 */
@ApiTags('auth')
@Public()
@Controller('auth')
export class SessionsController {
  private readonly logger = new Logger('SignIn');

  constructor(
    private readonly sessions: SessionsService,
    private readonly provider: OidcClient,
    private readonly limits: RequestLimits,
  ) {}

  @Get('oidc/config')
  @ApiOperation({ operationId: 'signInOptions', summary: 'Whether single sign-on is offered, and its label' })
  @ApiOkResponse({ type: SignInOptionsView })
  options(): SignInOptionsView {
    return {
      oidc_enabled: this.provider.enabled,
      display_name: this.provider.displayName,
      login_url: '/auth/oidc/login',
    };
  }

  /** Browser navigation, not an API call: left out of the OpenAPI document (docs/API.md "Signing in"). */
  @Get('oidc/login')
  @ApiExcludeEndpoint()
  async login(@Query() query: LoginQuery, @Res() reply: FastifyReply): Promise<void> {
    if (!this.provider.enabled)
      throw new ApiError(HttpStatus.NOT_FOUND, 'not_found', 'single sign-on is not configured on this panel');
    let started;
    try {
      started = await this.sessions.startLogin({
        returnTo: query.return_to,
        cliRedirect: query.cli_redirect,
        cliChallenge: query.cli_challenge,
      });
    } catch (error) {
      if (error instanceof ApiError) throw error;
      this.logger.warn(`sign-in not started: ${error instanceof Error ? error.message : 'unknown error'}`);
      throw new ApiError(
        HttpStatus.BAD_GATEWAY,
        'provider_unavailable',
        'the identity provider cannot be reached',
      );
    }
    // Lax, not Strict: the provider's redirect back is a cross-site navigation, which must carry it.
    const cookie = serializeCookie(LOGIN_COOKIE, started.state, {
      httpOnly: true,
      sameSite: 'Lax',
      path: LOGIN_COOKIE_PATH,
      maxAgeS: LOGIN_COOKIE_MAX_AGE_S,
    });
    await reply
      .code(303)
      .header('cache-control', 'no-store')
      .header('set-cookie', cookie)
      .header('location', started.url)
      .send();
  }

  /** The provider's redirect back: browser navigation too, out of the OpenAPI document. */
  @Get('oidc/callback')
  @ApiExcludeEndpoint()
  async callback(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const query = new URLSearchParams(request.url.split('?')[1] ?? '');
    const clearLogin = serializeCookie(LOGIN_COOKIE, '', {
      httpOnly: true,
      sameSite: 'Lax',
      path: LOGIN_COOKIE_PATH,
      maxAgeS: 0,
    });
    reply.code(303).header('cache-control', 'no-store');
    try {
      const finished = await this.sessions.finishLogin(
        query,
        readCookie(request.headers.cookie, LOGIN_COOKIE),
      );
      if (finished.kind === 'cli') {
        await reply.header('set-cookie', clearLogin).header('location', finished.redirect).send();
        return;
      }
      const maxAgeS = this.sessions.absoluteTimeoutS;
      await reply
        .header('set-cookie', [
          clearLogin,
          serializeCookie(SESSION_COOKIE, finished.secret, {
            httpOnly: true,
            sameSite: 'Lax',
            path: '/',
            maxAgeS,
          }),
          serializeCookie(CSRF_COOKIE, finished.csrfToken, {
            httpOnly: false,
            sameSite: 'Strict',
            path: '/',
            maxAgeS,
          }),
        ])
        .header('location', finished.returnTo)
        .send();
    } catch (error) {
      if (!(error instanceof CallbackRefused)) throw error;
      this.logger.warn(`sign-in refused: ${error.message}`);
      await this.limits.recordAuthFailure(request, reply);
      await reply.header('set-cookie', clearLogin).header('location', `/?sign_in_error=${error.code}`).send();
    }
  }

  @Post('logout')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'signOut',
    summary: "Ends the caller's session on the panel (cookie with X-CSRF-Token, or the CLI's session token)",
  })
  @ApiOkResponse({ type: LogoutView })
  @ApiErrors(403)
  async logout(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LogoutView> {
    const { endSessionUrl } = await this.sessions.logout(request);
    reply
      .header('cache-control', 'no-store')
      .header('set-cookie', [
        serializeCookie(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'Lax', path: '/', maxAgeS: 0 }),
        serializeCookie(CSRF_COOKIE, '', { httpOnly: false, sameSite: 'Strict', path: '/', maxAgeS: 0 }),
      ]);
    return { end_session_url: endSessionUrl };
  }

  /** `wgfleet login --sso`: the CLI trades its one-time code and verifier for a session credential. */
  @Post('oidc/cli-token')
  @HttpCode(200)
  @ApiOperation({ operationId: 'exchangeCliSignIn' })
  @ApiOkResponse({ type: CliTokenView })
  @ApiErrors(400, 401, 429)
  async cliToken(
    @Body() body: CliTokenDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CliTokenView> {
    const issued = await this.sessions.exchangeCliCode(body.code, body.code_verifier);
    if (!issued) {
      await this.limits.recordAuthFailure(request, reply);
      throw new ApiError(
        HttpStatus.UNAUTHORIZED,
        'unauthorized',
        'the code is unknown, spent or expired, or the verifier does not match',
      );
    }
    reply.header('cache-control', 'no-store');
    return { token: issued.token, expires_at: issued.expiresAt.toISOString() };
  }
}
