import { Module, OnModuleInit } from '@nestjs/common';
import { Reactions } from '../../common/reactions';
import { NodeApplyModule } from '../node-apply/node-apply.module';
import { NodesModule } from '../nodes/nodes.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PeersModule } from '../peers/peers.module';
import { ReconcileModule } from '../reconcile/reconcile.module';
import { TEMPLATE_VERSION_CREATED } from '../templates';
import { TemplatesModule } from '../templates/templates.module';
import { RolloutChanges } from './rollout-changes.service';
import { RolloutJournal } from './rollout-journal.service';
import { RolloutRunner } from './rollout-runner.service';
import { RolloutEntity, RolloutNodeEntity } from './rollout.entity';
import { RolloutsController } from './rollouts.controller';
import { RolloutsService } from './rollouts.service';
import { RolloutsStore } from './rollouts.store';

/** The tables this module owns, for MikroORM (`src/entities.ts`). */
export const ROLLOUTS_ENTITIES = [RolloutEntity, RolloutNodeEntity];

/** Staged rollouts: a change applied in gated waves, on top of reconcile's stored plans and jobs. */
@Module({
  imports: [NodesModule, NodeApplyModule, NotificationsModule, PeersModule, ReconcileModule, TemplatesModule],
  controllers: [RolloutsController],
  providers: [RolloutsService, RolloutChanges, RolloutJournal, RolloutRunner, RolloutsStore],
})
export class RolloutsModule implements OnModuleInit {
  constructor(
    private readonly reactions: Reactions,
    private readonly rollouts: RolloutsService,
  ) {}

  onModuleInit(): void {
    this.reactions.on(TEMPLATE_VERSION_CREATED, 'rollouts: RolloutsService', (templateId, version, context) =>
      this.rollouts.planTemplateVersion(templateId, version, context),
    );
  }
}
