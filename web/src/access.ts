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

/** A `self` binding: the caller has devices of their own ("My devices"). */
export function hasOwnDevices(me: Me): boolean {
  return me.bindings.some((binding) => binding.role === 'self');
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

/**
 * Whether a node's write actions are worth showing: some binding grants `required` on a scope holding it. A
 * cluster scope is taken to hold it (the node's cluster is not in its view); the panel decides either way.
 */
export function mayOnNode(
  me: Me,
  required: Exclude<BindingRole, 'self'>,
  node: { id: string; tags: Record<string, string> },
): boolean {
  return me.bindings.some((binding) => {
    if (!grants(binding.role, required)) return false;
    const scope = binding.scope;
    if ('node_ids' in scope) return scope.node_ids.includes(node.id);
    if ('tag' in scope) {
      const equals = scope.tag.indexOf('=');
      return node.tags[scope.tag.slice(0, equals)] === scope.tag.slice(equals + 1);
    }
    return true;
  });
}

/** Whether a cluster's write actions are worth showing: a role on the whole fleet or on that cluster. */
export function mayOnCluster(me: Me, required: Exclude<BindingRole, 'self'>, clusterId: string): boolean {
  return me.bindings.some(
    (binding) =>
      grants(binding.role, required) &&
      ('all' in binding.scope || ('cluster_id' in binding.scope && binding.scope.cluster_id === clusterId)),
  );
}
