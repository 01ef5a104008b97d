import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Projection, RecordedEvent } from '../events';
import { NODE_DELETED, type NodeDeleted } from '../nodes';
import { DesiredStateReader, PEER_DELETED, PEER_UPDATED, type PeerDeleted, type PeerUpdated } from '../peers';
import { NodeSyncStateEntity, PeerSyncStateEntity, PendingRemovalEntity } from './sync-state.entity';

/**
 * Records keys that must leave a node in the transaction of the command that retires them, independent of
 * whether the after-commit notification ever fires. A rebuild re-creates one per retired key; the next sync
 * run finds them absent and clears them.
 */
type RetiringEvent = PeerDeleted | PeerUpdated | NodeDeleted;

@Injectable()
export class PendingRemovalsProjection implements Projection<RetiringEvent> {
  readonly name = 'pending_removals';
  readonly tables = ['pending_removals'];
  readonly canHandle = [PEER_DELETED, PEER_UPDATED, NODE_DELETED] as const;

  constructor(private readonly desiredState: DesiredStateReader) {}

  async handle(em: EntityManager, events: RecordedEvent<RetiringEvent>[]): Promise<void> {
    for (const event of events) await this.apply(em, event);
  }

  private async apply(em: EntityManager, event: RecordedEvent<RetiringEvent>): Promise<void> {
    switch (event.type) {
      case PEER_DELETED: {
        const { node_id, public_key, name } = event.payload;
        await this.retire(em, event, node_id, [{ publicKey: public_key, name }]);
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
        await this.retire(em, event, node_id, earlier);
        return;
      }
      case NODE_DELETED:
        await em.nativeDelete(PendingRemovalEntity, { nodeId: event.aggregateId });
        await em.nativeDelete(PeerSyncStateEntity, { nodeId: event.aggregateId });
        await em.nativeDelete(NodeSyncStateEntity, { nodeId: event.aggregateId });
        return;
    }
  }

  private async retire(
    em: EntityManager,
    event: RecordedEvent<RetiringEvent>,
    nodeId: string,
    keys: { publicKey: string; name: string }[],
  ) {
    for (const key of keys) {
      await em.upsert(
        PendingRemovalEntity,
        {
          nodeId,
          publicKey: key.publicKey,
          peerId: event.aggregateId,
          name: key.name,
          error: null,
          createdAt: event.createdAt,
        },
        { onConflictFields: ['nodeId', 'publicKey'], onConflictAction: 'merge', disableIdentityMap: true },
      );
    }
  }
}
