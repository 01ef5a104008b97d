import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { APP_CONFIG, AppConfig } from '../../config/app-config';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes history older than DRIFT_HISTORY_DAYS, hourly, in one transaction per round; a subclass says what
 * goes (`pruneBefore`). Every panel instance may prune: deleting twice is harmless.
 */
export abstract class HistoryPruner<Deleted extends Record<string, number>> {
  private readonly logger = new Logger(this.constructor.name);

  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** What this pruner keeps, for its log lines. */
  protected abstract readonly history: string;

  /** Deletes what is older than `cutoff`; answers how many rows went, by kind. */
  protected abstract pruneBefore(em: EntityManager, cutoff: Date): Promise<Deleted>;

  /** How long this history is kept. */
  protected keepDays(config: AppConfig): number {
    return config.driftHistoryDays;
  }

  async prune(now: Date = new Date()): Promise<Deleted> {
    const cutoff = new Date(now.getTime() - this.keepDays(this.config) * DAY_MS);
    return this.em.fork().transactional((em) => this.pruneBefore(em, cutoff));
  }

  /** One scheduled round (per subclass): logs what went, and never throws (the next round tries again). */
  @Cron(CronExpression.EVERY_HOUR)
  async pruneOnSchedule(): Promise<void> {
    try {
      const deleted = await this.prune();
      if (Object.values(deleted).some((count) => count > 0))
        this.logger.log(deleted, `${this.history} pruned`);
    } catch (error) {
      this.logger.warn(
        { err: (error as Error).message },
        `${this.history} pruning failed; the next round tries again`,
      );
    }
  }
}
