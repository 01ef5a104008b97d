import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { afterCursor, type Cursor } from '../../common/http/cursor';
import { ClusterEntity, ClusterMemberEntity } from './cluster.entity';
import type { MemberHealth } from './cluster.events';

/** The clusters module's statements on its tables: clusters, cluster_members. */
@Injectable()
export class ClustersStore {
  find(em: EntityManager, id: string): Promise<ClusterEntity | null> {
    return em.findOne(ClusterEntity, { id });
  }

  page(em: EntityManager, after: Cursor | undefined, limit: number): Promise<ClusterEntity[]> {
    return em.find(ClusterEntity, afterCursor(after), { orderBy: { createdAt: 'asc', id: 'asc' }, limit });
  }

  all(em: EntityManager): Promise<ClusterEntity[]> {
    return em.find(ClusterEntity, {}, { orderBy: { name: 'asc' } });
  }

  async nameTaken(em: EntityManager, name: string, exceptId: string): Promise<boolean> {
    return (await em.findOne(ClusterEntity, { name, id: { $ne: exceptId } }, { fields: ['id'] })) !== null;
  }

  /** The members of these clusters, by cluster then join time. */
  membersOf(em: EntityManager, clusterIds: readonly string[]): Promise<ClusterMemberEntity[]> {
    return em.find(
      ClusterMemberEntity,
      { clusterId: { $in: [...clusterIds] } },
      { orderBy: { clusterId: 'asc', createdAt: 'asc', nodeId: 'asc' } },
    );
  }

  membership(em: EntityManager, nodeId: string): Promise<ClusterMemberEntity | null> {
    return em.findOne(ClusterMemberEntity, { nodeId });
  }

  /** The memberships of those of these nodes that are in a cluster. */
  memberships(em: EntityManager, nodeIds: readonly string[]): Promise<ClusterMemberEntity[]> {
    return em.find(ClusterMemberEntity, { nodeId: { $in: [...nodeIds] } });
  }

  async setHealth(em: EntityManager, nodeId: string, health: MemberHealth, at: Date): Promise<void> {
    await em.nativeUpdate(ClusterMemberEntity, { nodeId }, { health, updatedAt: at });
  }

  async setPublished(em: EntityManager, nodeId: string, published: boolean, at: Date): Promise<void> {
    await em.nativeUpdate(ClusterMemberEntity, { nodeId }, { published, updatedAt: at });
  }

  async insertCluster(em: EntityManager, row: ClusterEntity): Promise<void> {
    await em.insert(ClusterEntity, row);
  }

  async updateCluster(em: EntityManager, id: string, columns: Partial<ClusterEntity>): Promise<void> {
    await em.nativeUpdate(ClusterEntity, { id }, columns);
  }

  async deleteCluster(em: EntityManager, id: string): Promise<void> {
    await em.nativeDelete(ClusterMemberEntity, { clusterId: id });
    await em.nativeDelete(ClusterEntity, { id });
  }

  async insertMember(em: EntityManager, clusterId: string, nodeId: string, at: Date): Promise<void> {
    await em.insert(ClusterMemberEntity, {
      nodeId,
      clusterId,
      health: 'unhealthy',
      published: false,
      createdAt: at,
      updatedAt: at,
    });
  }

  async deleteMember(em: EntityManager, nodeId: string): Promise<void> {
    await em.nativeDelete(ClusterMemberEntity, { nodeId });
  }
}
