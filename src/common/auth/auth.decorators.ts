import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ActorRef, CLIENT_HEADER, viaOf } from '@wgfleet/protocol';
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
  /** The token's name, as events and jobs name who did them. */
  name: string;
  role: TokenRole;
}

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

/** The context of an authenticated request: its token, the client it came through, its id. */
export function requestContext(request: AuthenticatedRequest, actor: Actor): CommandContext {
  const requestId = request.id ?? null;
  return {
    actorTokenId: actor.tokenId,
    requestId,
    actor: {
      kind: 'token',
      id: actor.tokenId,
      name: actor.name,
      via: viaOf(request.headers[CLIENT_HEADER]),
      request_id: requestId,
    },
  };
}

export type AuthenticatedRequest = FastifyRequest & { actor?: Actor };

export const Ctx = createParamDecorator((_: unknown, context: ExecutionContext): CommandContext => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.actor) throw new Error('Ctx used on a route without authentication');
  return requestContext(request, request.actor);
});

/** The authenticated token of the request (routes behind the AuthGuard only). */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new Error('CurrentActor used on a route without authentication');
  return actor;
});
