const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Delays before retries 1, 2, ...: a webhook is tried 10 times over about 3.6 days. */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  5 * SECOND_MS,
  5 * MINUTE_MS,
  30 * MINUTE_MS,
  2 * HOUR_MS,
  5 * HOUR_MS,
  10 * HOUR_MS,
  14 * HOUR_MS,
  20 * HOUR_MS,
  24 * HOUR_MS,
];

/** A receiver asking for more than this via Retry-After is retried after this instead. */
export const MAX_RETRY_AFTER_MS = DAY_MS;
/** Longest single delay a configured schedule may hold; longer is almost surely a typo. */
export const MAX_SCHEDULED_DELAY_MS = 7 * DAY_MS;
/** Spread of retries around the scheduled delay, so many failed deliveries do not retry in lockstep. */
export const RETRY_JITTER = 0.2;

const UNIT_MS: Record<string, number> = { ms: 1, s: SECOND_MS, m: MINUTE_MS, h: HOUR_MS, d: DAY_MS };

/** Parses a schedule such as "5s,5m,30m,2h" (units ms, s, m, h, d) into delays in milliseconds. */
export function parseRetrySchedule(text: string): number[] {
  const entries = text.split(',').map((entry) => entry.trim());
  if (entries.every((entry) => entry === '')) {
    throw new Error('retry schedule is empty: list delays such as "5s,5m,30m,2h"');
  }
  return entries.map((entry, index) => {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(entry);
    const where = `retry schedule entry ${index + 1} ("${entry}")`;
    if (!match) throw new Error(`${where} is not a number with a unit ms, s, m, h or d, e.g. "30s" or "2h"`);
    const delayMs = Math.round(Number(match[1]) * UNIT_MS[match[2]]);
    if (delayMs <= 0) throw new Error(`${where} must be longer than zero`);
    if (delayMs > MAX_SCHEDULED_DELAY_MS) throw new Error(`${where} is longer than the maximum of 7d`);
    return delayMs;
  });
}

export interface FailedAttempt {
  /** HTTP status of the failed attempt; absent for network errors and timeouts. */
  status?: number;
  /** The Retry-After header: delay in seconds or an HTTP date. */
  retryAfter?: string | null;
}

/**
 * Delay before the next attempt after `attemptsMade` attempts (the first delivery included) have failed, or
 * null when the schedule is used up. The scheduled delay gets ±20 % jitter; on 429 and 503 a valid Retry-After
 * is used instead, capped at 24 h.
 */
export function nextAttemptDelayMs(
  schedule: readonly number[],
  attemptsMade: number,
  failed: FailedAttempt = {},
  random: () => number = Math.random,
  now: number = Date.now(),
): number | null {
  if (!Number.isInteger(attemptsMade) || attemptsMade < 1) {
    throw new RangeError(`attemptsMade must be a whole number of at least 1, got ${attemptsMade}`);
  }
  if (attemptsMade > schedule.length) return null;
  const retryAfterMs =
    failed.status === 429 || failed.status === 503 ? parseRetryAfterMs(failed.retryAfter, now) : null;
  if (retryAfterMs !== null) return Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
  const scheduled = schedule[attemptsMade - 1];
  return Math.round(scheduled * (1 + RETRY_JITTER * (2 * random() - 1)));
}

/** Milliseconds from `now` a Retry-After value asks to wait; null when absent or unreadable. */
export function parseRetryAfterMs(value: string | null | undefined, now: number): number | null {
  const text = value?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text) * SECOND_MS;
  // HTTP dates start with a day name; this keeps Date.parse's leniency ("1.5", "-3") from reading numbers as dates.
  const date = /^[A-Za-z]{3,9},? /.test(text) ? Date.parse(text) : NaN;
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
