import { BullModule } from '@nestjs/bullmq';
import { Module, OnModuleInit } from '@nestjs/common';
import { MetricsRegistryModule } from '../../common/metrics/metrics-registry.module';
import { ScanListeners } from '../drift';
import { DriftModule } from '../drift/drift.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { LifecycleSettingsChanges, PeerViewExtensions } from '../peers';
import { PeersModule } from '../peers/peers.module';
import { LifecycleMetrics } from './lifecycle-metrics.service';
import { PeerActivityView } from './peer-activity-view';
import { PeerActivityRecorder } from './peer-activity.listener';
import { PeerEnforcementProcessor, PEER_LIFECYCLE_QUEUE } from './peer-enforcement.processor';
import { PeerEnforcer } from './peer-enforcer.service';
import { PeerLifecycleStore } from './peer-lifecycle.store';
import { PeerUsageRetention } from './peer-usage-retention.service';
import { PeerUsageView } from './peer-usage-view';
import { PeerUsageController } from './peer-usage.controller';
import { PeerUsageModule } from './peer-usage.module';
import { PeerActivityEntity } from './peer-activity.entity';

/** The tables this module owns, for MikroORM (`src/entities.ts`). */
export const LIFECYCLE_ENTITIES = [PeerActivityEntity];

/** Peer lifecycle: activity, expiry, quotas per period, suspension and resumption, usage history. */
@Module({
  imports: [
    PeersModule,
    PeerUsageModule,
    NotificationsModule,
    MetricsRegistryModule,
    DriftModule,
    BullModule.registerQueue({ name: PEER_LIFECYCLE_QUEUE }),
  ],
  controllers: [PeerUsageController],
  providers: [
    LifecycleMetrics,
    PeerEnforcer,
    PeerLifecycleStore,
    PeerEnforcementProcessor,
    PeerUsageRetention,
    PeerActivityView,
    PeerActivityRecorder,
    PeerUsageView,
  ],
  exports: [PeerEnforcer, PeerLifecycleStore],
})
export class LifecycleModule implements OnModuleInit {
  constructor(
    private readonly peerViews: PeerViewExtensions,
    private readonly activityView: PeerActivityView,
    private readonly usageView: PeerUsageView,
    private readonly settingsChanges: LifecycleSettingsChanges,
    private readonly enforcer: PeerEnforcer,
    private readonly scanListeners: ScanListeners,
    private readonly activityRecorder: PeerActivityRecorder,
  ) {}

  onModuleInit(): void {
    this.peerViews.register(this.activityView);
    this.peerViews.register(this.usageView);
    this.scanListeners.register(this.activityRecorder);
    this.settingsChanges.subscribe(async (peerId) => {
      await this.enforcer.enforcePeer(peerId);
    });
  }
}
