import { Module, OnModuleInit } from '@nestjs/common';
import { DriftModule } from '../drift/drift.module';
import { PendingPeers } from '../drift';
import { Reactions } from '../../common/reactions';
import { PROJECTIONS } from '../events';
import { NodeViewExtensions } from '../nodes';
import { NodeJobHandlers, NodeJobsModule } from '../node-jobs';
import { NodesModule } from '../nodes/nodes.module';
import { PeerViewExtensions } from '../peers';
import { PeersModule } from '../peers/peers.module';
import { ReconcileModule } from '../reconcile/reconcile.module';
import { AppliedVersions } from './applied-versions';
import { PendingRemovalsProjection } from './pending-removals.projection';
import { SyncRunner } from './sync-runner.service';
import { SYNC_JOB, SyncTrigger } from './sync-trigger.service';
import { NodePendingView, PeerSyncStatusView, SyncPendingPeersSource } from './sync-views';
import { SyncStore } from './sync.store';

/**
 * Every desired-state change reaches its node by itself, through the per-node job path. Exports AppliedVersions
 * (record peers a node already has as applied).
 */
@Module({
  imports: [DriftModule, NodesModule, PeersModule, ReconcileModule, NodeJobsModule],
  providers: [
    PendingRemovalsProjection,
    SyncTrigger,
    SyncRunner,
    PeerSyncStatusView,
    NodePendingView,
    SyncPendingPeersSource,
    SyncStore,
    AppliedVersions,
  ],
  exports: [AppliedVersions],
})
export class SyncModule implements OnModuleInit {
  constructor(
    private readonly reactions: Reactions,
    private readonly projection: PendingRemovalsProjection,
    private readonly handlers: NodeJobHandlers,
    private readonly runner: SyncRunner,
    private readonly peerViews: PeerViewExtensions,
    private readonly nodeViews: NodeViewExtensions,
    private readonly peerStatus: PeerSyncStatusView,
    private readonly nodePending: NodePendingView,
    private readonly pendingPeers: PendingPeers,
    private readonly pendingSource: SyncPendingPeersSource,
  ) {}

  onModuleInit(): void {
    this.reactions.contribute(PROJECTIONS, 'sync: PendingRemovalsProjection', this.projection);
    this.handlers.register(SYNC_JOB, this.runner);
    this.peerViews.register(this.peerStatus);
    this.nodeViews.register(this.nodePending);
    this.pendingPeers.use(this.pendingSource);
  }
}
