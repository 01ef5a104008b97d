import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';

/** How many addresses a node's peers hold. The peers module owns them and plugs its count in at start-up. */
export interface NodeAddressUsageSource {
  allocatedCount(em: EntityManager, nodeId: string): Promise<number>;
}

/** Lets nodes refuse to move a pool that is in use without reading the peers module's tables. */
@Injectable()
export class NodeAddressUsage implements NodeAddressUsageSource {
  private source: NodeAddressUsageSource | null = null;

  use(source: NodeAddressUsageSource): void {
    this.source = source;
  }

  allocatedCount(em: EntityManager, nodeId: string): Promise<number> {
    if (!this.source) throw new Error('no source of node address usage is registered');
    return this.source.allocatedCount(em, nodeId);
  }
}
