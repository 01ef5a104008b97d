import { BullModule } from '@nestjs/bullmq';
import { Module, OnModuleInit } from '@nestjs/common';
import { NodeViewExtensions } from '../nodes';
import { NodesModule } from '../nodes/nodes.module';
import { PeersModule } from '../peers/peers.module';
import { DriftHistory } from './drift-history.service';
import { DriftRetention } from './drift-retention.service';
import { DRIFT_SCAN_QUEUE, DriftScanProcessor } from './drift-scan.processor';
import { DriftScanner } from './drift-scanner.service';
import { NodeDriftStatusView } from './drift-view-extensions';
import { DriftController } from './drift.controller';
import { DriftStoreModule } from './drift-store.module';
import { FinishedRepairs } from './finished-repairs';
import { LiveDriftReads } from './live-drift-reads.service';
import { PendingPeers } from './pending-peers';
import { ScanListeners } from './scan-listeners';
import { DriftScanEntity } from './drift-scan.entity';
import { NodeDriftStateEntity } from './node-drift-state.entity';

/** The tables this module owns, for MikroORM (`src/entities.ts`). */
export const DRIFT_ENTITIES = [DriftScanEntity, NodeDriftStateEntity];

/**
 * Drift scans (live and scheduled) and their history. Exports ScanListeners (react to stored scans: lifecycle
 * records the peer activity a scan saw, metrics count it, notifications alert, reconcile self-heals), PendingPeers (plug in the source of not-yet-applied peers),
 * FinishedRepairs (plug in when nodes were last repaired) and DriftScanner.
 */
@Module({
  imports: [NodesModule, PeersModule, DriftStoreModule, BullModule.registerQueue({ name: DRIFT_SCAN_QUEUE })],
  controllers: [DriftController],
  providers: [
    ScanListeners,
    PendingPeers,
    DriftHistory,
    DriftScanner,
    FinishedRepairs,
    LiveDriftReads,
    DriftScanProcessor,
    DriftRetention,
    NodeDriftStatusView,
  ],
  exports: [ScanListeners, PendingPeers, FinishedRepairs, DriftScanner],
})
export class DriftModule implements OnModuleInit {
  constructor(
    private readonly nodeViews: NodeViewExtensions,
    private readonly nodeDriftStatus: NodeDriftStatusView,
  ) {}

  onModuleInit(): void {
    this.nodeViews.register(this.nodeDriftStatus);
  }
}
