import { Module, OnModuleInit } from '@nestjs/common';
import { ProjectionRegistry } from '../events';
import { NodeAddressUsage } from '../nodes';
import { NodesModule } from '../nodes/nodes.module';
import { DesiredStateReader } from './desired-state.reader';
import { LifecycleSettingsChanges } from './lifecycle-settings-changes';
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
  imports: [NodesModule],
  controllers: [PeersController],
  providers: [
    PeersService,
    PresharedKeyReader,
    PeersStore,
    PeerCreationBatcher,
    PeerProjection,
    PeerViewExtensions,
    DesiredStateReader,
    LifecycleSettingsChanges,
  ],
  exports: [
    PeersService,
    PeerViewExtensions,
    DesiredStateReader,
    PresharedKeyReader,
    LifecycleSettingsChanges,
  ],
})
export class PeersModule implements OnModuleInit {
  constructor(
    private readonly projections: ProjectionRegistry,
    private readonly projection: PeerProjection,
    private readonly addressUsage: NodeAddressUsage,
    private readonly store: PeersStore,
  ) {}

  onModuleInit(): void {
    this.projections.register(this.projection);
    this.addressUsage.use(this.store);
  }
}
