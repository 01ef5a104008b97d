/** Transfer totals of one peer as the activity record keeps them (see accumulateTransfer). */
export interface CounterTotals {
  lastRx: number;
  lastTx: number;
  totalRx: number;
  totalTx: number;
}

export interface UsageDelta {
  peerId: string;
  rx: number;
  tx: number;
}

/**
 * The bytes a scan adds to a peer's usage: the growth of its running totals, which already count a reset
 * counter from zero. A first sighting counts the whole counter: the panel put the peer there, so all of it
 * is the peer's traffic. Null when nothing moved.
 */
export function usageDelta(
  peerId: string,
  previous: CounterTotals | null,
  next: CounterTotals,
): UsageDelta | null {
  const rx = next.totalRx - (previous?.totalRx ?? 0);
  const tx = next.totalTx - (previous?.totalTx ?? 0);
  return rx > 0 || tx > 0 ? { peerId, rx, tx } : null;
}

/**
 * A peer no longer on its node (suspended, disabled, interface re-created) loses its counters there: when it
 * comes back they start from zero, so the last readings must too, or its first bytes would look already
 * counted. Null when there is nothing to forget.
 */
export function forgetCounters<T extends CounterTotals>(previous: T): T | null {
  if (previous.lastRx === 0 && previous.lastTx === 0) return null;
  return { ...previous, lastRx: 0, lastTx: 0 };
}
