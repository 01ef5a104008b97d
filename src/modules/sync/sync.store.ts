import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { boundQuery } from '../../database/bound-query';
import type { PendingPeer } from '../drift/domain/drift-report';
import { PUBLISHED_CLUSTER_MEMBERS } from '../clusters';
import { PUBLISHED_NODES } from '../nodes';
import { PUBLISHED_PEERS } from '../peers';
import type { PeerSyncOutcome } from './sync-state.entity';

/** The version of a peer last carried to its node, and whether the agent took it. */
export interface PeerSyncState {
  appliedVersion: number;
  status: PeerSyncOutcome;
  error: string | null;
}

/** What a sync run carried to the node for one peer: the version, and the agent's refusal if it refused. */
export interface PeerSyncResult {
  peer_id: string;
  applied_version: number;
  status: PeerSyncOutcome;
  error: string | null;
}

/**
 * The sync module's plain statements. Sync state is about other modules' rows (a peer's or node's version
 * against the version applied), so these statements join the views the peers and nodes modules publish. A node
 * carries its own peers and its cluster's (`published_peers.node_id` is the cluster's id for those), each with
 * its own sync state on each member.
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
         array(select p.id from ${PUBLISHED_PEERS} p
                 left join peer_sync_state s on s.peer_id = p.id and s.node_id = ?
                where p.node_id = any(array[?::uuid,
                        (select m.cluster_id from ${PUBLISHED_CLUSTER_MEMBERS} m where m.node_id = ?)])
                  and p.version > coalesce(s.applied_version, 0)) as peer_ids`,
      [nodeId, nodeId, nodeId, nodeId],
    );
    return { nodeAppliedVersion: row.node_applied_version, peerIds: row.peer_ids };
  }

  /**
   * The sync state of these peers (those that have one), as plain values: a page may hold thousands. A cluster
   * peer's is its least advanced member's, failed if any member refused it.
   */
  async peerSyncStates(em: EntityManager, peerIds: readonly string[]): Promise<Map<string, PeerSyncState>> {
    const rows = await boundQuery<{
      peer_id: string;
      applied_version: number;
      status: PeerSyncOutcome;
      error: string | null;
    }>(
      em,
      `select peer_id, min(applied_version) as applied_version,
         case when bool_or(status = 'failed') then 'failed' else 'applied' end as status,
         min(error) as error
       from peer_sync_state where peer_id = any(?::uuid[]) group by peer_id`,
      [peerIds],
    );
    return new Map(
      rows.map((row) => [
        row.peer_id,
        { appliedVersion: row.applied_version, status: row.status, error: row.error },
      ]),
    );
  }

  /** One statement for a run's every peer: a whole-node run records every peer of the node. */
  async recordPeerResults(
    em: EntityManager,
    nodeId: string,
    results: readonly PeerSyncResult[],
    at: Date,
  ): Promise<void> {
    if (results.length === 0) return;
    await boundQuery(
      em,
      `insert into peer_sync_state (peer_id, node_id, applied_version, status, error, updated_at)
       select r.peer_id, ?, r.applied_version, r.status, r.error, ?::timestamptz
       from jsonb_to_recordset(?::jsonb) as r(peer_id uuid, applied_version int, status text, error text)
       on conflict (peer_id, node_id) do update set applied_version = excluded.applied_version,
         status = excluded.status, error = excluded.error, updated_at = excluded.updated_at`,
      [nodeId, at.toISOString(), JSON.stringify(results)],
    );
  }

  /** Peers whose latest change is not on their node yet, removals included, per node id. */
  async pendingPeersOf(em: EntityManager, nodeIds: readonly string[]): Promise<Map<string, PendingPeer[]>> {
    const pending = new Map<string, PendingPeer[]>();
    if (nodeIds.length === 0) return pending;
    const rows = await boundQuery<{ node_id: string; peer_id: string; name: string; public_key: string }>(
      em,
      `select n.id as node_id, p.id as peer_id, p.name, p.public_key
         from unnest(?::uuid[]) as n(id)
         left join ${PUBLISHED_CLUSTER_MEMBERS} m on m.node_id = n.id
         join ${PUBLISHED_PEERS} p on p.node_id = any(array[n.id, m.cluster_id])
         left join peer_sync_state s on s.peer_id = p.id and s.node_id = n.id
        where p.version > coalesce(s.applied_version, 0)
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
      `select n.id as node_id from ${PUBLISHED_NODES} n
         left join ${PUBLISHED_CLUSTER_MEMBERS} m on m.node_id = n.id
         join ${PUBLISHED_PEERS} p on p.node_id = any(array[n.id, m.cluster_id])
         left join peer_sync_state s on s.peer_id = p.id and s.node_id = n.id
        where n.enabled and p.version > coalesce(s.applied_version, 0)
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
}
