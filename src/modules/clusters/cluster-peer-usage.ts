import { EntityManager } from '@mikro-orm/postgresql';
import { askTopic } from '../../common/reactions';

/**
 * How many peers a cluster has. The peers module owns them and answers it, so a cluster with peers keeps its
 * pools and is not deleted under them.
 */
export const CLUSTER_PEER_COUNT = askTopic<[em: EntityManager, clusterId: string], number>(
  'clusters.peer-count',
);
