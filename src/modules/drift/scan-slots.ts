import { createHash } from 'node:crypto';

/** The scan interval a scheduled tick belongs to: ticks of every panel instance agree on it. */
export function scanSlot(firedAtMs: number, intervalMs: number): number {
  return Math.floor(firedAtMs / intervalMs);
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
