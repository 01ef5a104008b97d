import { EntityManager } from '@mikro-orm/postgresql';
import { Module, OnModuleInit } from '@nestjs/common';
import { CLUSTER_SCOPE_TARGET } from '../../common/auth/scope-targets';
import { CLUSTER_MEMBERS, NODE_CLUSTERS } from '../nodes';
import { Reactions } from '../../common/reactions';
import { PROJECTIONS } from '../events';
import { NodesModule } from '../nodes/nodes.module';
import { ClusterMemberStates, ClusterReader } from './cluster-reader';
import { ClusterMemberEntity, ClusterEntity } from './cluster.entity';
import { ClusterProjection } from './cluster.projection';
import { ClustersController } from './clusters.controller';
import { ClustersService } from './clusters.service';
import { ClustersStore } from './clusters.store';

/** The tables this module owns, for MikroORM (`src/entities.ts`). */
export const CLUSTERS_ENTITIES = [ClusterEntity, ClusterMemberEntity];

@Module({
  imports: [NodesModule],
  controllers: [ClustersController],
  providers: [ClustersService, ClustersStore, ClusterProjection, ClusterReader, ClusterMemberStates],
  exports: [ClustersService, ClusterReader, ClusterMemberStates],
})
export class ClustersModule implements OnModuleInit {
  constructor(
    private readonly reactions: Reactions,
    private readonly projection: ClusterProjection,
    private readonly reader: ClusterReader,
    private readonly em: EntityManager,
  ) {}

  onModuleInit(): void {
    this.reactions.contribute(PROJECTIONS, 'clusters: ClusterProjection', this.projection);
    this.reactions.answer(NODE_CLUSTERS, 'clusters: ClusterReader', (em, nodeIds) =>
      this.reader.clusterIdsOfNodes(em, nodeIds),
    );
    this.reactions.answer(CLUSTER_MEMBERS, 'clusters: ClusterReader', (em, clusterId) =>
      this.reader.nodeIdsOf(em, clusterId),
    );
    this.reactions.answer(CLUSTER_SCOPE_TARGET, 'clusters: ClusterReader', async (id) =>
      (await this.reader.find(this.em.fork(), id)) ? { id, tags: {}, cluster_id: id } : null,
    );
  }
}
