import { createHash } from 'node:crypto';

/** The scan interval a scheduled tick belongs to: ticks of every panel instance agree on it. */
export function scanSlot(firedAtMs: number, intervalMs: number): number {
  return Math.floor(firedAtMs / intervalMs);
}

/**
 * When a scheduler tick was planned to fire: BullMQ plans a scheduler's ticks exactly one interval apart, so
 * consecutive ticks always fall into consecutive slots. A tick's creation time is no substitute: it is
 * created while the previous tick is processed, so two ticks can be created within one slot, and the second
 * tick's scans would then be refused as repeats of the first's, leaving the fleet unscanned for an interval.
 */
export function plannedTickMs(tick: { timestamp: number; delay?: number }): number {
  return tick.timestamp + (tick.delay ?? 0);
}

/** One job id per node and interval: a second enqueue of the same scan is a no-op in BullMQ. */
export function scanJobId(nodeId: string, slot: number): string {
  return `scan-${nodeId}-${slot}`;
}

/** Scans of a fleet are spread over at most this share of the interval, and never more than a minute. */
const SPREAD_SHARE = 0.5;
const MAX_SPREAD_MS = 60_000;

/**
 * How long after the tick a node's scan starts: stable per node (so its scans stay one interval apart) and
 * spread evenly over the fleet, so a large fleet's agents and the database are not all asked at once.
 */
export function scanDelayMs(nodeId: string, intervalMs: number): number {
  const window = Math.min(Math.floor(intervalMs * SPREAD_SHARE), MAX_SPREAD_MS);
  if (window <= 0) return 0;
  return createHash('sha256').update(nodeId).digest().readUInt32BE(0) % window;
}
