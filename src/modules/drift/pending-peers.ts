import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { PendingPeer } from './domain/drift-report';

/**
 * Tells drift which peers have a change the panel has not applied to their node yet (its own backlog, not
 * drift). The sync module owns that state and plugs its source in with `PendingPeers.use(...)`.
 */
export interface PendingPeersSource {
  /** Pending peers per node id, read in one go for all the given nodes; a node with none may be absent. */
  pendingFor(em: EntityManager, nodeIds: readonly string[]): Promise<Map<string, PendingPeer[]>>;
}

/** Until a real source is plugged in, nothing is pending. */
export const NO_PENDING_PEERS: PendingPeersSource = {
  pendingFor: async () => new Map(),
};

/** The source drift reads pending peers from; another module replaces the default at start-up. */
@Injectable()
export class PendingPeers implements PendingPeersSource {
  private source: PendingPeersSource = NO_PENDING_PEERS;

  use(source: PendingPeersSource): void {
    this.source = source;
  }

  pendingFor(em: EntityManager, nodeIds: readonly string[]): Promise<Map<string, PendingPeer[]>> {
    return this.source.pendingFor(em, nodeIds);
  }
}
