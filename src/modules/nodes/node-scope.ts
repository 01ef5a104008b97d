import type { FilterQuery } from '@mikro-orm/core';
import type { NodeFilter, ScopeTarget } from '../../common/auth/domain/scope-policy';
import type { Scope } from '../../common/auth/principal';
import { NodeEntity } from './node.entity';

/** What scopes are checked against for this node (docs/SECURITY.md "Roles and scopes"). */
export function nodeScopeTarget(node: Pick<NodeEntity, 'id'>): ScopeTarget {
  return { id: node.id, tags: {}, cluster_id: null };
}

/** The nodes a filter lets through, as a query condition: every node, or those any of its scopes contains. */
export function nodesWhere(filter: NodeFilter): FilterQuery<NodeEntity> {
  if (filter.all) return {};
  return { $or: [{ id: { $in: [] } }, ...filter.scopes.map(scopeWhere)] };
}

function scopeWhere(scope: Scope): FilterQuery<NodeEntity> {
  if ('node_ids' in scope) return { id: { $in: scope.node_ids } };
  // Tag and cluster scopes are refused until nodes carry tags and clusters (common/auth/domain/scope.ts).
  return { id: { $in: [] } };
}
