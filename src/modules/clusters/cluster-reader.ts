import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { SecretBox } from '../../common/crypto/secret-box';
import { sealContext } from '../../common/crypto/secret-box.provider';
import type { ClusterEntity, ClusterMemberEntity } from './cluster.entity';
import type { MemberHealth } from './cluster.events';
import { ClustersStore } from './clusters.store';
import { DnsConfig, openDnsConfig } from './domain/dns-config';

/** A cluster with its members, as other modules read it. */
export interface ClusterWithMembers {
  cluster: ClusterEntity;
  members: ClusterMemberEntity[];
}

/** What other modules read of clusters: membership, the cluster of a node, and (for failover) the DNS config. */
@Injectable()
export class ClusterReader {
  constructor(
    private readonly store: ClustersStore,
    private readonly box: SecretBox,
  ) {}

  find(em: EntityManager, id: string): Promise<ClusterEntity | null> {
    return this.store.find(em, id);
  }

  /** The ids of the cluster's member nodes (none for an unknown cluster). */
  async nodeIdsOf(em: EntityManager, clusterId: string): Promise<string[]> {
    return (await this.store.membersOf(em, [clusterId])).map((member) => member.nodeId);
  }

  /** The cluster each of these nodes is a member of; nodes in none are left out. */
  async clusterIdsOfNodes(em: EntityManager, nodeIds: readonly string[]): Promise<Map<string, string>> {
    if (nodeIds.length === 0) return new Map();
    const memberships = await this.store.memberships(em, nodeIds);
    return new Map(memberships.map((member) => [member.nodeId, member.clusterId]));
  }

  async clusterIdOfNode(em: EntityManager, nodeId: string): Promise<string | null> {
    return (await this.store.membership(em, nodeId))?.clusterId ?? null;
  }

  /** Every cluster with its members, by name: what the health checks walk. */
  async all(em: EntityManager): Promise<ClusterWithMembers[]> {
    const clusters = await this.store.all(em);
    const members = await this.store.membersOf(
      em,
      clusters.map((cluster) => cluster.id),
    );
    return clusters.map((cluster) => ({
      cluster,
      members: members.filter((member) => member.clusterId === cluster.id),
    }));
  }

  /** The DNS config with its secret in the clear: only for the module that publishes the endpoint name. */
  async dnsConfig(em: EntityManager, clusterId: string): Promise<DnsConfig | null> {
    const cluster = await this.store.find(em, clusterId);
    if (!cluster?.dns) return null;
    return openDnsConfig(cluster.dns, (sealed) =>
      this.box.open(sealed, sealContext.clusterDnsSecret(clusterId)),
    );
  }
}

/** The one writer of a member's health and published flag, for the failover module's checks and publisher. */
@Injectable()
export class ClusterMemberStates {
  constructor(private readonly store: ClustersStore) {}

  setHealth(em: EntityManager, nodeId: string, health: MemberHealth, at: Date): Promise<void> {
    return this.store.setHealth(em, nodeId, health, at);
  }

  setPublished(em: EntityManager, nodeId: string, published: boolean, at: Date): Promise<void> {
    return this.store.setPublished(em, nodeId, published, at);
  }
}
