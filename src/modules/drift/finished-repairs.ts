import { EntityManager } from '@mikro-orm/postgresql';
import { askTopic } from '../../common/reactions';

/**
 * When each node's latest repair finished. A repair changes and verifies its node, so a scan from before it is
 * no longer the node's latest result. The reconcile module owns repairs and answers it.
 */
export interface FinishedRepairsSource {
  /** The latest finish per node id; a node never repaired is absent. */
  lastFinishedAt(em: EntityManager, nodeIds: readonly string[]): Promise<Map<string, Date>>;
}

/** Until a module answers, no node was ever repaired. */
export const FINISHED_REPAIRS = askTopic<[em: EntityManager, nodeIds: readonly string[]], Map<string, Date>>(
  'drift.finished-repairs',
  async () => new Map(),
);
