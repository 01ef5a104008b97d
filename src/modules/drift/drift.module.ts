import { BullModule } from '@nestjs/bullmq';
import { EntityManager } from '@mikro-orm/postgresql';
import { Module, OnModuleInit } from '@nestjs/common';
import { NODE_SCOPE_TARGET, SCAN_SCOPE_TARGET } from '../../common/auth/scope-targets';
import { DriftStore } from './drift.store';
import { NODE_VIEW_EXTENSIONS } from '../nodes';
import { Reactions } from '../../common/reactions';
import { NodesModule } from '../nodes/nodes.module';
import { PeersModule } from '../peers/peers.module';
import { DriftHistory } from './drift-history.service';
import { DriftRetention } from './drift-retention.service';
import { DRIFT_SCAN_QUEUE, DriftScanProcessor } from './drift-scan.processor';
import { DriftScanner } from './drift-scanner.service';
import { NodeDriftStatusView } from './drift-view-extensions';
import { DriftController } from './drift.controller';
import { DriftStoreModule } from './drift-store.module';
import { LiveDriftReads } from './live-drift-reads.service';
import { DriftScanEntity } from './drift-scan.entity';
import { NodeDriftStateEntity } from './node-drift-state.entity';

/** The tables this module owns, for MikroORM (`src/entities.ts`). */
export const DRIFT_ENTITIES = [DriftScanEntity, NodeDriftStateEntity];

/**
 * Drift scans (live and scheduled) and their history. Exports DriftScanner; its index declares SCAN_STORED (react
 * to stored scans: lifecycle records the peer activity a scan saw, notifications alert, reconcile self-heals),
 * SCAN_FINISHED (metrics count it), PENDING_PEERS (answer which peers are not applied yet) and FINISHED_REPAIRS
 * (answer when nodes were last repaired).
 */
@Module({
  imports: [NodesModule, PeersModule, DriftStoreModule, BullModule.registerQueue({ name: DRIFT_SCAN_QUEUE })],
  controllers: [DriftController],
  providers: [
    DriftHistory,
    DriftScanner,
    LiveDriftReads,
    DriftScanProcessor,
    DriftRetention,
    NodeDriftStatusView,
  ],
  exports: [DriftScanner],
})
export class DriftModule implements OnModuleInit {
  constructor(
    private readonly reactions: Reactions,
    private readonly nodeDriftStatus: NodeDriftStatusView,
    private readonly store: DriftStore,
    private readonly em: EntityManager,
  ) {}

  onModuleInit(): void {
    this.reactions.contribute(NODE_VIEW_EXTENSIONS, 'drift: NodeDriftStatusView', this.nodeDriftStatus);
    // A scan is in its node's scope.
    this.reactions.answer(SCAN_SCOPE_TARGET, 'drift: DriftStore', async (id) => {
      const nodeId = await this.store.nodeOfScan(this.em, id);
      return nodeId ? this.reactions.ask(NODE_SCOPE_TARGET, nodeId) : null;
    });
  }
}
