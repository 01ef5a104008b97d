import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { DriftMetrics } from './drift-metrics.service';
import { MetricsController } from './metrics.controller';
import { MetricsRegistry } from './metrics-registry';
import { MetricsStore } from './metrics.store';
import { QueueMetrics } from './queue-metrics.service';

/** `/metrics` for Prometheus; other modules record into the metrics it exports. */
@Module({
  imports: [DiscoveryModule],
  controllers: [MetricsController],
  providers: [MetricsRegistry, MetricsStore, DriftMetrics, QueueMetrics],
  exports: [MetricsRegistry, DriftMetrics],
})
export class MetricsModule {}
