import { Module, OnModuleInit } from '@nestjs/common';
import { Reactions } from '../../common/reactions';
import { PROJECTIONS } from '../events';
import { NodeAddressUsage } from '../nodes';
import { NodesModule } from '../nodes/nodes.module';
import { DesiredStateReader } from './desired-state.reader';
import { LifecycleSettingsChanges } from './lifecycle-settings-changes';
import { PeerCreationBatcher } from './peer-creation.batcher';
import { PeerViewExtensions } from './peer-view';
import { PeerProjection } from './peer.projection';
import { PeersController } from './peers.controller';
import { PeersService } from './peers.service';
import { PeersStore } from './peers.store';

@Module({
  imports: [NodesModule],
  controllers: [PeersController],
  providers: [
    PeersService,
    PeersStore,
    PeerCreationBatcher,
    PeerProjection,
    PeerViewExtensions,
    DesiredStateReader,
    LifecycleSettingsChanges,
  ],
  exports: [PeersService, PeerViewExtensions, DesiredStateReader, LifecycleSettingsChanges],
})
export class PeersModule implements OnModuleInit {
  constructor(
    private readonly reactions: Reactions,
    private readonly projection: PeerProjection,
    private readonly addressUsage: NodeAddressUsage,
    private readonly store: PeersStore,
  ) {}

  onModuleInit(): void {
    this.reactions.contribute(PROJECTIONS, 'peers: PeerProjection', this.projection);
    this.addressUsage.use(this.store);
  }
}
