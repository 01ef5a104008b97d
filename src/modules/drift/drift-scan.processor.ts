import { EntityManager } from '@mikro-orm/postgresql';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { Job, Queue } from 'bullmq';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { NodesStore } from '../nodes';
import { DriftScanner } from './drift-scanner.service';
import { plannedTickMs, scanDelayMs, scanJobId, scanSlot } from './scan-slots';

export const DRIFT_SCAN_QUEUE = 'drift-scan';
export const DRIFT_SCAN_SCHEDULER_ID = 'drift-scan-interval';
const TICK = 'tick';
const SCAN = 'scan';
/** A scan whose agent keeps failing transiently is stored as `unknown` after this many tries. */
const SCAN_ATTEMPTS = 3;
const SCAN_BACKOFF_MS = 1000;
const SCHEDULER_CHECK_MS = 10_000;

interface ScanJobData {
  nodeId: string;
  slot: number;
}

/**
 * Scheduled scans. One BullMQ Job Scheduler (shared by every panel instance through Redis) ticks once per
 * DRIFT_SCAN_INTERVAL_S; each tick enqueues one scan job per enabled node under an id made of node and
 * interval slot, so however many instances handle ticks, each node is scanned once per interval.
 */
@Processor(DRIFT_SCAN_QUEUE)
export class DriftScanProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly intervalMs: number;
  private readonly logger = new Logger(DriftScanProcessor.name);

  constructor(
    @InjectQueue(DRIFT_SCAN_QUEUE) private readonly queue: Queue,
    private readonly em: EntityManager,
    private readonly scanner: DriftScanner,
    private readonly nodeRecords: NodesStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
    this.intervalMs = config.driftScanIntervalS * 1000;
  }

  /** Installed at every start, so a Redis that lost its data (or a changed interval) is picked up. */
  async onApplicationBootstrap(): Promise<void> {
    this.worker.concurrency = this.config.driftScanConcurrency;
    await this.installScheduler();
  }

  /** Redis can lose the scheduler while the panel runs (a restart without persistence): put it back. */
  @Interval(SCHEDULER_CHECK_MS)
  async ensureScheduler(): Promise<void> {
    try {
      if (!(await this.queue.getJobScheduler(DRIFT_SCAN_SCHEDULER_ID))) await this.installScheduler();
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'drift scan scheduler check failed; retrying');
    }
  }

  private async installScheduler(): Promise<void> {
    // BullMQ keeps a scheduler's offset when its `every` changes, so after a longer interval the next tick could
    // be as far away as that interval (a day, for one): a changed interval gets a new scheduler instead.
    const installed = await this.queue.getJobScheduler(DRIFT_SCAN_SCHEDULER_ID);
    if (installed && Number(installed.every) !== this.intervalMs) {
      await this.queue.removeJobScheduler(DRIFT_SCAN_SCHEDULER_ID);
    }
    await this.queue.upsertJobScheduler(
      DRIFT_SCAN_SCHEDULER_ID,
      { every: this.intervalMs },
      { name: TICK, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
  }

  async process(job: Job): Promise<unknown> {
    if (job.name === TICK) return this.fanOut(job);
    if (job.name === SCAN) return this.scan(job as Job<ScanJobData>);
    return undefined;
  }

  private async fanOut(tick: Job): Promise<{ slot: number; nodes: number }> {
    const slot = scanSlot(
      plannedTickMs({ timestamp: tick.timestamp, delay: tick.opts.delay }),
      this.intervalMs,
    );
    const nodeIds = await this.nodeRecords.enabledIds(this.em.fork());
    // Kept a while after completion: a job id that still exists cannot be enqueued again.
    const keepS = Math.max(60, 2 * this.config.driftScanIntervalS);
    await this.queue.addBulk(
      nodeIds.map((nodeId) => ({
        name: SCAN,
        data: { nodeId, slot } satisfies ScanJobData,
        opts: {
          jobId: scanJobId(nodeId, slot),
          delay: scanDelayMs(nodeId, this.intervalMs),
          attempts: SCAN_ATTEMPTS,
          backoff: { type: 'exponential', delay: SCAN_BACKOFF_MS },
          removeOnComplete: { age: keepS },
          removeOnFail: { age: keepS },
        },
      })),
    );
    return { slot, nodes: nodeIds.length };
  }

  private async scan(job: Job<ScanJobData>): Promise<{ status: string } | null> {
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const report = await this.scanner.scanScheduled(job.data.nodeId, lastAttempt);
    return report && { status: report.status };
  }
}
