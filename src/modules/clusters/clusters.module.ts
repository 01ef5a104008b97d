import { Module, OnModuleInit } from '@nestjs/common';
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
  ) {}

  onModuleInit(): void {
    this.reactions.contribute(PROJECTIONS, 'clusters: ClusterProjection', this.projection);
  }
}
