import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ViewExtension } from '../../common/http/view-extensions';
import type { PendingPeer } from '../drift/domain/drift-report';
import type { PendingPeersSource } from '../drift';
import { NodeEntity, type NodeViewExtras } from '../nodes';
import { PeerEntity, type PeerViewExtras } from '../peers';
import { peerSyncStatus } from './domain/sync-scope';
import { PeerSyncState, SyncStore } from './sync.store';

/** `sync_status` (and `sync_error` when failed) on every peer view. */
@Injectable()
export class PeerSyncStatusView implements ViewExtension<
  PeerEntity,
  PeerSyncState,
  Pick<PeerViewExtras, 'sync_status' | 'sync_error'>
> {
  constructor(
    private readonly em: EntityManager,
    private readonly store: SyncStore,
  ) {}

  load(rows: readonly PeerEntity[]): Promise<ReadonlyMap<string, PeerSyncState>> {
    return this.store.peerSyncStates(
      this.em.fork(),
      rows.map((row) => row.id),
    );
  }

  fields(
    row: PeerEntity,
    state: PeerSyncState | undefined,
  ): Pick<PeerViewExtras, 'sync_status' | 'sync_error'> {
    return peerSyncStatus(row.version, state);
  }
}

/** `pending` on every node view: peers whose latest change is not on the node yet, removals included. */
@Injectable()
export class NodePendingView implements ViewExtension<
  NodeEntity,
  PendingPeer[],
  Pick<NodeViewExtras, 'pending'>
> {
  constructor(
    private readonly em: EntityManager,
    private readonly store: SyncStore,
  ) {}

  load(rows: readonly NodeEntity[]): Promise<ReadonlyMap<string, PendingPeer[]>> {
    return this.store.pendingPeersOf(
      this.em.fork(),
      rows.map((row) => row.id),
    );
  }

  fields(_row: NodeEntity, pending: PendingPeer[] | undefined): Pick<NodeViewExtras, 'pending'> {
    return { pending: pending?.length ?? 0 };
  }
}

/** Drift lists these as `pending_peers` instead of drift. */
@Injectable()
export class SyncPendingPeersSource implements PendingPeersSource {
  constructor(private readonly store: SyncStore) {}

  pendingFor(em: EntityManager, nodeIds: readonly string[]): Promise<Map<string, PendingPeer[]>> {
    return this.store.pendingPeersOf(em, nodeIds);
  }
}
