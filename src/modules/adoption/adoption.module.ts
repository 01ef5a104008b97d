import { Module } from '@nestjs/common';
import { NodesModule } from '../nodes/nodes.module';
import { PeersModule } from '../peers/peers.module';
import { ReconcileModule } from '../reconcile/reconcile.module';
import { AdoptionController } from './adoption.controller';
import { AdoptionService } from './adoption.service';
import { AdoptionStore } from './adoption.store';

/** Adopting the peers a node already has (CONTRACT §5 Onboarding). */
@Module({
  imports: [NodesModule, PeersModule, ReconcileModule],
  controllers: [AdoptionController],
  providers: [AdoptionService, AdoptionStore],
  exports: [AdoptionService],
})
export class AdoptionModule {}
