import { setTimeout as delay } from 'node:timers/promises';

/**
 * One round of a poll loop; answers true when there is more to fetch at once (a full page), so the loop asks
 * again without waiting.
 */
export type PollRound = () => Promise<boolean | void>;

/**
 * Runs `round` every `intervalMs` until Ctrl-C or SIGTERM (for `--watch` and `--follow`). A watch can run for
 * days, so nothing may pile up per round: each wait removes its abort listener when it ends, and the signal
 * handlers are added once for the whole loop.
 */
export async function pollUntilInterrupted(intervalMs: number, round: PollRound): Promise<void> {
  const stopped = new AbortController();
  const stop = () => stopped.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    while (!stopped.signal.aborted) {
      const more = await round();
      if (!more) await pause(intervalMs, stopped.signal);
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/** Waits `ms`, or less when `stop` aborts first. */
export async function pause(ms: number, stop: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal: stop }).catch((error: unknown) => {
    if (!stop.aborted) throw error;
  });
}
