import { Module, OnModuleInit } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MetricsRegistryModule } from '../../common/metrics/metrics-registry.module';
import { SCAN_FINISHED } from '../drift';
import { Reactions } from '../../common/reactions';
import { DriftModule } from '../drift/drift.module';
import { DriftStoreModule } from '../drift/drift-store.module';
import { PeerUsageModule } from '../lifecycle/peer-usage.module';
import { DriftMetrics } from './drift-metrics.service';
import { MetricsController } from './metrics.controller';
import { QueueMetrics } from './queue-metrics.service';

/** `/metrics` for Prometheus: drift and queue series, and what other modules record into the panel's registry. */
@Module({
  imports: [DiscoveryModule, MetricsRegistryModule, DriftModule, DriftStoreModule, PeerUsageModule],
  controllers: [MetricsController],
  providers: [DriftMetrics, QueueMetrics],
})
export class MetricsModule implements OnModuleInit {
  constructor(
    private readonly reactions: Reactions,
    private readonly driftMetrics: DriftMetrics,
  ) {}

  onModuleInit(): void {
    this.reactions.on(SCAN_FINISHED, 'metrics: DriftMetrics', async (scan, durationMs) =>
      this.driftMetrics.onScanFinished(scan, durationMs),
    );
  }
}
