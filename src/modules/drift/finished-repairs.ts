import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';

/**
 * When each node's latest repair finished. A repair changes and verifies its node, so a scan from before it is
 * no longer the node's latest result. The reconcile module owns repairs and plugs its source in at start-up.
 */
export interface FinishedRepairsSource {
  /** The latest finish per node id; a node never repaired is absent. */
  lastFinishedAt(em: EntityManager, nodeIds: readonly string[]): Promise<Map<string, Date>>;
}

/** Until a source is plugged in, no node was ever repaired. */
const NO_REPAIRS: FinishedRepairsSource = { lastFinishedAt: async () => new Map() };

@Injectable()
export class FinishedRepairs implements FinishedRepairsSource {
  private source: FinishedRepairsSource = NO_REPAIRS;

  use(source: FinishedRepairsSource): void {
    this.source = source;
  }

  lastFinishedAt(em: EntityManager, nodeIds: readonly string[]): Promise<Map<string, Date>> {
    return this.source.lastFinishedAt(em, nodeIds);
  }
}
