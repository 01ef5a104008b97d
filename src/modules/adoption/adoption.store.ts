import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { boundQuery } from '../../database/bound-query';

/** What adoption must not collide with on a node: its peers' keys, keys it managed before, held addresses. */
export interface NodeHoldings {
  /** Public key → name of the node's current peers. */
  currentPeers: Map<string, string>;
  /** Public key → name of peers deleted from the node (their keys are still the panel's history). */
  formerPeers: Map<string, string>;
  /** Address → name of the peer holding it. */
  allocated: Map<string, string>;
}

type Pairs = [string, string][];

@Injectable()
export class AdoptionStore {
  async holdings(em: EntityManager, nodeId: string): Promise<NodeHoldings> {
    const [row] = await boundQuery<{ current: Pairs; former: Pairs; allocated: Pairs }>(
      em,
      `select
         coalesce((select json_agg(json_build_array(p.public_key, p.name)) from peers p
                    where p.node_id = ?), '[]') as current,
         coalesce((select json_agg(json_build_array(k.public_key, k.name)) from node_managed_keys k
                    where k.node_id = ?
                      and not exists (select 1 from peers p
                                       where p.node_id = k.node_id and p.public_key = k.public_key)), '[]') as former,
         coalesce((select json_agg(json_build_array(a.address, p.name)) from ip_allocations a
                    join peers p on p.id = a.peer_id where a.node_id = ?), '[]') as allocated`,
      [nodeId, nodeId, nodeId],
    );
    return {
      currentPeers: new Map(row.current),
      formerPeers: new Map(row.former),
      allocated: new Map(row.allocated),
    };
  }

  /**
   * Records adopted peers as applied at the version they were created with: the node already has them exactly
   * so, and a sync run would only write the same values back.
   */
  async markApplied(
    em: EntityManager,
    nodeId: string,
    peers: { id: string; version: number }[],
  ): Promise<void> {
    if (peers.length === 0) return;
    await boundQuery(
      em,
      `insert into peer_sync_state (peer_id, node_id, applied_version, status, error, updated_at)
       select s.peer_id, ?, s.version, 'applied', null, now()
       from jsonb_to_recordset(?::jsonb) as s(peer_id uuid, version int)`,
      [nodeId, JSON.stringify(peers.map((peer) => ({ peer_id: peer.id, version: peer.version })))],
    );
  }
}
