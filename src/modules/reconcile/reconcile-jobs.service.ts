import { EntityManager } from '@mikro-orm/postgresql';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { CommandContext } from '../../common/auth/auth.decorators';
import { EventStore } from '../events';
import { NodeEntity } from '../nodes';
import type { ReconcileOptions, ReconcilePlan } from '../node-apply/domain/reconcile-plan';
import { BACKOFF_TYPE, NODE_JOBS_QUEUE, NodeJobData } from '../node-jobs';
import { ReconcileJobEntity, ReconcileTrigger } from './reconcile-job.entity';
import { RECONCILE_REQUESTED, type ReconcileJobEvent } from './reconcile-job.events';

export const RECONCILE_JOB = 'reconcile';

/** Transient agent failures are retried this often, with capped exponential backoff, each with a fresh plan. */
const RECONCILE_ATTEMPTS = 6;
const RECONCILE_BACKOFF_MS = 1000;
const REQUEUE_CHECK_MS = 30_000;

export interface NewReconcileJob {
  node: NodeEntity;
  options: ReconcileOptions;
  trigger: ReconcileTrigger;
  /** A stored plan to apply as is (plan_id). */
  plan?: ReconcilePlan;
}

/** Creates reconcile jobs (row + event in the caller's transaction) and puts them on the node-jobs queue. */
@Injectable()
export class ReconcileJobs implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReconcileJobs.name);

  constructor(
    private readonly em: EntityManager,
    private readonly events: EventStore,
    @InjectQueue(NODE_JOBS_QUEUE) private readonly queue: Queue<NodeJobData>,
  ) {}

  /** Writes the job row and its reconcile.requested event; enqueue it once the transaction has committed. */
  async create(
    em: EntityManager,
    job: NewReconcileJob,
    context: CommandContext,
  ): Promise<ReconcileJobEntity> {
    const row = em.create(ReconcileJobEntity, {
      id: randomUUID(),
      nodeId: job.node.id,
      trigger: job.trigger,
      options: job.options,
      plan: job.plan ?? null,
      requestedBy: context.actorTokenId,
      actor: context.actor,
      createdAt: new Date(),
    });
    em.persist(row);
    await this.events.append<ReconcileJobEvent>(
      em,
      {
        aggregateType: 'reconcile_job',
        aggregateId: row.id,
        type: RECONCILE_REQUESTED,
        payload: {
          node_id: job.node.id,
          node_name: job.node.name,
          trigger: job.trigger,
          requested_by: context.actorTokenId,
          options: { ...job.options },
        },
      },
      0,
      context,
    );
    return row;
  }

  async enqueue(row: Pick<ReconcileJobEntity, 'id' | 'nodeId'>): Promise<void> {
    await this.queue.add(
      RECONCILE_JOB,
      { nodeId: row.nodeId, reconcileJobId: row.id },
      {
        jobId: `reconcile-${row.id}`,
        attempts: RECONCILE_ATTEMPTS,
        backoff: { type: BACKOFF_TYPE, delay: RECONCILE_BACKOFF_MS },
        removeOnComplete: true,
        removeOnFail: true,
      },
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.requeueLost();
  }

  /** Redis can lose its queues while the panel runs, too: look again every half minute. */
  @Interval(REQUEUE_CHECK_MS)
  async requeueLostPeriodically(): Promise<void> {
    await this.requeueLost().catch((error: Error) =>
      this.logger.warn({ err: error.message }, 'reconcile re-enqueue check failed; retrying'),
    );
  }

  /** Jobs PostgreSQL still owes but Redis lost (a restart, a flushed Redis) are put back on the queue. */
  private async requeueLost(): Promise<void> {
    const open = await this.em
      .fork()
      .find(
        ReconcileJobEntity,
        { status: { $in: ['queued', 'running'] } },
        { fields: ['id', 'nodeId'], orderBy: { createdAt: 'asc' } },
      );
    let requeued = 0;
    for (const row of open) {
      if (await this.queue.getJob(`reconcile-${row.id}`)) continue;
      await this.enqueue(row);
      requeued++;
    }
    if (requeued > 0) this.logger.log({ requeued }, 'reconcile jobs re-enqueued from PostgreSQL');
  }
}
