import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser, Binding, Principal } from './principal';

/** Who a bearer token belongs to, or null for an unknown or revoked one. The tokens module provides it. */
export interface TokenAuthenticator {
  authenticate(token: string): Promise<Principal | null>;
}

export const TOKEN_AUTHENTICATOR = Symbol('TokenAuthenticator');

/**
 * Who a request without a bearer token is, from what it carries otherwise (a session cookie), or null. Optional:
 * a panel without sign-in provides none. It may refuse the request itself (a missing CSRF header) by throwing.
 */
export interface SessionAuthenticator {
  authenticate(request: FastifyRequest, reply: FastifyReply): Promise<AuthenticatedUser | null>;
  /** A bearer credential that is a session's (the CLI's, `wgfleet login --sso`), or null for any other. */
  authenticateBearer?(token: string): Promise<AuthenticatedUser | null>;
}

export const SESSION_AUTHENTICATOR = Symbol('SessionAuthenticator');

/** The bindings that apply to a user: those naming the user or one of their groups. The access module provides it. */
export interface UserBindings {
  bindingsOf(user: Pick<AuthenticatedUser, 'id' | 'groups'>): Promise<Binding[]>;
}

export const USER_BINDINGS = Symbol('UserBindings');
