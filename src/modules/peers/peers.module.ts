import { EntityManager } from '@mikro-orm/postgresql';
import { Module, OnModuleInit } from '@nestjs/common';
import { CLUSTER_SCOPE_TARGET, NODE_SCOPE_TARGET, PEER_SCOPE_TARGET } from '../../common/auth/scope-targets';
import { Reactions } from '../../common/reactions';
import { PROJECTIONS } from '../events';
import { NODE_ADDRESS_USAGE } from '../nodes';
import { CLUSTER_PEER_COUNT } from '../clusters';
import { ClustersModule } from '../clusters/clusters.module';
import { NodesModule } from '../nodes/nodes.module';
import { UsersModule } from '../users/users.module';
import { DesiredStateReader } from './desired-state.reader';
import { PeerCreationBatcher } from './peer-creation.batcher';
import { PeerViewExtensions } from './peer-view';
import { PeerProjection } from './peer.projection';
import { PeersController } from './peers.controller';
import { PresharedKeyReader } from './preshared-key.reader';
import { PeersService } from './peers.service';
import { PeersStore } from './peers.store';
import { PeerEntity } from './peer.entity';
import { IpAllocationEntity } from './ip-allocation.entity';
import { ManagedKeyEntity } from './managed-key.entity';

/** The tables this module owns, for MikroORM (`src/entities.ts`). */
export const PEERS_ENTITIES = [PeerEntity, IpAllocationEntity, ManagedKeyEntity];

@Module({
  imports: [NodesModule, ClustersModule, UsersModule],
  controllers: [PeersController],
  providers: [
    PeersService,
    PresharedKeyReader,
    PeersStore,
    PeerCreationBatcher,
    PeerProjection,
    PeerViewExtensions,
    DesiredStateReader,
  ],
  exports: [PeersService, PeerViewExtensions, DesiredStateReader, PresharedKeyReader],
})
export class PeersModule implements OnModuleInit {
  constructor(
    private readonly reactions: Reactions,
    private readonly projection: PeerProjection,
    private readonly store: PeersStore,
    private readonly em: EntityManager,
  ) {}

  onModuleInit(): void {
    this.reactions.contribute(PROJECTIONS, 'peers: PeerProjection', this.projection);
    this.reactions.answer(NODE_ADDRESS_USAGE, 'peers: PeersStore', (em, nodeId) =>
      this.store.allocatedCount(em, nodeId),
    );
    this.reactions.answer(CLUSTER_PEER_COUNT, 'peers: PeersStore', (em, clusterId) =>
      this.store.clusterPeerCount(em, clusterId),
    );
    // A peer is in its node's scope; a cluster peer, carried by every member, in its cluster's.
    this.reactions.answer(PEER_SCOPE_TARGET, 'peers: PeersStore', async (id) => {
      const owner = await this.store.ownerOf(this.em, id);
      if (!owner) return null;
      return owner.cluster_id
        ? this.reactions.ask(CLUSTER_SCOPE_TARGET, owner.cluster_id)
        : this.reactions.ask(NODE_SCOPE_TARGET, owner.node_id);
    });
  }
}
