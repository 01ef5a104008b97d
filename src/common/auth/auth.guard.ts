import { CanActivate, ExecutionContext, HttpStatus, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { FastifyReply } from 'fastify';
import { ApiError, notFound } from '../http/api-error';
import { Reactions } from '../reactions';
import { RequestLimits } from './request-limits';
import {
  AUTHENTICATED_ONLY,
  AuthenticatedRequest,
  FLEET_WIDE,
  PUBLIC_ROUTE,
  PublicWhen,
  REQUIRED_ROLE,
  SCOPED_TO,
  ScopedTo,
} from './auth.decorators';
import { grantsAnywhere, grantsFleetWide, refusal } from './domain/scope-policy';
import type { AuthenticatedUser, Principal } from './principal';
import { Role } from './roles';
import {
  SESSION_AUTHENTICATOR,
  SessionAuthenticator,
  TOKEN_AUTHENTICATOR,
  TokenAuthenticator,
  USER_BINDINGS,
  UserBindings,
} from './token-authenticator';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Authentication (a bearer token, else a session when sign-in is configured) and authorization for every route
 * that is not marked @Public(): the route's role must be granted by one of the principal's bindings, on the
 * whole fleet for @FleetWide() routes, on the object's node for @InScope() routes (docs/SECURITY.md "Roles and
 * scopes"). Lists filter by scope in their own modules.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_AUTHENTICATOR) private readonly tokens: TokenAuthenticator,
    @Inject(USER_BINDINGS) private readonly userBindings: UserBindings,
    private readonly limits: RequestLimits,
    private readonly reactions: Reactions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(SESSION_AUTHENTICATOR) private readonly sessions?: SessionAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<PublicWhen | undefined>(PUBLIC_ROUTE, targets);
    if (isPublic?.(this.config)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const principal = await this.authenticate(request, reply);
    request.principal = principal;
    await this.limits.countRequest(request, reply);
    if (this.reflector.getAllAndOverride<boolean>(AUTHENTICATED_ONLY, targets)) return true;
    const required =
      this.reflector.getAllAndOverride<Role>(REQUIRED_ROLE, targets) ??
      (['GET', 'HEAD', 'OPTIONS'].includes(request.method) ? 'read' : 'write');
    if (!grantsAnywhere(principal, required)) throw lacksRole(principal, required);
    if (grantsFleetWide(principal, required)) return true;
    if (this.reflector.getAllAndOverride<boolean>(FLEET_WIDE, targets)) {
      throw new ApiError(
        HttpStatus.FORBIDDEN,
        'forbidden',
        `this needs role ${required} on the whole fleet; yours is limited to part of it`,
      );
    }
    const scoped = this.reflector.getAllAndOverride<ScopedTo | undefined>(SCOPED_TO, targets);
    if (scoped) await this.checkObject(request, principal, required, scoped);
    return true;
  }

  private async authenticate(request: AuthenticatedRequest, reply: FastifyReply): Promise<Principal> {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (match) {
      // Only a token that is sent and wrong counts as a failure: a missing one costs no lookup and guesses
      // nothing. A valid token is served whatever its address's failures (see RequestLimits).
      const user = await this.sessions?.authenticateBearer?.(match[1]);
      if (user) return this.userPrincipal(user);
      const principal = await this.tokens.authenticate(match[1]);
      if (principal) return principal;
      await this.limits.recordAuthFailure(request, reply);
    } else {
      const user = await this.sessions?.authenticate(request, reply);
      if (user) return this.userPrincipal(user);
    }
    throw new ApiError(
      HttpStatus.UNAUTHORIZED,
      'unauthorized',
      'a valid Bearer token or a signed-in session is required',
    );
  }

  private async userPrincipal(user: AuthenticatedUser): Promise<Principal> {
    const bindings = await this.userBindings.bindingsOf(user);
    return { kind: 'user', id: user.id, name: user.name, bindings, ...(user.via ? { via: user.via } : {}) };
  }

  /** A malformed id is left to the route's own validation (400); a missing object to its handler (404). */
  private async checkObject(
    request: AuthenticatedRequest,
    principal: Principal,
    required: Role,
    { what, target, param }: ScopedTo,
  ): Promise<void> {
    const params = request.params as Record<string, string | undefined>;
    const id = params[param];
    if (id === undefined || !UUID.test(id)) return;
    const found = await this.reactions.ask(target, id);
    if (!found) return;
    const refused = refusal(principal, required, found);
    if (refused === 'not_found') throw notFound(what, id);
    if (refused === 'forbidden') {
      throw new ApiError(
        HttpStatus.FORBIDDEN,
        'forbidden',
        `this needs role ${required} on ${what === 'node' ? 'this node' : `this ${what}'s node`}; yours grants less there`,
      );
    }
  }
}

function lacksRole(principal: Principal, required: Role): ApiError {
  const [only] = principal.bindings;
  const message =
    principal.kind === 'token' && principal.bindings.length === 1
      ? `this needs a token of role ${required}; yours is ${only.role}`
      : `this needs role ${required}; none of your bindings grants it`;
  return new ApiError(HttpStatus.FORBIDDEN, 'forbidden', message);
}
