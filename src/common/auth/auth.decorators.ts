import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../../config/app-config';
import { TokenRole } from './roles';

export const PUBLIC_ROUTE = 'wgfleet:public';
export const REQUIRED_ROLE = 'wgfleet:role';

export type PublicWhen = (config: AppConfig) => boolean;

/** No token needed (health checks); given a condition, only when the configuration meets it. */
export const Public = (when: PublicWhen = () => true) => SetMetadata(PUBLIC_ROUTE, when);

/** Overrides the default rule (GET → read, anything else → write). */
export const RequireRole = (role: TokenRole) => SetMetadata(REQUIRED_ROLE, role);

export interface Actor {
  tokenId: string;
  role: TokenRole;
}

/** Who did it and in which request: stored as metadata on every event a command appends. */
export interface CommandContext {
  actorTokenId: string | null;
  requestId: string | null;
}

export type AuthenticatedRequest = FastifyRequest & { actor?: Actor };

export const Ctx = createParamDecorator((_: unknown, context: ExecutionContext): CommandContext => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  return {
    actorTokenId: request.actor?.tokenId ?? null,
    requestId: request.id ?? null,
  };
});

/** The authenticated token of the request (routes behind the AuthGuard only). */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new Error('CurrentActor used on a route without authentication');
  return actor;
});
