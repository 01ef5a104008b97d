import { BullModule } from '@nestjs/bullmq';
import { Module, OnModuleInit } from '@nestjs/common';
import { DriftModule } from '../drift/drift.module';
import { ScanListeners } from '../drift/scan-listeners';
import { NodesModule } from '../nodes/nodes.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PeersModule } from '../peers/peers.module';
import { NODE_JOBS_QUEUE, NodeJobHandlers } from './node-jobs';
import { NodeJobsProcessor } from './node-jobs.processor';
import { NodeLocks } from './node-locks.service';
import { NodeStateReader } from './node-state.service';
import { PlanExecutor } from './plan-executor.service';
import { RECONCILE_JOB, ReconcileJobs } from './reconcile-jobs.service';
import { ReconcileRunner } from './reconcile-runner.service';
import { ReconcileController } from './reconcile.controller';
import { ReconcileService } from './reconcile.service';
import { SelfHealListener } from './self-heal.listener';

/**
 * Reconcile jobs (issue 5) and the per-node job path they share with sync: one queue, one worker, one
 * advisory lock per node.
 */
@Module({
  imports: [
    DriftModule,
    NodesModule,
    PeersModule,
    NotificationsModule,
    BullModule.registerQueue({ name: NODE_JOBS_QUEUE }),
  ],
  controllers: [ReconcileController],
  providers: [
    NodeLocks,
    NodeJobHandlers,
    NodeJobsProcessor,
    NodeStateReader,
    PlanExecutor,
    ReconcileJobs,
    ReconcileService,
    ReconcileRunner,
    SelfHealListener,
  ],
  exports: [NodeJobHandlers, NodeStateReader, PlanExecutor, BullModule],
})
export class ReconcileModule implements OnModuleInit {
  constructor(
    private readonly handlers: NodeJobHandlers,
    private readonly runner: ReconcileRunner,
    private readonly scanListeners: ScanListeners,
    private readonly selfHeal: SelfHealListener,
  ) {}

  onModuleInit(): void {
    this.handlers.register(RECONCILE_JOB, this.runner);
    this.scanListeners.register(this.selfHeal);
  }
}
