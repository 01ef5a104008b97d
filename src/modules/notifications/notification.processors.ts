import { Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError, Job } from 'bullmq';
import { DriftAlertListener } from './drift-alert.listener';
import { ALERT_RECHECK_QUEUE, DELIVERY_QUEUE } from './notification-queues';
import { WebhookDeliverer } from './webhook-deliverer.service';

/** Puts the job back to sleep under the same id, so a delivery is always exactly one job. */
async function sleepUntil(job: Job, at: Date | null, token: string | undefined): Promise<void> {
  if (at === null) return;
  await job.moveToDelayed(at.getTime(), token);
  throw new DelayedError();
}

/** Deliveries wait on receivers, not on CPU: many may be in flight at once. */
@Processor(DELIVERY_QUEUE, { concurrency: 16 })
export class DeliveryProcessor extends WorkerHost {
  constructor(private readonly deliverer: WebhookDeliverer) {
    super();
  }

  async process(job: Job<{ deliveryId: string }>, token?: string): Promise<void> {
    await sleepUntil(job, await this.deliverer.attempt(job.data.deliveryId), token);
  }
}

@Processor(ALERT_RECHECK_QUEUE)
export class AlertRecheckProcessor extends WorkerHost {
  constructor(private readonly listener: DriftAlertListener) {
    super();
  }

  async process(job: Job<{ nodeId: string }>, token?: string): Promise<void> {
    await sleepUntil(job, await this.listener.recheck(job.data.nodeId), token);
  }
}
