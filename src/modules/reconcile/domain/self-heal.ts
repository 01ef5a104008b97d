import type { AutoReconcileMode } from '../../nodes';
import { ReconcileOptions, reconcileOptions } from '../../node-apply/domain/reconcile-plan';

/** `safe` repairs missing, mismatched and orphaned peers; `full` also removes peers the panel never managed. */
export function autoReconcileOptions(mode: Exclude<AutoReconcileMode, 'off'>): ReconcileOptions {
  return reconcileOptions({
    reconcile_missing: true,
    reconcile_mismatched: true,
    remove_orphaned: true,
    remove_unknown: mode === 'full',
    mode: 'batch',
  });
}

export interface AutoReconcileHistory {
  /** The latest self-heal job of the node, if any. */
  lastRequestedAt: Date | null;
  /** Its latest self-heal jobs that failed in a row, newest first. */
  consecutiveFailures: number;
  /** A self-heal or manual job of the node is still queued or running. */
  hasOpenJob: boolean;
}

/** Failures double the wait, up to this many times (64 × the minimum interval). */
const MAX_DOUBLINGS = 6;

/** At most one self-heal per node per minimum interval, doubling the wait after each failure in a row. */
export function autoReconcileDue(history: AutoReconcileHistory, now: Date, minIntervalS: number): boolean {
  if (history.hasOpenJob) return false;
  if (!history.lastRequestedAt) return true;
  const waitMs = minIntervalS * 1000 * 2 ** Math.min(history.consecutiveFailures, MAX_DOUBLINGS);
  return now.getTime() - history.lastRequestedAt.getTime() >= waitMs;
}

/** How many of the given statuses (newest first) are failures before the first non-failure. */
export function leadingFailures(statuses: readonly string[]): number {
  const firstOther = statuses.findIndex((status) => status !== 'failed');
  return firstOther === -1 ? statuses.length : firstOther;
}
