import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { Queue } from 'bullmq';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { EnforcementResult, PeerEnforcer } from './peer-enforcer.service';

export const PEER_LIFECYCLE_QUEUE = 'peer-lifecycle';
const SCHEDULER_ID = 'peer-enforcement-interval';
const SCHEDULER_CHECK_MS = 10_000;

/**
 * The enforcement pass on a BullMQ Job Scheduler shared by every panel instance through Redis: one job per
 * PEER_ENFORCEMENT_INTERVAL_S, taken by one worker, so the fleet is enforced once per interval however many
 * instances run. Each peer's change is also guarded by its version, so an overlapping pass changes nothing twice.
 */
@Processor(PEER_LIFECYCLE_QUEUE)
export class PeerEnforcementProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(PeerEnforcementProcessor.name);

  constructor(
    @InjectQueue(PEER_LIFECYCLE_QUEUE) private readonly queue: Queue,
    private readonly enforcer: PeerEnforcer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.installScheduler();
  }

  /** Redis can lose the scheduler while the panel runs (a restart without persistence): put it back. */
  @Interval(SCHEDULER_CHECK_MS)
  async ensureScheduler(): Promise<void> {
    try {
      if (!(await this.queue.getJobScheduler(SCHEDULER_ID))) await this.installScheduler();
    } catch (error) {
      this.logger.warn(
        { err: (error as Error).message },
        'peer enforcement scheduler check failed; retrying',
      );
    }
  }

  private async installScheduler(): Promise<void> {
    await this.queue.upsertJobScheduler(
      SCHEDULER_ID,
      { every: this.config.peerEnforcementIntervalS * 1000 },
      { name: 'enforce', opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
  }

  process(): Promise<EnforcementResult> {
    return this.enforcer.enforce();
  }
}
