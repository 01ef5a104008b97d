import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { NODE_JOBS_QUEUE, NodeJobHandlers } from './node-jobs';
import { NodeJobsProcessor } from './node-jobs.processor';
import { NodeLocks } from './node-locks.service';

/**
 * The per-node job path reconcile and sync share: one queue, one worker, one advisory lock per node. Modules
 * register their job handlers with `NodeJobHandlers` at start-up.
 */
@Module({
  imports: [BullModule.registerQueue({ name: NODE_JOBS_QUEUE })],
  providers: [NodeLocks, NodeJobHandlers, NodeJobsProcessor],
  exports: [NodeJobHandlers, BullModule],
})
export class NodeJobsModule {}
