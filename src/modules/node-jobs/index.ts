export { BACKOFF_TYPE, NODE_JOB_HANDLERS, NODE_JOBS_QUEUE, isLastAttempt } from './node-jobs';
export type { NodeJobData, NodeJobHandler, NodeJobOutcome } from './node-jobs';
export { NodeJobsModule } from './node-jobs.module';
