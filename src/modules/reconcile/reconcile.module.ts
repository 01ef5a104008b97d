import { EntityManager } from '@mikro-orm/postgresql';
import { Module, OnModuleInit } from '@nestjs/common';
import { NODE_SCOPE_TARGET, RECONCILE_JOB_SCOPE_TARGET } from '../../common/auth/scope-targets';
import { DriftModule } from '../drift/drift.module';
import { FINISHED_REPAIRS, SCAN_STORED } from '../drift';
import { NODE_JOB_HANDLERS, NodeJobsModule } from '../node-jobs';
import { Reactions } from '../../common/reactions';
import { NodesModule } from '../nodes/nodes.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PeersModule } from '../peers/peers.module';
import { NodeApplyModule } from '../node-apply/node-apply.module';
import { RECONCILE_JOB, ReconcileJobs } from './reconcile-jobs.service';
import { ReconcileRunner } from './reconcile-runner.service';
import { ReconcileController } from './reconcile.controller';
import { ReconcileService } from './reconcile.service';
import { ReconcileStore } from './reconcile.store';
import { SelfHealListener } from './self-heal.listener';
import { ReconcileJobEntity } from './reconcile-job.entity';
import { ReconcilePlanEntity } from './reconcile-plan.entity';

/** The tables this module owns, for MikroORM (`src/entities.ts`). */
export const RECONCILE_ENTITIES = [ReconcileJobEntity, ReconcilePlanEntity];

/** Reconcile jobs: plans, dry runs and repairs, run on the per-node job path they share with sync. */
@Module({
  imports: [DriftModule, NodesModule, PeersModule, NodeApplyModule, NotificationsModule, NodeJobsModule],
  controllers: [ReconcileController],
  providers: [ReconcileJobs, ReconcileService, ReconcileRunner, SelfHealListener, ReconcileStore],
})
export class ReconcileModule implements OnModuleInit {
  constructor(
    private readonly reactions: Reactions,
    private readonly runner: ReconcileRunner,
    private readonly selfHeal: SelfHealListener,
    private readonly store: ReconcileStore,
    private readonly em: EntityManager,
  ) {}

  onModuleInit(): void {
    this.reactions.contribute(NODE_JOB_HANDLERS, 'reconcile: ReconcileRunner', {
      name: RECONCILE_JOB,
      handler: this.runner,
    });
    this.reactions.on(SCAN_STORED, 'reconcile: SelfHealListener', (em, scan) =>
      this.selfHeal.onScanStored(em, scan),
    );
    this.reactions.answer(FINISHED_REPAIRS, 'reconcile: ReconcileStore', (em, nodeIds) =>
      this.store.lastFinishedAt(em, nodeIds),
    );
    // A job is in its node's scope.
    this.reactions.answer(RECONCILE_JOB_SCOPE_TARGET, 'reconcile: ReconcileStore', async (id) => {
      const nodeId = await this.store.nodeOfJob(this.em, id);
      return nodeId ? this.reactions.ask(NODE_SCOPE_TARGET, nodeId) : null;
    });
  }
}
