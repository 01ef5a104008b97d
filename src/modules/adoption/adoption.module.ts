import { Module } from '@nestjs/common';
import { NodesModule } from '../nodes/nodes.module';
import { PeersModule } from '../peers/peers.module';
import { NodeApplyModule } from '../node-apply/node-apply.module';
import { SyncModule } from '../sync/sync.module';
import { AdoptionController } from './adoption.controller';
import { AdoptionService } from './adoption.service';
import { AdoptionPlanEntity } from './adoption-plan.entity';

/** The tables this module owns, for MikroORM (`src/entities.ts`). */
export const ADOPTION_ENTITIES = [AdoptionPlanEntity];

/** Adopting the peers a node already has (docs/API.md, Resources; docs/ONBOARDING.md). */
@Module({
  imports: [NodesModule, PeersModule, NodeApplyModule, SyncModule],
  controllers: [AdoptionController],
  providers: [AdoptionService],
  exports: [AdoptionService],
})
export class AdoptionModule {}
