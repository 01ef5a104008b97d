import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { EventRecord, type Projection } from '../events';
import { NODE_DELETED } from '../nodes';
import {
  DesiredStateReader,
  PEER_DELETED,
  PEER_UPDATED,
  type PeerDeletedPayload,
  type PeerUpdatedPayload,
} from '../peers';
import { NodeSyncStateEntity, PeerSyncStateEntity, PendingRemovalEntity } from './sync-state.entity';

/**
 * Records keys that must leave a node in the transaction of the command that retires them, independent of
 * whether the after-commit notification ever fires. A rebuild re-creates one per retired key; the next sync
 * run finds them absent and clears them.
 */
@Injectable()
export class PendingRemovalsProjection implements Projection {
  readonly name = 'pending_removals';
  readonly tables = ['pending_removals'];

  constructor(private readonly desiredState: DesiredStateReader) {}

  handles(event: EventRecord): boolean {
    return (
      (event.aggregateType === 'peer' && (event.type === PEER_DELETED || event.type === PEER_UPDATED)) ||
      (event.aggregateType === 'node' && event.type === NODE_DELETED)
    );
  }

  async apply(em: EntityManager, event: EventRecord): Promise<void> {
    switch (event.type) {
      case PEER_DELETED: {
        const { node_id, public_key, name } = event.payload as unknown as PeerDeletedPayload;
        await this.retire(em, event, node_id, [{ publicKey: public_key, name }]);
        await em.nativeDelete(PeerSyncStateEntity, { peerId: event.aggregateId });
        return;
      }
      case PEER_UPDATED: {
        const { node_id, changes } = event.payload as unknown as PeerUpdatedPayload;
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
    event: EventRecord,
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
