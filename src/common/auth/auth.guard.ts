import { CanActivate, ExecutionContext, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { FastifyReply } from 'fastify';
import { ApiError } from '../http/api-error';
import { RequestLimits } from './request-limits';
import { AuthenticatedRequest, PUBLIC_ROUTE, PublicWhen, REQUIRED_ROLE } from './auth.decorators';
import { TokenRole } from './roles';
import { TOKEN_AUTHENTICATOR, TokenAuthenticator } from './token-authenticator';

const RANK: Record<TokenRole, number> = { read: 0, write: 1, admin: 2 };

/** Bearer-token authentication and role check for every route that is not marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_AUTHENTICATOR) private readonly tokens: TokenAuthenticator,
    private readonly limits: RequestLimits,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<PublicWhen | undefined>(PUBLIC_ROUTE, targets);
    if (isPublic?.(this.config)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    // Only a token that is sent and wrong counts as a failure: a missing one costs no lookup and guesses nothing.
    // A valid token is served whatever its address's failures (see RequestLimits).
    const actor = match ? await this.tokens.authenticate(match[1]) : null;
    if (!actor) {
      if (match) await this.limits.recordAuthFailure(request, reply);
      throw new ApiError(HttpStatus.UNAUTHORIZED, 'unauthorized', 'a valid Bearer token is required');
    }
    request.actor = actor;
    await this.limits.countRequest(request, reply);
    const required =
      this.reflector.getAllAndOverride<TokenRole>(REQUIRED_ROLE, targets) ??
      (['GET', 'HEAD', 'OPTIONS'].includes(request.method) ? 'read' : 'write');
    if (RANK[actor.role] < RANK[required]) {
      throw new ApiError(
        HttpStatus.FORBIDDEN,
        'forbidden',
        `this needs a token of role ${required}; yours is ${actor.role}`,
      );
    }
    return true;
  }
}
