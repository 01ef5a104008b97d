import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { DesiredNode } from '../../common/domain/desired-state';
import type { NodeFilter } from '../../common/auth/domain/scope-policy';
import { parseTagSelector, type TagSelector } from '../../common/domain/node-tags';
import type { Cursor } from '../../common/http/cursor';
import { boundQuery } from '../../database/bound-query';
import { NodeEntity } from './node.entity';

/**
 * The `nodes` columns that make a DesiredNode, under its own (snake_case) names, for statements that read
 * a node as plain data rather than as an entity. A record of every DesiredNode key, so the compiler
 * notices a field added to DesiredNode and not read here.
 */
const DESIRED_NODE_FIELDS: Record<keyof DesiredNode, true> = {
  id: true,
  name: true,
  interface: true,
  endpoint: true,
  address_pool: true,
  address_pool_v6: true,
  listen_port: true,
  public_key: true,
  enabled: true,
  override_listen_port: true,
  override_dns: true,
  override_mtu: true,
  override_keepalive: true,
  override_endpoint_allowed_ip: true,
  template_settings: true,
};
const DESIRED_NODE_COLUMNS = Object.keys(DESIRED_NODE_FIELDS).join(', ');

/** The nodes module's statements on its table, and the reads other modules make of it. */
@Injectable()
export class NodesStore {
  /**
   * The desired fields of the nodes that exist among `nodeIds`, each with its transaction-scoped advisory lock
   * (`lockKeyOf` its id) taken first, in one round trip. Locks are taken in the order of their keys, so two
   * transactions locking overlapping sets of nodes wait for each other instead of deadlocking.
   */
  async desiredNodesLocked(
    em: EntityManager,
    nodeIds: readonly string[],
    lockKeyOf: (nodeId: string) => string,
  ): Promise<DesiredNode[]> {
    const locks = nodeIds.map((id) => ({ id, key: lockKeyOf(id) })).sort((a, b) => compare(a.key, b.key));
    return boundQuery<DesiredNode>(
      em,
      `with locked as materialized (
         select w.id, pg_advisory_xact_lock(hashtextextended(w.lock_key, 0))
           from unnest(?::text[], ?::uuid[]) as w(lock_key, id))
       select ${DESIRED_NODE_COLUMNS} from locked join nodes n using (id)`,
      [locks.map((lock) => lock.key), locks.map((lock) => lock.id)],
    );
  }

  /**
   * A page of nodes in (created_at, id) order after `after`, of those carrying every tag of `tags` that
   * `visible` lets through.
   */
  async page(
    em: EntityManager,
    {
      after,
      tags,
      visible,
      limit,
    }: { after: Cursor | undefined; tags: readonly TagSelector[]; visible: NodeFilter; limit: number },
  ): Promise<NodeEntity[]> {
    const wanted = tagMap(tags);
    if (!wanted) return [];
    const scope = scopeCondition(visible);
    const rows = await boundQuery<{ id: string }>(
      em,
      `select id from nodes where tags @> ?::jsonb and ${scope.sql}
        ${after ? 'and (created_at, id) > (?, ?)' : ''} order by created_at, id limit ?`,
      [JSON.stringify(wanted), ...scope.params, ...(after ? [after.createdAt, after.id] : []), limit],
    );
    const nodes = await this.byIds(
      em,
      rows.map((row) => row.id),
    );
    const byId = new Map(nodes.map((node) => [node.id, node]));
    return rows.flatMap((row) => byId.get(row.id) ?? []);
  }

  /** Ids of the nodes carrying every tag of `tags` (every node for none): how other modules select by tag. */
  async listIdsByTag(em: EntityManager, tags: readonly TagSelector[]): Promise<string[]> {
    const wanted = tagMap(tags);
    if (!wanted) return [];
    const rows = await boundQuery<{ id: string }>(
      em,
      `select id from nodes where tags @> ?::jsonb order by id`,
      [JSON.stringify(wanted)],
    );
    return rows.map((row) => row.id);
  }

  find(em: EntityManager, id: string): Promise<NodeEntity | null> {
    return em.findOne(NodeEntity, { id });
  }

  findEnabled(em: EntityManager, id: string): Promise<NodeEntity | null> {
    return em.findOne(NodeEntity, { id, enabled: true });
  }

  /** Every enabled node, by name. */
  enabled(em: EntityManager): Promise<NodeEntity[]> {
    return em.find(NodeEntity, { enabled: true }, { orderBy: { name: 'asc' } });
  }

  async enabledIds(em: EntityManager): Promise<string[]> {
    const nodes = await em.find(NodeEntity, { enabled: true }, { fields: ['id'] });
    return nodes.map((node) => node.id);
  }

  /** The nodes of these ids that exist. */
  byIds(em: EntityManager, ids: readonly string[]): Promise<NodeEntity[]> {
    return em.find(NodeEntity, { id: { $in: [...ids] } });
  }

  async nameOf(em: EntityManager, id: string): Promise<string | null> {
    const node = await em.findOne(NodeEntity, { id }, { fields: ['name'] });
    return node?.name ?? null;
  }

  /** How many nodes follow the template (templates refuse a delete while any does). */
  followersOf(em: EntityManager, templateId: string): Promise<number> {
    return em.count(NodeEntity, { templateId });
  }

  async nameTaken(em: EntityManager, name: string): Promise<boolean> {
    return (await em.findOne(NodeEntity, { name }, { fields: ['id'] })) !== null;
  }
}

/** Selectors as the map `@>` tests; null when two name one key with different values (no node matches). */
function tagMap(tags: readonly TagSelector[]): Record<string, string> | null {
  const map: Record<string, string> = {};
  for (const { key, value } of tags) {
    if (Object.hasOwn(map, key) && map[key] !== value) return null;
    map[key] = value;
  }
  return map;
}

/**
 * The nodes a filter lets through as a condition on `nodes`: any of its scopes' (none: no node). Cluster
 * scopes come replaced by their members (NodeScopes.withoutClusters): membership is the clusters module's.
 */
function scopeCondition(filter: NodeFilter): { sql: string; params: unknown[] } {
  if (filter.all) return { sql: 'true', params: [] };
  const parts = filter.scopes.map((scope): { sql: string; params: unknown[] } => {
    if ('node_ids' in scope) return { sql: 'id = any(?::uuid[])', params: [scope.node_ids] };
    if ('tag' in scope)
      return { sql: 'tags @> ?::jsonb', params: [JSON.stringify(tagMap([parseTagSelector(scope.tag)]))] };
    if ('cluster_id' in scope) return { sql: 'false', params: [] };
    return { sql: 'true', params: [] };
  });
  if (parts.length === 0) return { sql: 'false', params: [] };
  return {
    sql: `(${parts.map((part) => part.sql).join(' or ')})`,
    params: parts.flatMap((part) => part.params),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
