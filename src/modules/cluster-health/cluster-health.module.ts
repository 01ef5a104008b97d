import { Module } from '@nestjs/common';
import { ClustersModule } from '../clusters/clusters.module';
import { NodesModule } from '../nodes/nodes.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { SyncModule } from '../sync/sync.module';
import { ClusterChecker } from './cluster-checker.service';
import { ClusterHealthController } from './cluster-health.controller';
import { ClusterLeases } from './cluster-lease';
import { DnsPublisher } from './dns-publisher.service';
import { ClusterDnsNow } from './dns-now.service';
import { DrainRecords } from './drain-records';
import { MemberDrains } from './member-drain.service';

/**
 * Cluster member health, DNS publishing of the healthy members, drain and undrain (docs/OPERATIONS.md,
 * Clusters). At the top of MODULE_LAYERS: it reads agents, sync state and the clusters model, and nothing reads it.
 */
@Module({
  imports: [ClustersModule, NodesModule, NotificationsModule, SyncModule],
  controllers: [ClusterHealthController],
  providers: [ClusterChecker, ClusterLeases, DnsPublisher, ClusterDnsNow, DrainRecords, MemberDrains],
})
export class ClusterHealthModule {}
