import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { filterAllows, type NodeFilter, type ScopeTarget } from '../../common/auth/domain/scope-policy';
import type { Scope } from '../../common/auth/principal';
import { askTopic, Reactions } from '../../common/reactions';
import { NodeEntity } from './node.entity';

/** The cluster each of these nodes is a member of (nodes in none left out). The clusters module answers. */
export const NODE_CLUSTERS = askTopic<[em: EntityManager, nodeIds: readonly string[]], Map<string, string>>(
  'nodes.clusters-of',
  async () => new Map(),
);

/** The member nodes of a cluster. The clusters module answers. */
export const CLUSTER_MEMBERS = askTopic<[em: EntityManager, clusterId: string], string[]>(
  'nodes.cluster-members',
  async () => [],
);

/** What scopes are checked against for this node (docs/SECURITY.md "Roles and scopes"). */
export function nodeScopeTarget(
  node: Pick<NodeEntity, 'id' | 'tags'>,
  clusterId: string | null,
): ScopeTarget {
  return { id: node.id, tags: node.tags, cluster_id: clusterId };
}

/** Nodes as scopes see them: with their tags and their cluster, which the clusters module knows. */
@Injectable()
export class NodeScopes {
  constructor(private readonly reactions: Reactions) {}

  async target(em: EntityManager, node: NodeEntity): Promise<ScopeTarget> {
    const clusters = await this.reactions.ask(NODE_CLUSTERS, em, [node.id]);
    return nodeScopeTarget(node, clusters.get(node.id) ?? null);
  }

  /** Those of `nodes` the filter lets through, in their order. */
  async among<Node extends NodeEntity>(
    em: EntityManager,
    nodes: readonly Node[],
    filter: NodeFilter,
  ): Promise<Node[]> {
    if (filter.all) return [...nodes];
    const clusters = await this.reactions.ask(
      NODE_CLUSTERS,
      em,
      nodes.map((node) => node.id),
    );
    return nodes.filter((node) => filterAllows(filter, nodeScopeTarget(node, clusters.get(node.id) ?? null)));
  }

  /** The filter with each cluster scope replaced by its members, for statements on `nodes` alone. */
  async withoutClusters(em: EntityManager, filter: NodeFilter): Promise<NodeFilter> {
    if (filter.all) return filter;
    const scopes: Scope[] = [];
    for (const scope of filter.scopes) {
      scopes.push(
        'cluster_id' in scope
          ? { node_ids: await this.reactions.ask(CLUSTER_MEMBERS, em, scope.cluster_id) }
          : scope,
      );
    }
    return { all: false, scopes };
  }
}
