import type { NodeDriftReport } from './domain/drift-report';
import { DriftScanEntity } from './drift-scan.entity';

/** A history entry: what the scan found, without the full report. */
export function toScanView(scan: DriftScanEntity) {
  return {
    id: scan.id,
    node_id: scan.nodeId,
    trigger: scan.trigger,
    status: scan.status,
    has_drift: scan.status === 'drift',
    status_changed: scan.statusChanged,
    fingerprint: scan.fingerprint,
    summary: scan.summary,
    error: scan.error,
    checked_at: scan.checkedAt.toISOString(),
    duration_ms: scan.durationMs,
  };
}

export type ScanView = ReturnType<typeof toScanView>;

export function toScanDetailView(
  scan: DriftScanEntity,
  report: NodeDriftReport,
): ScanView & { report: NodeDriftReport } {
  return { ...toScanView(scan), report };
}
