import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { TokenRole } from '../../modules/tokens/api-token.entity';
import { TokensService } from '../../modules/tokens/tokens.service';
import { ApiError } from '../http/api-error';
import { AuthenticatedRequest, PUBLIC_ROUTE, REQUIRED_ROLE } from './auth.decorators';

const RANK: Record<TokenRole, number> = { read: 0, write: 1, admin: 2 };

/** Bearer-token authentication and role check for every route that is not marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    const actor = match ? await this.tokens.authenticate(match[1]) : null;
    if (!actor) {
      throw new ApiError(HttpStatus.UNAUTHORIZED, 'unauthorized', 'a valid Bearer token is required');
    }
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
    request.actor = actor;
    return true;
  }
}
