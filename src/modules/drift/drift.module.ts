import { BullModule } from '@nestjs/bullmq';
import { Module, OnModuleInit } from '@nestjs/common';
import { PeerUsageModule } from '../lifecycle/peer-usage.module';
import { MetricsModule } from '../metrics/metrics.module';
import { NodeViewExtensions } from '../nodes/node-view';
import { NodesModule } from '../nodes/nodes.module';
import { PeerViewExtensions } from '../peers/peer-view';
import { PeersModule } from '../peers/peers.module';
import { PeerActivityStore } from './activity/peer-activity.store';
import { DesiredStateReader } from './desired-state.reader';
import { DriftHistory } from './drift-history.service';
import { DriftRetention } from './drift-retention.service';
import { DRIFT_SCAN_QUEUE, DriftScanProcessor } from './drift-scan.processor';
import { DriftScanner } from './drift-scanner.service';
import { NodeDriftStatusView, PeerActivityView } from './drift-view-extensions';
import { DriftController } from './drift.controller';
import { LiveDriftReads } from './live-drift-reads.service';
import { PendingPeers } from './pending-peers';
import { RecentScansStore } from './recent-scans.store';
import { ScanListeners } from './scan-listeners';
import { ScanReportsStore } from './scan-reports.store';

/**
 * Drift scans (live and scheduled), their history, peer activity. Exports ScanListeners (react to stored
 * scans), PendingPeers (plug in the source of not-yet-applied peers) and DriftScanner.
 */
@Module({
  imports: [
    NodesModule,
    PeersModule,
    PeerUsageModule,
    MetricsModule,
    BullModule.registerQueue({ name: DRIFT_SCAN_QUEUE }),
  ],
  controllers: [DriftController],
  providers: [
    ScanListeners,
    PendingPeers,
    DesiredStateReader,
    PeerActivityStore,
    DriftHistory,
    DriftScanner,
    RecentScansStore,
    ScanReportsStore,
    LiveDriftReads,
    DriftScanProcessor,
    DriftRetention,
    NodeDriftStatusView,
    PeerActivityView,
  ],
  exports: [ScanListeners, PendingPeers, DriftScanner],
})
export class DriftModule implements OnModuleInit {
  constructor(
    private readonly nodeViews: NodeViewExtensions,
    private readonly peerViews: PeerViewExtensions,
    private readonly nodeDriftStatus: NodeDriftStatusView,
    private readonly peerActivity: PeerActivityView,
  ) {}

  onModuleInit(): void {
    this.nodeViews.register(this.nodeDriftStatus);
    this.peerViews.register(this.peerActivity);
  }
}
