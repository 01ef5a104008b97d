export { BACKOFF_TYPE, NODE_JOBS_QUEUE, NodeJobHandlers, isLastAttempt } from './node-jobs';
export type { NodeJobData, NodeJobHandler, NodeJobOutcome } from './node-jobs';
export { NodeJobsModule } from './node-jobs.module';
