import { Module } from '@nestjs/common';
import { MetricsRegistry } from './metrics-registry';

/** The one registry every module records its series into; `/metrics` (metrics module) serves it. */
@Module({ providers: [MetricsRegistry], exports: [MetricsRegistry] })
export class MetricsRegistryModule {}
