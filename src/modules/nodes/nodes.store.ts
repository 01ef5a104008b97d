import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { DesiredNode } from '../../common/domain/desired-state';
import { boundQuery } from '../../database/bound-query';

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
};
const DESIRED_NODE_COLUMNS = Object.keys(DESIRED_NODE_FIELDS).join(', ');

/** The nodes module's statements on its table. */
@Injectable()
export class NodesStore {
  /**
   * The node's desired fields, with the transaction-scoped advisory lock `lockKey` taken in the same round
   * trip; null when there is no such node. The row may predate the lock (it is read in the same statement).
   */
  async desiredNodeLocked(em: EntityManager, nodeId: string, lockKey: string): Promise<DesiredNode | null> {
    const [node] = await boundQuery<DesiredNode>(
      em,
      `select ${DESIRED_NODE_COLUMNS}
         from nodes n, lateral (select pg_advisory_xact_lock(hashtextextended(?, 0))) as locked
        where n.id = ?`,
      [lockKey, nodeId],
    );
    return node ?? null;
  }
}
