import { BullModule } from '@nestjs/bullmq';
import { Module, OnModuleInit } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { LIFECYCLE_SETTINGS_CHANGED, PEER_VIEW_EXTENSIONS } from '../peers';
import { Reactions } from '../../common/reactions';
import { PeersModule } from '../peers/peers.module';
import { LifecycleMetrics } from './lifecycle-metrics.service';
import { PeerActivityView } from './peer-activity-view';
import { PeerEnforcementProcessor, PEER_LIFECYCLE_QUEUE } from './peer-enforcement.processor';
import { PeerEnforcer } from './peer-enforcer.service';
import { PeerLifecycleStore } from './peer-lifecycle.store';
import { PeerUsageRetention } from './peer-usage-retention.service';
import { PeerUsageView } from './peer-usage-view';
import { PeerUsageController } from './peer-usage.controller';
import { PeerUsageModule } from './peer-usage.module';

/** Peer lifecycle: activity, expiry, quotas per period, suspension and resumption, usage history. */
@Module({
  imports: [
    PeersModule,
    PeerUsageModule,
    NotificationsModule,
    MetricsModule,
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
  ) {}

  onModuleInit(): void {
    this.reactions.contribute(PEER_VIEW_EXTENSIONS, 'lifecycle: PeerActivityView', this.activityView);
    this.reactions.contribute(PEER_VIEW_EXTENSIONS, 'lifecycle: PeerUsageView', this.usageView);
    this.reactions.on(LIFECYCLE_SETTINGS_CHANGED, 'lifecycle: PeerEnforcer', async (peerId) => {
      await this.enforcer.enforcePeer(peerId);
    });
  }
}
