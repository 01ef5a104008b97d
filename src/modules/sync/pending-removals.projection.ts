import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  CLUSTER_MEMBER_ADDED,
  CLUSTER_MEMBER_REMOVED,
  ClusterReader,
  type ClusterMemberAdded,
  type ClusterMemberRemoved,
} from '../clusters';
import type { Projection, RecordedEvent } from '../events';
import { NODE_DELETED, type NodeDeleted } from '../nodes';
import { DesiredStateReader, PEER_DELETED, PEER_UPDATED, type PeerDeleted, type PeerUpdated } from '../peers';
import { NodeSyncStateEntity, PeerSyncStateEntity, PendingRemovalEntity } from './sync-state.entity';

/**
 * Records keys that must leave a node in the transaction of the command that retires them, independent of
 * whether the after-commit notification ever fires. A cluster peer's keys leave every member, and a member
 * leaving its cluster drops every cluster peer. A rebuild re-creates one per retired key; the next sync run
 * finds them absent and clears them.
 */
type RetiringEvent = PeerDeleted | PeerUpdated | NodeDeleted | ClusterMemberAdded | ClusterMemberRemoved;

@Injectable()
export class PendingRemovalsProjection implements Projection<RetiringEvent> {
  readonly name = 'pending_removals';
  readonly tables = ['pending_removals'];
  readonly canHandle = [
    PEER_DELETED,
    PEER_UPDATED,
    NODE_DELETED,
    CLUSTER_MEMBER_ADDED,
    CLUSTER_MEMBER_REMOVED,
  ] as const;

  constructor(
    private readonly desiredState: DesiredStateReader,
    private readonly clusters: ClusterReader,
  ) {}

  async handle(em: EntityManager, events: RecordedEvent<RetiringEvent>[]): Promise<void> {
    for (const event of events) await this.apply(em, event);
  }

  private async apply(em: EntityManager, event: RecordedEvent<RetiringEvent>): Promise<void> {
    switch (event.type) {
      case PEER_DELETED: {
        const { node_id, public_key, name } = event.payload;
        for (const nodeId of await this.carriers(em, node_id))
          await this.retire(em, event.aggregateId, event.createdAt, nodeId, [
            { publicKey: public_key, name },
          ]);
        await em.nativeDelete(PeerSyncStateEntity, { peerId: event.aggregateId });
        return;
      }
      case PEER_UPDATED: {
        const { node_id, changes } = event.payload;
        if (changes.public_key === undefined) return;
        // Every earlier key of the peer; one already gone from the node is simply found absent.
        const earlier = await this.desiredState.earlierKeysOfPeer(
          em,
          node_id,
          event.aggregateId,
          changes.public_key,
        );
        for (const nodeId of await this.carriers(em, node_id))
          await this.retire(em, event.aggregateId, event.createdAt, nodeId, earlier);
        return;
      }
      case CLUSTER_MEMBER_REMOVED: {
        const nodeId = event.payload.node_id;
        for (const key of await this.desiredState.keysOfCluster(em, event.aggregateId)) {
          await this.retire(em, key.peerId, event.createdAt, nodeId, [key]);
          await em.nativeDelete(PeerSyncStateEntity, { peerId: key.peerId, nodeId });
        }
        return;
      }
      case CLUSTER_MEMBER_ADDED: {
        // Back in the cluster before its removals ran: the cluster's peers stay on it after all.
        const keys = await this.desiredState.keysOfCluster(em, event.aggregateId);
        if (keys.length > 0) {
          await em.nativeDelete(PendingRemovalEntity, {
            nodeId: event.payload.node_id,
            publicKey: { $in: keys.map((key) => key.publicKey) },
          });
        }
        return;
      }
      case NODE_DELETED:
        await em.nativeDelete(PendingRemovalEntity, { nodeId: event.aggregateId });
        await em.nativeDelete(PeerSyncStateEntity, { nodeId: event.aggregateId });
        await em.nativeDelete(NodeSyncStateEntity, { nodeId: event.aggregateId });
        return;
    }
  }

  /** The nodes carrying the peers of `nodeId`: the node itself, or every member when it is a cluster's id. */
  private async carriers(em: EntityManager, nodeId: string): Promise<string[]> {
    return (await this.clusters.find(em, nodeId)) ? this.clusters.nodeIdsOf(em, nodeId) : [nodeId];
  }

  private async retire(
    em: EntityManager,
    peerId: string,
    at: Date,
    nodeId: string,
    keys: readonly { publicKey: string; name: string }[],
  ) {
    for (const key of keys) {
      await em.upsert(
        PendingRemovalEntity,
        {
          nodeId,
          publicKey: key.publicKey,
          peerId,
          name: key.name,
          error: null,
          createdAt: at,
        },
        { onConflictFields: ['nodeId', 'publicKey'], onConflictAction: 'merge', disableIdentityMap: true },
      );
    }
  }
}
