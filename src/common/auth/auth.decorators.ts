import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../../config/app-config';
import type { Principal } from './principal';
import type { Role } from './roles';
import type { ScopeTargetTopic } from './scope-targets';

export const PUBLIC_ROUTE = 'wgfleet:public';
export const REQUIRED_ROLE = 'wgfleet:role';
export const FLEET_WIDE = 'wgfleet:fleet-wide';
export const SCOPED_TO = 'wgfleet:scoped-to';

export type PublicWhen = (config: AppConfig) => boolean;

/** No token needed (health checks); given a condition, only when the configuration meets it. */
export const Public = (when: PublicWhen = () => true) => SetMetadata(PUBLIC_ROUTE, when);

/** Any authenticated principal, whatever its bindings (none included): who am I, sign out. */
export const AUTHENTICATED_ONLY = 'wgfleet:authenticated-only';
export const AuthenticatedOnly = () => SetMetadata(AUTHENTICATED_ONLY, true);

/** Overrides the default rule (GET → read, anything else → write). */
export const RequireRole = (role: Role) => SetMetadata(REQUIRED_ROLE, role);

/**
 * The route's objects belong to no node (tokens, webhooks, audit, bindings) or to every node (the event feed):
 * its role must be granted on the whole fleet (`{all:true}`); a scoped principal is refused with 403.
 */
export const FleetWide = () => SetMetadata(FLEET_WIDE, true);

/** Which object a route acts on: the path parameter holding its id, and how to find the node it belongs to. */
export interface ScopedTo {
  what: string;
  target: ScopeTargetTopic;
  param: string;
}

/**
 * The route acts on one object (named by the `param` path parameter): its role must be granted by a binding
 * whose scope contains the object's node. An object outside every binding answers 404 like a missing one; one
 * the principal may read but not act on, 403.
 */
export const InScope = (what: string, target: ScopeTargetTopic, param = 'id') =>
  SetMetadata(SCOPED_TO, { what, target, param } satisfies ScopedTo);

/** Who did it and in which request: stored as metadata on every event a command appends. */
export interface CommandContext {
  actorTokenId: string | null;
  requestId: string | null;
}

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

export const Ctx = createParamDecorator((_: unknown, context: ExecutionContext): CommandContext => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  const principal = request.principal;
  return {
    actorTokenId: principal?.kind === 'token' ? principal.id : null,
    requestId: request.id ?? null,
  };
});

/** The authenticated principal of the request (routes behind the AuthGuard only). */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a route without authentication');
  return principal;
});
