import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { NodeAddressUsageSource } from '../nodes/node-address-usage';
import { IpAllocationEntity } from './ip-allocation.entity';

/** The peers module's statements on its tables: peers, ip_allocations, node_managed_keys. */
@Injectable()
export class PeersStore implements NodeAddressUsageSource {
  allocatedCount(em: EntityManager, nodeId: string): Promise<number> {
    return em.count(IpAllocationEntity, { nodeId });
  }
}
