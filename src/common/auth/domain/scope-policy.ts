import { matchesTag, parseTagSelector } from '../../domain/node-tags';
import type { Binding, Principal, Scope } from '../principal';
import type { Role } from '../roles';

/** What a scope is checked against: a node, or the node an object (a peer, a drift report, a job) belongs to. */
export interface ScopeTarget {
  id: string;
  tags: Readonly<Record<string, string>>;
  cluster_id: string | null;
}

/** The nodes a principal may see with a role: every node, or those any of `scopes` contains. */
export type NodeFilter = { all: true } | { all: false; scopes: Scope[] };

const RANK: Record<Exclude<Role, 'self'>, number> = { read: 0, write: 1, admin: 2 };

/**
 * Whether a binding's role grants `required`: `read` < `write` < `admin`. `self` grants nothing on fleet
 * objects; a route that a signed-in user may use on their own peers requires `self`, which every role grants.
 */
export function roleGrants(granted: Role, required: Role): boolean {
  if (required === 'self') return true;
  if (granted === 'self') return false;
  return RANK[granted] >= RANK[required];
}

export function isAll(scope: Scope): scope is { all: true } {
  return 'all' in scope;
}

export function scopeContains(scope: Scope, target: ScopeTarget): boolean {
  if ('all' in scope) return true;
  if ('node_ids' in scope) return scope.node_ids.includes(target.id);
  if ('cluster_id' in scope) return target.cluster_id === scope.cluster_id;
  return matchesTag(target.tags, parseTagSelector(scope.tag));
}

function granting(principal: Principal, required: Role): Binding[] {
  return principal.bindings.filter((binding) => roleGrants(binding.role, required));
}

/** Some binding grants `required` somewhere: the route-level check, before any object is looked at. */
export function grantsAnywhere(principal: Principal, required: Role): boolean {
  return granting(principal, required).length > 0;
}

/** Some binding grants `required` on the whole fleet: what fleet-wide objects (tokens, webhooks, audit) need. */
export function grantsFleetWide(principal: Principal, required: Role): boolean {
  return granting(principal, required).some((binding) => isAll(binding.scope));
}

/**
 * The per-object check: a binding must grant `required` and contain the object. Bindings add up, so a `write`
 * on region=eu and a `read` on all read everything and write the EU nodes only.
 */
export function allows(principal: Principal, required: Role, target: ScopeTarget): boolean {
  return granting(principal, required).some((binding) => scopeContains(binding.scope, target));
}

/** The nodes a principal may list (or act on in bulk) with `required`, as a filter a store turns into SQL. */
export function nodeFilter(principal: Principal, required: Role): NodeFilter {
  const scopes = granting(principal, required).map((binding) => binding.scope);
  return scopes.some(isAll) ? { all: true } : { all: false, scopes };
}

/** What an out-of-scope object answers: the same as a missing one (404), or 403 when it may at least be read. */
export type Refusal = 'not_found' | 'forbidden';

export function refusal(principal: Principal, required: Role, target: ScopeTarget): Refusal | null {
  if (allows(principal, required, target)) return null;
  return allows(principal, 'read', target) ? 'forbidden' : 'not_found';
}

/** Whether a node is among those a filter lets through (for lists read whole, like the fleet's drift). */
export function filterAllows(filter: NodeFilter, target: ScopeTarget): boolean {
  return filter.all || filter.scopes.some((scope) => scopeContains(scope, target));
}
