import type { SyncStatus } from '../../peers/domain/sync-status';
import type { DesiredPeer } from '../../../common/domain/desired-state';
import { nodeAllowedIps } from '../../../common/domain/peer-routes';
import type { Divergence } from '../../drift/domain/drift-report';
import { ReconcileOptions, reconcileOptions } from '../../node-apply/domain/reconcile-plan';

/** Sync applies the panel's own changes; it never touches peers the panel did not manage. */
export const SYNC_OPTIONS: ReconcileOptions = reconcileOptions({
  reconcile_missing: true,
  reconcile_mismatched: true,
  remove_orphaned: true,
  remove_unknown: false,
  mode: 'batch',
  // Deleting a node's last peer is an ordinary change, not a reconcile accident.
  allow_empty: true,
});

/** What a sync run is about: the changed peers, the keys to remove, or the whole node after a node change. */
export interface SyncScope {
  wholeNode: boolean;
  peerIds: ReadonlySet<string>;
  removalKeys: ReadonlySet<string>;
}

export function isEmptyScope(scope: SyncScope): boolean {
  return !scope.wholeNode && scope.peerIds.size === 0 && scope.removalKeys.size === 0;
}

/**
 * A scan's divergence cut down to the scope, so a sync plan touches only what changed (level-based: a change
 * that is already on the node plans nothing). Unknown peers are never in scope.
 */
export function scopeDivergence(divergence: Divergence, scope: SyncScope): Divergence {
  const inScope = (peerId: string) => scope.wholeNode || scope.peerIds.has(peerId);
  return {
    missing_peers: divergence.missing_peers.filter((peer) => inScope(peer.peer_id)),
    mismatched_peers: divergence.mismatched_peers.filter((peer) => inScope(peer.peer_id)),
    orphaned_peers: divergence.orphaned_peers.filter(
      (peer) => inScope(peer.peer_id) || scope.removalKeys.has(peer.public_key),
    ),
    unknown_peers: [],
    interface_mismatches: scope.wholeNode ? divergence.interface_mismatches : [],
  };
}

/**
 * The divergence a sync of changed peers acts on without asking the node first: every changed enabled peer as
 * missing (an upsert sets its whole desired state, present or not) and every changed disabled peer and retired
 * key as orphaned (removing an absent key is a no-op). One agent call instead of a dump and a call.
 */
export function blindSyncDivergence(
  changedPeers: readonly DesiredPeer[],
  retired: readonly { public_key: string; peer_id: string; name: string }[],
): Divergence {
  const enabled = changedPeers.filter((peer) => peer.enabled);
  const enabledKeys = new Set(enabled.map((peer) => peer.public_key));
  const removals = [
    ...changedPeers
      .filter((peer) => !peer.enabled)
      .map((peer) => ({ public_key: peer.public_key, peer_id: peer.id, name: peer.name })),
    // A retired key now used by an enabled peer again (deleted and re-created) must stay.
    ...retired.filter((removal) => !enabledKeys.has(removal.public_key)),
  ];
  return {
    missing_peers: enabled.map((peer) => ({
      peer_id: peer.id,
      name: peer.name,
      public_key: peer.public_key,
      allowed_ips: nodeAllowedIps(peer),
    })),
    mismatched_peers: [],
    orphaned_peers: removals.map((removal) => ({ ...removal, allowed_ips: [] })),
    unknown_peers: [],
    interface_mismatches: [],
  };
}

export interface DebounceState {
  /** First change not yet picked up by a run (ms since epoch). */
  firstChangeAt: number | null;
  lastChangeAt: number | null;
}

/**
 * When a sync run should start: once changes have been quiet for `debounceMs`, but never later than
 * `maxWaitMs` after the first of them; null = now.
 */
export function syncWakeTime(
  state: DebounceState,
  now: number,
  debounceMs: number,
  maxWaitMs: number,
): number | null {
  if (state.lastChangeAt === null) return null;
  const quietAt = state.lastChangeAt + debounceMs;
  const deadline = (state.firstChangeAt ?? state.lastChangeAt) + maxWaitMs;
  const wakeAt = Math.min(quietAt, deadline);
  return wakeAt > now ? wakeAt : null;
}

/** A peer's sync status from its projection version and the sync state row (none = never applied). */
export function peerSyncStatus(
  version: number,
  state: { appliedVersion: number; status: 'applied' | 'failed'; error: string | null } | undefined,
): { sync_status: SyncStatus; sync_error?: string } {
  if (!state || version > state.appliedVersion) return { sync_status: 'pending' };
  if (state.status === 'failed')
    return { sync_status: 'failed', sync_error: state.error ?? 'the agent refused it' };
  return { sync_status: 'applied' };
}
