import { performance } from 'node:perf_hooks';

/**
 * The longest time the event loop was held, measured by a timer's lateness: what a BullMQ lock renewal
 * (a timer too) would have waited. `take` answers the longest stall since the previous `take`.
 */
export function watchEventLoopStalls(tickMs = 10): { take(): number; stop(): void } {
  let longest = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last - tickMs);
    last = now;
  }, tickMs);
  return {
    take() {
      const value = longest;
      longest = 0;
      return value;
    },
    stop: () => clearInterval(timer),
  };
}
