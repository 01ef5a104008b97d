import { Module, OnModuleInit } from '@nestjs/common';
import { ProjectionRegistry } from '../events/projection-registry';
import { NodesModule } from '../nodes/nodes.module';
import { LifecycleSettingsChanges } from './lifecycle-settings-changes';
import { PeerCreationBatcher } from './peer-creation.batcher';
import { PeerViewExtensions } from './peer-view';
import { PeerProjection } from './peer.projection';
import { PeersController } from './peers.controller';
import { PeersService } from './peers.service';

@Module({
  imports: [NodesModule],
  controllers: [PeersController],
  providers: [
    PeersService,
    PeerCreationBatcher,
    PeerProjection,
    PeerViewExtensions,
    LifecycleSettingsChanges,
  ],
  exports: [PeersService, PeerViewExtensions, LifecycleSettingsChanges],
})
export class PeersModule implements OnModuleInit {
  constructor(
    private readonly projections: ProjectionRegistry,
    private readonly projection: PeerProjection,
  ) {}

  onModuleInit(): void {
    this.projections.register(this.projection);
  }
}
