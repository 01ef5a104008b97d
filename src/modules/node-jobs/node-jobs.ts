import { Job } from 'bullmq';
import { gatherTopic } from '../../common/reactions';

/** One queue for every job that changes a node (reconcile and sync), so they share the per-node lock. */
export const NODE_JOBS_QUEUE = 'node-jobs';

export interface NodeJobData {
  nodeId: string;
  /** Reconcile jobs: the reconcile_jobs row this job runs. */
  reconcileJobId?: string;
}

/** `done`, or run the same job again at `rerunAt` (ms since epoch), e.g. because more changes arrived. */
export type NodeJobOutcome = { rerunAt: number | null };

export interface NodeJobHandler {
  /** Before the lock is taken: a time to wait until (debouncing), or null to go ahead now. */
  deferUntil?(job: Job<NodeJobData>): Promise<number | null>;
  /**
   * Runs while the node's lock is held. Throwing lets BullMQ retry with backoff (transient failures);
   * a handler records terminal failures itself and returns.
   */
  run(job: Job<NodeJobData>): Promise<NodeJobOutcome>;
}

/** The handler of the jobs named `name`. */
export interface NamedNodeJobHandler {
  name: string;
  handler: NodeJobHandler;
}

/** The reconcile and sync modules contribute their job handlers at start-up. */
export const NODE_JOB_HANDLERS = gatherTopic<NamedNodeJobHandler>('node-jobs.handlers');

/**
 * How the node-jobs worker holds its jobs. A job whose panel died stays active until its lock expires and a
 * stalled-job check finds it: the takeover takes lockDuration minus the lock's age, plus up to one
 * stalledInterval (BullMQ's defaults, 30 s each, made it about a minute; these, 7 to 9 s). Each worker renews
 * the locks of all its running jobs in one call every lockRenewTime, and the stalled check runs once per
 * stalledInterval across all panels (a Redis key guards it): about two calls a second per panel. A running
 * job keeps its lock while its panel's event loop is never held for about lockDuration - lockRenewTime
 * (7 s) in all: a 20,000-peer job holds it for 2 to 4 s at a time (reading its peers as entities) on a loaded
 * 2-core machine, and two such stretches back to back have cost a job its lock. That does no harm: the node's
 * advisory lock keeps the second run off the node, which then finds the work done; and a job may stall twice
 * before BullMQ fails it (a crash, then a slow moment).
 */
export const NODE_JOBS_WORKER_OPTIONS = {
  lockDuration: 8_000,
  lockRenewTime: 1_000,
  stalledInterval: 1_000,
  maxStalledCount: 2,
} as const;

export const BACKOFF_TYPE = 'capped-exponential';
export const MAX_BACKOFF_MS = 30_000;

/** Exponential backoff from the job's base delay, capped so a node coming back is served within half a minute. */
export function cappedExponentialBackoff(
  attemptsMade: number,
  baseMs: number,
  maxMs = MAX_BACKOFF_MS,
): number {
  const exponential = baseMs * 2 ** Math.max(0, attemptsMade - 1);
  return Math.min(maxMs, exponential);
}

/** True when a failing attempt was the job's last one, so the handler must record the failure itself. */
export function isLastAttempt(job: Job): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}
