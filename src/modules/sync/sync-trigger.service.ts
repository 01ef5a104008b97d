import { InjectQueue } from '@nestjs/bullmq';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { RedisConnection } from '../../common/redis/redis.module';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ClusterReader } from '../clusters';
import { BACKOFF_TYPE, NODE_JOBS_QUEUE, NodeJobData } from '../node-jobs';
import { DebounceState } from './domain/sync-scope';
import { SyncStore } from './sync.store';

export const SYNC_JOB = 'sync';

/** An unreachable agent is retried this often (capped exponential backoff), then by the periodic sweep. */
const SYNC_ATTEMPTS = 20;
const SYNC_BACKOFF_MS = 500;
const SWEEP_INTERVAL_MS = 30_000;
const DEBOUNCE_TTL_S = 86_400;

/**
 * Turns committed desired-state changes into one debounced sync job per node (jobId `sync-<node>`, never
 * added twice while pending). Change times live in Redis so every panel instance sees the same burst; a
 * `dirty` mark tells a running job that more changes arrived meanwhile.
 */
@Injectable()
export class SyncTrigger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SyncTrigger.name);
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly em: EntityManager,
    private readonly redis: RedisConnection,
    private readonly store: SyncStore,
    @InjectQueue(NODE_JOBS_QUEUE) private readonly queue: Queue<NodeJobData>,
    private readonly clusters: ClusterReader,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * A change to a node's desired state, or to a cluster's peers (told with the cluster's id): every member of
   * the cluster carries them, so each gets its own sync.
   */
  async desiredStateChanged(id: string): Promise<void> {
    const em = this.em.fork();
    const nodeIds = (await this.clusters.find(em, id)) ? await this.clusters.nodeIdsOf(em, id) : [id];
    for (const nodeId of nodeIds) await this.changed(nodeId);
  }

  /** On start-up and then periodically: nodes with pending work get a sync (a no-op if one is queued). */
  async onApplicationBootstrap(): Promise<void> {
    const sweep = () =>
      this.sweep().catch((error: Error) => this.logger.warn({ err: error.message }, 'sync sweep failed'));
    await sweep();
    this.sweepTimer = setInterval(() => void sweep(), SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
    // A Redis that comes back may have lost the queued and delayed syncs (one without persistence loses them
    // all): sweeping as soon as it is back restores them now rather than at the next interval.
    this.redis.client.on('ready', () => void sweep());
  }

  onApplicationShutdown(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
  }

  /**
   * Records the change time and marks the node dirty, in one script that also says whether the node's sync
   * job exists and whether it is running. Adding a job whose id exists does nothing in BullMQ, so it is added
   * only when there is none: a burst of changes costs one Redis call each, not two. A running job may already
   * have checked for changes made during its run and be about to finish, so a change then gets a follow-up job
   * (waiting on the node's lock behind it) rather than waiting for the sweep.
   */
  async changed(nodeId: string): Promise<void> {
    const job = syncJobId(nodeId);
    const state = await this.redis.client.eval(
      MARK_CHANGED,
      3,
      this.debounceKey(nodeId),
      this.queue.toKey(job),
      this.queue.toKey('active'),
      Date.now(),
      DEBOUNCE_TTL_S,
      job,
    );
    if (state === JOB_RUNNING) await this.enqueue(nodeId, this.config.applyDebounceMs, followUpJobId(nodeId));
    else if (state !== JOB_WAITING) await this.enqueue(nodeId, this.config.applyDebounceMs);
  }

  async enqueue(nodeId: string, delayMs: number, jobId = syncJobId(nodeId)): Promise<void> {
    await this.queue.add(
      SYNC_JOB,
      { nodeId },
      {
        jobId,
        delay: delayMs,
        attempts: SYNC_ATTEMPTS,
        backoff: { type: BACKOFF_TYPE, delay: SYNC_BACKOFF_MS },
        removeOnComplete: true,
        removeOnFail: true,
      },
    );
  }

  async debounceState(nodeId: string): Promise<DebounceState> {
    const [first, last] = await this.redis.client.hmget(this.debounceKey(nodeId), 'first', 'last');
    return { firstChangeAt: first ? Number(first) : null, lastChangeAt: last ? Number(last) : null };
  }

  /** A run picks up every change so far: later ones mark the node dirty again. */
  async startRun(nodeId: string): Promise<void> {
    await this.redis.client.hdel(this.debounceKey(nodeId), 'first', 'dirty');
  }

  async changedSinceRunStarted(nodeId: string): Promise<boolean> {
    return (await this.redis.client.hexists(this.debounceKey(nodeId), 'dirty')) === 1;
  }

  private async sweep(): Promise<void> {
    for (const nodeId of await this.store.nodesWithPendingWork(this.em.fork())) await this.enqueue(nodeId, 0);
  }

  private debounceKey(nodeId: string): string {
    return `${this.queue.opts.prefix ?? 'bull'}:${NODE_JOBS_QUEUE}:sync-debounce:${nodeId}`;
  }
}

function syncJobId(nodeId: string): string {
  return `sync-${nodeId}`;
}

function followUpJobId(nodeId: string): string {
  return `sync-${nodeId}-next`;
}

const JOB_WAITING = 1;
const JOB_RUNNING = 2;

/**
 * KEYS: the node's debounce hash, its sync job, the queue's active list. ARGV: now (ms), the hash's time to
 * live (s), the sync job's id. Answers 0 (no sync job), JOB_WAITING (waiting or delayed) or JOB_RUNNING.
 */
const MARK_CHANGED = `
  redis.call('hset', KEYS[1], 'last', ARGV[1], 'dirty', '1')
  redis.call('hsetnx', KEYS[1], 'first', ARGV[1])
  redis.call('expire', KEYS[1], ARGV[2])
  if redis.call('exists', KEYS[2]) == 0 then return 0 end
  if redis.call('lpos', KEYS[3], ARGV[3]) then return ${JOB_RUNNING} end
  return ${JOB_WAITING}`;
