import type { BindingRole, Me, Scope } from './types';

const RANK: Record<Exclude<BindingRole, 'self'>, number> = { read: 0, write: 1, admin: 2 };

/** The panel's rule (docs/SECURITY.md "Roles and scopes"): read < write < admin; `self` grants only its own. */
function grants(granted: BindingRole, required: Exclude<BindingRole, 'self'>): boolean {
  return granted !== 'self' && RANK[granted] >= RANK[required];
}

export function grantsAnywhere(me: Me, required: Exclude<BindingRole, 'self'>): boolean {
  return me.bindings.some((binding) => grants(binding.role, required));
}

export function grantsFleetWide(me: Me, required: Exclude<BindingRole, 'self'>): boolean {
  return me.bindings.some((binding) => grants(binding.role, required) && 'all' in binding.scope);
}

/** `all`, `tag region=eu`, `cluster <id>`, `3 nodes`: how the console names a scope. */
export function scopeText(scope: Scope): string {
  if ('all' in scope) return 'all';
  if ('tag' in scope) return `tag ${scope.tag}`;
  if ('cluster_id' in scope) return `cluster ${scope.cluster_id}`;
  return scope.node_ids.length === 1 ? '1 node' : `${scope.node_ids.length} nodes`;
}

/** `admin on all`, `write on tag region=eu, read on all`: the caller's bindings in a line. */
export function bindingsText(me: Me): string {
  return (
    me.bindings.map((binding) => `${binding.role} on ${scopeText(binding.scope)}`).join(', ') || 'no role'
  );
}

/** The strongest role the caller holds anywhere, for the badge's colour. */
export function topRole(me: Me): BindingRole {
  const roles: BindingRole[] = ['admin', 'write', 'read', 'self'];
  return roles.find((role) => me.bindings.some((binding) => binding.role === role)) ?? 'self';
}
