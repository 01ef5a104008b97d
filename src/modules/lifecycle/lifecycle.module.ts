import { BullModule } from '@nestjs/bullmq';
import { Module, OnModuleInit } from '@nestjs/common';
import { MetricsRegistryModule } from '../../common/metrics/metrics-registry.module';
import { SCAN_STORED } from '../drift';
import { DriftModule } from '../drift/drift.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { LIFECYCLE_SETTINGS_CHANGED, PEER_VIEW_EXTENSIONS } from '../peers';
import { Reactions } from '../../common/reactions';
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
    private readonly reactions: Reactions,
    private readonly activityView: PeerActivityView,
    private readonly usageView: PeerUsageView,
    private readonly enforcer: PeerEnforcer,
    private readonly activityRecorder: PeerActivityRecorder,
  ) {}

  onModuleInit(): void {
    this.reactions.contribute(PEER_VIEW_EXTENSIONS, 'lifecycle: PeerActivityView', this.activityView);
    this.reactions.contribute(PEER_VIEW_EXTENSIONS, 'lifecycle: PeerUsageView', this.usageView);
    this.reactions.on(SCAN_STORED, 'lifecycle: PeerActivityRecorder', (em, scan) =>
      this.activityRecorder.onScanStored(em, scan),
    );
    this.reactions.on(LIFECYCLE_SETTINGS_CHANGED, 'lifecycle: PeerEnforcer', async (peerId) => {
      await this.enforcer.enforcePeer(peerId);
    });
  }
}
