import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { JobsOptions, Queue } from 'bullmq';

export const DELIVERY_QUEUE = 'webhook-deliveries';
export const ALERT_RECHECK_QUEUE = 'webhook-alert-rechecks';

/**
 * Jobs are only a wake-up call: PostgreSQL holds the truth (pending deliveries, due rechecks), so a job lost
 * to a crash or a Redis flush is re-created by the sweeper. Job ids are stable, so adding one twice is a no-op.
 */
const JOB_OPTIONS: JobsOptions = { removeOnComplete: true, removeOnFail: true };

export interface DueDelivery {
  id: string;
  nextAttemptAt: Date | null;
}

@Injectable()
export class NotificationQueues {
  constructor(
    @InjectQueue(DELIVERY_QUEUE) private readonly deliveries: Queue,
    @InjectQueue(ALERT_RECHECK_QUEUE) private readonly rechecks: Queue,
  ) {}

  async enqueueDeliveries(due: readonly DueDelivery[]): Promise<void> {
    if (due.length === 0) return;
    await this.deliveries.addBulk(
      due.map((delivery) => ({
        name: 'deliver',
        data: { deliveryId: delivery.id },
        opts: { ...JOB_OPTIONS, jobId: delivery.id, delay: delayUntil(delivery.nextAttemptAt) },
      })),
    );
  }

  async enqueueRecheck(nodeId: string, at: Date): Promise<void> {
    await this.rechecks.add(
      'recheck',
      { nodeId },
      { ...JOB_OPTIONS, jobId: `recheck-${nodeId}`, delay: delayUntil(at) },
    );
  }
}

function delayUntil(at: Date | null): number {
  return at === null ? 0 : Math.max(0, at.getTime() - Date.now());
}
