/** What an API token may be given: a token is never `self` (it belongs to no signed-in user). */
export const TOKEN_ROLES = ['read', 'write', 'admin'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

/**
 * What a binding grants. `read` < `write` < `admin` on the objects of its scope; `self` grants only a signed-in
 * user's own peers (docs/SECURITY.md "Roles and scopes") and none of the others.
 */
export const ROLES = ['read', 'write', 'admin', 'self'] as const;
export type Role = (typeof ROLES)[number];
