import type { Role } from './roles';

/**
 * Which objects a binding covers: the whole fleet, the nodes carrying a tag (`k=v`), the nodes of a cluster or
 * the nodes listed. Peers, drift reports and jobs belong to their node's scope.
 */
export type Scope = { all: true } | { tag: string } | { cluster_id: string } | { node_ids: string[] };

/** A role on a scope: what a principal may do, and where. */
export interface Binding {
  role: Role;
  scope: Scope;
}

/**
 * Who an authenticated request acts as: an API token (its role on its scope) or a signed-in user (the union of
 * the bindings that name the user or one of their groups). `via` says how a user authenticated (e.g. `session`).
 */
export interface Principal {
  kind: 'user' | 'token';
  id: string;
  name: string;
  bindings: Binding[];
  via?: string;
}

/** A signed-in user as a session authenticator knows them, before their bindings are looked up. */
export interface AuthenticatedUser {
  id: string;
  name: string;
  /** The identity provider's groups (the `OIDC_GROUPS_CLAIM` claim), which bindings may name. */
  groups: string[];
  via?: string;
}
