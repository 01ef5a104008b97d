import { Module, OnModuleInit } from '@nestjs/common';
import { DriftModule } from '../drift/drift.module';
import { PENDING_PEERS } from '../drift';
import { Reactions } from '../../common/reactions';
import { DESIRED_STATE_CHANGED, PROJECTIONS } from '../events';
import { NODE_VIEW_EXTENSIONS } from '../nodes';
import { NODE_JOB_HANDLERS, NodeJobsModule } from '../node-jobs';
import { NodesModule } from '../nodes/nodes.module';
import { ClustersModule } from '../clusters/clusters.module';
import { PEER_VIEW_EXTENSIONS } from '../peers';
import { PeersModule } from '../peers/peers.module';
import { NodeApplyModule } from '../node-apply/node-apply.module';
import { AppliedVersions } from './applied-versions';
import { PendingRemovalsProjection } from './pending-removals.projection';
import { SyncRunner } from './sync-runner.service';
import { SYNC_JOB, SyncTrigger } from './sync-trigger.service';
import { NodePendingView, PeerSyncStatusView, SyncPendingPeersSource } from './sync-views';
import { SyncStore } from './sync.store';
import { NodeSyncStateEntity, PeerSyncStateEntity, PendingRemovalEntity } from './sync-state.entity';

/** The tables this module owns, for MikroORM (`src/entities.ts`). */
export const SYNC_ENTITIES = [PeerSyncStateEntity, NodeSyncStateEntity, PendingRemovalEntity];

/**
 * Every desired-state change reaches its node by itself, through the per-node job path. Exports AppliedVersions
 * (record peers a node already has as applied).
 */
@Module({
  imports: [DriftModule, NodesModule, ClustersModule, PeersModule, NodeApplyModule, NodeJobsModule],
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
    private readonly runner: SyncRunner,
    private readonly trigger: SyncTrigger,
    private readonly peerStatus: PeerSyncStatusView,
    private readonly nodePending: NodePendingView,
    private readonly pendingSource: SyncPendingPeersSource,
  ) {}

  onModuleInit(): void {
    this.reactions.contribute(PROJECTIONS, 'sync: PendingRemovalsProjection', this.projection);
    this.reactions.contribute(NODE_JOB_HANDLERS, 'sync: SyncRunner', {
      name: SYNC_JOB,
      handler: this.runner,
    });
    this.reactions.contribute(PEER_VIEW_EXTENSIONS, 'sync: PeerSyncStatusView', this.peerStatus);
    this.reactions.contribute(NODE_VIEW_EXTENSIONS, 'sync: NodePendingView', this.nodePending);
    this.reactions.answer(PENDING_PEERS, 'sync: SyncPendingPeersSource', (em, nodeIds) =>
      this.pendingSource.pendingFor(em, nodeIds),
    );
    this.reactions.on(DESIRED_STATE_CHANGED, 'sync: SyncTrigger', (id) =>
      this.trigger.desiredStateChanged(id),
    );
  }
}
