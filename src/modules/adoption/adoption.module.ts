import { Module } from '@nestjs/common';
import { NodesModule } from '../nodes/nodes.module';
import { PeersModule } from '../peers/peers.module';
import { ReconcileModule } from '../reconcile/reconcile.module';
import { SyncModule } from '../sync/sync.module';
import { AdoptionController } from './adoption.controller';
import { AdoptionService } from './adoption.service';

/** Adopting the peers a node already has (docs/API.md, Resources; docs/ONBOARDING.md). */
@Module({
  imports: [NodesModule, PeersModule, ReconcileModule, SyncModule],
  controllers: [AdoptionController],
  providers: [AdoptionService],
  exports: [AdoptionService],
})
export class AdoptionModule {}
