import type { Actor } from './auth.decorators';

/** Who a bearer token belongs to, or null for an unknown or revoked one. The tokens module provides it. */
export interface TokenAuthenticator {
  authenticate(token: string): Promise<Actor | null>;
}

export const TOKEN_AUTHENTICATOR = Symbol('TokenAuthenticator');
