import { EntityManager } from '@mikro-orm/postgresql';
import { askTopic } from '../../common/reactions';
import type { PendingPeer } from './domain/drift-report';

/**
 * Tells drift which peers have a change the panel has not applied to their node yet (its own backlog, not
 * drift). The sync module owns that state and answers it.
 */
export interface PendingPeersSource {
  /** Pending peers per node id, read in one go for all the given nodes; a node with none may be absent. */
  pendingFor(em: EntityManager, nodeIds: readonly string[]): Promise<Map<string, PendingPeer[]>>;
}

/** Until a module answers, nothing is pending. */
export const PENDING_PEERS = askTopic<
  [em: EntityManager, nodeIds: readonly string[]],
  Map<string, PendingPeer[]>
>('drift.pending-peers', async () => new Map());
