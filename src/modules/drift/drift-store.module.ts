import { Module } from '@nestjs/common';
import { DriftStore } from './drift.store';
import { LatestScansReader } from './latest-scans.reader';

/**
 * Drift's SQL on its own: the metrics module, which the drift module imports, reads the latest scans through
 * it without an import cycle.
 */
@Module({ providers: [DriftStore, LatestScansReader], exports: [DriftStore, LatestScansReader] })
export class DriftStoreModule {}
