import { Logger } from '@nestjs/common';

/**
 * Runs one scheduled pruning round: logs what it deleted (when anything) and never throws, since a failed
 * round is simply retried by the next one. Every panel instance may prune: deleting twice is harmless.
 */
export async function pruneOnSchedule<R extends Record<string, number>>(
  logger: Logger,
  what: string,
  prune: () => Promise<R>,
): Promise<void> {
  try {
    const deleted = await prune();
    if (Object.values(deleted).some((count) => count > 0)) logger.log(deleted, `${what} pruned`);
  } catch (error) {
    logger.warn({ err: (error as Error).message }, `${what} pruning failed; the next round tries again`);
  }
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The moment before which history kept for `days` days may go. */
export function historyCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}
