import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * One address of a node's pool held by a peer. The primary key is what guarantees an address is never
 * handed out twice, whatever the application does.
 */
@Entity({ tableName: 'ip_allocations' })
@Unique({ properties: ['nodeId', 'address'] })
export class IpAllocationEntity {
  @PrimaryKey({ type: 'uuid' })
  nodeId!: string;

  @PrimaryKey({ type: 'smallint' })
  family!: number;

  @PrimaryKey({ type: 'bigint' })
  hostIndex!: string;

  @Property({ type: 'text' })
  address!: string;

  @Property({ type: 'uuid', index: true })
  peerId!: string;
}
