/** A node's state as its latest scan found it: shown by nodes, set by drift, counted by metrics. */
export const DRIFT_STATUSES = ['in_sync', 'drift', 'unknown'] as const;
export type DriftStatus = (typeof DRIFT_STATUSES)[number];
