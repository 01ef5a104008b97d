import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { boundQuery } from '../../database/bound-query';
import type { PendingPeer } from '../drift/domain/drift-report';
import { PUBLISHED_NODES } from '../nodes';
import { PUBLISHED_PEERS } from '../peers';

/**
 * The sync module's plain statements. Sync state is about other modules' rows (a peer's or node's version
 * against the version applied), so these statements join the views the peers and nodes modules publish.
 */
@Injectable()
export class SyncStore {
  /** The node's applied version, and its peers changed since their last sync (or never synced). */
  async pendingChanges(
    em: EntityManager,
    nodeId: string,
  ): Promise<{ nodeAppliedVersion: number; peerIds: string[] }> {
    const [row] = await boundQuery<{ node_applied_version: number; peer_ids: string[] }>(
      em,
      `select
         coalesce((select applied_version from node_sync_state where node_id = ?), 0) as node_applied_version,
         array(select p.id from ${PUBLISHED_PEERS} p left join peer_sync_state s on s.peer_id = p.id
                where p.node_id = ? and p.version > coalesce(s.applied_version, 0)) as peer_ids`,
      [nodeId, nodeId],
    );
    return { nodeAppliedVersion: row.node_applied_version, peerIds: row.peer_ids };
  }

  /** Peers whose latest change is not on their node yet, removals included, per node id. */
  async pendingPeersOf(em: EntityManager, nodeIds: readonly string[]): Promise<Map<string, PendingPeer[]>> {
    const pending = new Map<string, PendingPeer[]>();
    if (nodeIds.length === 0) return pending;
    const rows = await boundQuery<{ node_id: string; peer_id: string; name: string; public_key: string }>(
      em,
      `select p.node_id, p.id as peer_id, p.name, p.public_key from ${PUBLISHED_PEERS} p
         left join peer_sync_state s on s.peer_id = p.id
        where p.node_id = any(?::uuid[]) and p.version > coalesce(s.applied_version, 0)
       union all
       select r.node_id, r.peer_id, r.name, r.public_key from pending_removals r where r.node_id = any(?::uuid[])`,
      [nodeIds, nodeIds],
    );
    for (const { node_id, ...peer } of rows) {
      const list = pending.get(node_id) ?? [];
      list.push(peer);
      pending.set(node_id, list);
    }
    return pending;
  }

  /** Enabled nodes with a change not applied yet: a peer, a removal that has not failed, or the node itself. */
  async nodesWithPendingWork(em: EntityManager): Promise<string[]> {
    const rows = await boundQuery<{ node_id: string }>(
      em,
      `select p.node_id from ${PUBLISHED_PEERS} p
         join ${PUBLISHED_NODES} n on n.id = p.node_id and n.enabled
         left join peer_sync_state s on s.peer_id = p.id
        where p.version > coalesce(s.applied_version, 0)
       union
       select r.node_id from pending_removals r
         join ${PUBLISHED_NODES} n on n.id = r.node_id and n.enabled
        where r.error is null
       union
       select n.id from ${PUBLISHED_NODES} n left join node_sync_state s on s.node_id = n.id
        where n.enabled and n.version > coalesce(s.applied_version, 0)`,
    );
    return rows.map((row) => row.node_id);
  }

  /**
   * Records peers as applied at the given versions: for peers the node already has exactly so (adopted ones),
   * where a sync run would only write the same values back.
   */
  async markApplied(
    em: EntityManager,
    nodeId: string,
    peers: readonly { id: string; version: number }[],
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
