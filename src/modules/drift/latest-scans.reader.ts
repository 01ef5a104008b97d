import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { DriftStore, type NodeScanRow } from './drift.store';

/** The nodes' latest scans for other modules (the metrics), read in one statement of DriftStore. */
@Injectable()
export class LatestScansReader {
  constructor(private readonly store: DriftStore) {}

  ofEnabledNodes(em: EntityManager): Promise<NodeScanRow[]> {
    return this.store.latestScansOfEnabledNodes(em);
  }
}
