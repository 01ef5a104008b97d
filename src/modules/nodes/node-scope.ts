import type { ScopeTarget } from '../../common/auth/domain/scope-policy';
import { NodeEntity } from './node.entity';

/** What scopes are checked against for this node (docs/SECURITY.md "Roles and scopes"). */
export function nodeScopeTarget(node: Pick<NodeEntity, 'id' | 'tags'>): ScopeTarget {
  return { id: node.id, tags: node.tags, cluster_id: null };
}
