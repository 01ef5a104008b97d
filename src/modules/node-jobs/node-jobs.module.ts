import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { NODE_JOBS_QUEUE } from './node-jobs';
import { NodeJobsProcessor } from './node-jobs.processor';
import { NodeLocks } from './node-locks.service';

/**
 * The per-node job path reconcile and sync share: one queue, one worker, one advisory lock per node. Modules
 * contribute their job handlers to `NODE_JOB_HANDLERS` at start-up.
 */
@Module({
  imports: [BullModule.registerQueue({ name: NODE_JOBS_QUEUE })],
  providers: [NodeLocks, NodeJobsProcessor],
  exports: [BullModule],
})
export class NodeJobsModule {}
