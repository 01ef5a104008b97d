import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ActorRef, CLIENT_HEADER, viaOf } from '@wgfleet/protocol';
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

/** Who did it and in which request: recorded on every event a command appends and every job it makes. */
export interface CommandContext {
  actorTokenId: string | null;
  requestId: string | null;
  actor: ActorRef;
}

/** The panel's own components that act without a request (docs/API.md, Actors). */
export type SystemComponent =
  'drift-scanner' | 'enrollment' | 'node-agents' | 'peer-enforcer' | 'reconcile-runner' | 'self-heal';

/** One of the panel's components as the actor of what it does on its own (no request: via `api`). */
export function systemActor(component: SystemComponent): ActorRef {
  return { kind: 'system', id: component, name: component, via: 'api', request_id: null };
}

/** The context of an action the panel takes on its own. */
export function systemContext(component: SystemComponent): CommandContext {
  return { actorTokenId: null, requestId: null, actor: systemActor(component) };
}

/** The context of an authenticated request: its user or token, the client it came through, its id. */
export function requestContext(
  request: Pick<FastifyRequest, 'id' | 'headers'>,
  principal: Principal,
): CommandContext {
  const requestId = request.id ?? null;
  return {
    actorTokenId: principal.kind === 'token' ? principal.id : null,
    requestId,
    actor: {
      kind: principal.kind,
      id: principal.id,
      name: principal.name,
      via: viaOf(request.headers[CLIENT_HEADER]),
      request_id: requestId,
    },
  };
}

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

export const Ctx = createParamDecorator((_: unknown, context: ExecutionContext): CommandContext => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.principal) throw new Error('Ctx used on a route without authentication');
  return requestContext(request, request.principal);
});

/** The authenticated principal of the request (routes behind the AuthGuard only). */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a route without authentication');
  return principal;
});
