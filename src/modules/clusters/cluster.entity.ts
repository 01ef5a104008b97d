import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { SealedDnsConfig } from './domain/dns-config';
import type { MemberHealth } from './cluster.events';

/** Read model of a cluster, projected from its events. */
@Entity({ tableName: 'clusters' })
export class ClusterEntity {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text', unique: true })
  name!: string;

  @Property({ type: 'text' })
  endpointHost!: string;

  @Property({ type: 'integer' })
  endpointPort!: number;

  @Property({ type: 'text' })
  addressPool!: string;

  @Property({ type: 'text', nullable: true })
  addressPoolV6: string | null = null;

  @Property({ type: 'text', nullable: true })
  publicKey: string | null = null;

  /** Secrets in it sealed with PANEL_SECRET_KEY (docs/SECURITY.md). */
  @Property({ type: 'jsonb', nullable: true })
  dns: SealedDnsConfig | null = null;

  @Property({ type: 'integer' })
  version!: number;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** A node's membership: a node is in at most one cluster. */
@Entity({ tableName: 'cluster_members' })
export class ClusterMemberEntity {
  @PrimaryKey({ type: 'uuid' })
  nodeId!: string;

  @Property({ type: 'uuid', index: true })
  clusterId!: string;

  @Property({ type: 'text' })
  health: MemberHealth = 'unhealthy';

  /** Whether the cluster's DNS name currently resolves to this member. */
  @Property({ type: 'boolean' })
  published: boolean = false;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}
