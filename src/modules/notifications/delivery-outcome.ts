import { nextAttemptDelayMs } from '../../common/domain/retry-schedule';

/** What one HTTP attempt produced; `statusCode` is absent when no answer came (refused, timed out, bad URL). */
export interface AttemptResult {
  statusCode?: number;
  retryAfter?: string | null;
  durationMs: number;
  responseExcerpt: string | null;
  error: string | null;
}

export type AttemptOutcome =
  | { kind: 'delivered' }
  /** 410 Gone: the receiver asks never to be called again, so the subscription is disabled. */
  | { kind: 'gone' }
  | { kind: 'retry'; at: Date }
  /** The retry schedule is used up. */
  | { kind: 'exhausted' };

/**
 * Judges an attempt after `attemptsMade` attempts (this one included). Only a 2xx delivers: redirects are not
 * followed, as they could lead to an address the URL guard never checked.
 */
export function attemptOutcome(
  result: Pick<AttemptResult, 'statusCode' | 'retryAfter'>,
  schedule: readonly number[],
  attemptsMade: number,
  now: number = Date.now(),
  random: () => number = Math.random,
): AttemptOutcome {
  const status = result.statusCode;
  if (status !== undefined && status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 410) return { kind: 'gone' };
  const delayMs = nextAttemptDelayMs(
    schedule,
    attemptsMade,
    { status, retryAfter: result.retryAfter },
    random,
    now,
  );
  return delayMs === null ? { kind: 'exhausted' } : { kind: 'retry', at: new Date(now + delayMs) };
}

export const RESPONSE_EXCERPT_BYTES = 1024;

/** At most 1 KB of a response body as text, never ending in half a UTF-8 character; null when empty. */
export function responseExcerpt(body: Buffer): string | null {
  if (body.length === 0) return null;
  // Streaming mode holds back an incomplete trailing character instead of emitting U+FFFD for it.
  return new TextDecoder('utf-8').decode(body.subarray(0, RESPONSE_EXCERPT_BYTES), { stream: true });
}
