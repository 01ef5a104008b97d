import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { NotificationQueues } from './notification-queues';
import { NodeAlertStateEntity } from './node-alert-state.entity';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';

const SWEEP_INTERVAL_MS = 30_000;
/** Rows per sweep; a bigger backlog is taken in the following sweeps, soonest due first. */
const SWEEP_BATCH = 1000;

/**
 * Re-enqueues what PostgreSQL says is still to do: pending deliveries and held-back alerts. Runs at start and
 * every 30 s, so nothing is lost to a crash between a commit and its enqueue, or to a Redis flush. Enqueueing
 * a job that already exists is a no-op, so several panels may sweep at once.
 */
@Injectable()
export class OutboxSweeper implements OnApplicationBootstrap {
  private readonly logger = new Logger(OutboxSweeper.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly queues: NotificationQueues,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sweep();
  }

  @Interval(SWEEP_INTERVAL_MS)
  async sweep(): Promise<void> {
    try {
      const em = this.orm.em.fork();
      const pending = await em.find(
        WebhookDeliveryEntity,
        { status: 'pending' },
        { fields: ['id', 'nextAttemptAt'], orderBy: { nextAttemptAt: 'asc' }, limit: SWEEP_BATCH },
      );
      await this.queues.enqueueDeliveries(pending);
      const held = await em.find(
        NodeAlertStateEntity,
        { recheckAt: { $ne: null } },
        { fields: ['nodeId', 'recheckAt'], orderBy: { recheckAt: 'asc' }, limit: SWEEP_BATCH },
      );
      for (const row of held) if (row.recheckAt) await this.queues.enqueueRecheck(row.nodeId, row.recheckAt);
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'webhook outbox sweep failed; retrying next round');
    }
  }
}
