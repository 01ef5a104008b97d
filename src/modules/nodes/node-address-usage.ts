import { EntityManager } from '@mikro-orm/postgresql';
import { askTopic } from '../../common/reactions';

/** How many addresses a node's peers hold. The peers module owns them and answers it. */
export interface NodeAddressUsageSource {
  allocatedCount(em: EntityManager, nodeId: string): Promise<number>;
}

/** Lets nodes refuse to move a pool that is in use without reading the peers module's tables. */
export const NODE_ADDRESS_USAGE = askTopic<[em: EntityManager, nodeId: string], number>(
  'nodes.address-usage',
);
