import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { SyncStore } from './sync.store';

/** The one way another module writes sync state: peers it knows the node already has, at their versions. */
@Injectable()
export class AppliedVersions {
  constructor(private readonly store: SyncStore) {}

  /** In the caller's transaction, so the peers are never pending in between. */
  markApplied(
    em: EntityManager,
    nodeId: string,
    peers: readonly { id: string; version: number }[],
  ): Promise<void> {
    const results = peers.map((peer) => ({
      peer_id: peer.id,
      applied_version: peer.version,
      status: 'applied' as const,
      error: null,
    }));
    return this.store.recordPeerResults(em, nodeId, results, new Date());
  }
}
