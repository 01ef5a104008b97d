import {
  isAll,
  scopeContains,
  type NodeFilter,
  type ScopeTarget,
} from '../../../common/auth/domain/scope-policy';
import type { Principal } from '../../../common/auth/principal';

/**
 * Where a principal may add devices of its own: the nodes a `self` binding's scope contains. Other roles give
 * no self-service nodes (their holders manage peers through the normal routes).
 */
export function mayCreateOwnOn(principal: Principal, node: ScopeTarget): boolean {
  return (
    principal.kind === 'user' &&
    principal.bindings.some((binding) => binding.role === 'self' && scopeContains(binding.scope, node))
  );
}

/** The nodes a principal may add devices of its own on, as a filter the nodes list applies; null: none. */
export function ownDeviceNodes(principal: Principal): NodeFilter | null {
  if (principal.kind !== 'user') return null;
  const scopes = principal.bindings
    .filter((binding) => binding.role === 'self')
    .map((binding) => binding.scope);
  if (scopes.length === 0) return null;
  return scopes.some(isAll) ? { all: true } : { all: false, scopes };
}

/** Why one more device is refused for someone owning `owned` of at most `limit`; null when it may be added. */
export function deviceLimitRefusal(owned: number, limit: number): string | null {
  if (owned < limit) return null;
  return limit === 0
    ? 'self-service devices are turned off on this panel (SELF_SERVICE_PEER_LIMIT is 0)'
    : `you have ${owned} devices, the most one user may have is ${limit}: delete one first`;
}
