import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { DriftStoreModule } from '../drift/drift-store.module';
import { PeerUsageModule } from '../lifecycle/peer-usage.module';
import { DriftMetrics } from './drift-metrics.service';
import { MetricsController } from './metrics.controller';
import { MetricsRegistry } from './metrics-registry';
import { QueueMetrics } from './queue-metrics.service';

/** `/metrics` for Prometheus; other modules record into the metrics it exports. */
@Module({
  imports: [DiscoveryModule, DriftStoreModule, PeerUsageModule],
  controllers: [MetricsController],
  providers: [MetricsRegistry, DriftMetrics, QueueMetrics],
  exports: [MetricsRegistry, DriftMetrics],
})
export class MetricsModule {}
