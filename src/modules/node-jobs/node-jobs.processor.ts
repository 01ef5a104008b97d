import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, Job } from 'bullmq';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { NodeLocks } from './node-locks.service';
import {
  BACKOFF_TYPE,
  NODE_JOBS_QUEUE,
  NODE_JOBS_WORKER_OPTIONS,
  NodeJobData,
  NODE_JOB_HANDLERS,
  cappedExponentialBackoff,
} from './node-jobs';
import { Reactions } from '../../common/reactions';

/** How soon a job that found its node locked tries again. */
const LOCKED_RETRY_MS = 150;

/**
 * Runs node jobs, at most `reconcileConcurrency` at a time, each holding its node's lock: a job that finds
 * the node busy goes back to delayed and tries again shortly, so jobs of one node run one after the other
 * while different nodes run in parallel.
 */
@Processor(NODE_JOBS_QUEUE, {
  ...NODE_JOBS_WORKER_OPTIONS,
  settings: {
    backoffStrategy: (
      attemptsMade: number,
      type?: string,
      _error?: Error,
      job?: { opts?: { backoff?: unknown } },
    ) => {
      const backoff = job?.opts?.backoff as { delay?: number } | undefined;
      return type === BACKOFF_TYPE ? cappedExponentialBackoff(attemptsMade, backoff?.delay ?? 1000) : 1000;
    },
  },
})
export class NodeJobsProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(NodeJobsProcessor.name);

  constructor(
    private readonly reactions: Reactions,
    private readonly locks: NodeLocks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.reconcileConcurrency;
    // Renewing every second, a renewal sometimes meets a job this worker has just moved to delayed (its lock is
    // gone, its next run takes a new one): worth a log line, not an unhandled 'error' event.
    this.worker.on('error', (error) => this.logger.warn({ err: error.message }, 'node-jobs worker error'));
  }

  async process(job: Job<NodeJobData>, token?: string): Promise<void> {
    const handler = this.reactions.gather(NODE_JOB_HANDLERS).find(({ name }) => name === job.name)?.handler;
    if (!handler) {
      // Possible only while the panel is starting: handlers register during module init.
      this.logger.warn({ job: job.name }, 'no handler for node job yet');
      return this.delay(job, token, Date.now() + 1000);
    }
    const wakeAt = (await handler.deferUntil?.(job)) ?? null;
    if (wakeAt !== null) return this.delay(job, token, wakeAt);
    const lock = await this.locks.tryAcquire(job.data.nodeId);
    if (!lock) return this.delay(job, token, Date.now() + LOCKED_RETRY_MS + Math.floor(Math.random() * 100));
    let rerunAt: number | null;
    try {
      ({ rerunAt } = await handler.run(job));
    } finally {
      await lock.release();
    }
    if (rerunAt !== null) return this.delay(job, token, rerunAt);
  }

  private async delay(job: Job, token: string | undefined, at: number): Promise<never> {
    await job.moveToDelayed(at, token);
    throw new DelayedError();
  }
}
