import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { SyncStore } from './sync.store';

/** How far behind each node is: the peer changes (removals included) not on it yet, for another module's checks. */
@Injectable()
export class PendingChanges {
  constructor(private readonly store: SyncStore) {}

  /** The number of changes not applied yet per node id; a node with none is left out. */
  async countByNode(em: EntityManager, nodeIds: readonly string[]): Promise<Map<string, number>> {
    const pending = await this.store.pendingPeersOf(em, nodeIds);
    return new Map([...pending].map(([nodeId, peers]) => [nodeId, peers.length]));
  }
}
