import { Module, OnModuleInit } from '@nestjs/common';
import { DriftModule } from '../drift/drift.module';
import { FinishedRepairs, ScanListeners } from '../drift';
import { NodeJobHandlers, NodeJobsModule } from '../node-jobs';
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
    private readonly handlers: NodeJobHandlers,
    private readonly runner: ReconcileRunner,
    private readonly scanListeners: ScanListeners,
    private readonly selfHeal: SelfHealListener,
    private readonly finishedRepairs: FinishedRepairs,
    private readonly store: ReconcileStore,
  ) {}

  onModuleInit(): void {
    this.handlers.register(RECONCILE_JOB, this.runner);
    this.scanListeners.register(this.selfHeal);
    this.finishedRepairs.use(this.store);
  }
}
