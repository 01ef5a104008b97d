import { ApiProperty } from '@nestjs/swagger';
import { DRIFT_STATUSES, DriftStatus } from '../../common/domain/drift-status';
import { NodeDriftReport } from './domain/drift-report';
import { DriftSummaryView, NodeDriftReportView } from './drift-report-view';
import { DriftScanEntity } from './drift-scan.entity';
import { SCAN_TRIGGERS, ScanTrigger } from './scan-listeners';

/** A history entry: what the scan found, without the full report. */
export class ScanView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  node_id!: string;

  @ApiProperty({ enum: SCAN_TRIGGERS, enumName: 'ScanTrigger' })
  trigger!: ScanTrigger;

  @ApiProperty({ enum: DRIFT_STATUSES, enumName: 'DriftStatus' })
  status!: DriftStatus;

  @ApiProperty()
  has_drift!: boolean;

  @ApiProperty({ description: "Whether the node's status differs from its previous scan's" })
  status_changed!: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Of the drift found; equal fingerprints, equal drift',
  })
  fingerprint!: string | null;

  @ApiProperty({ type: DriftSummaryView })
  summary!: DriftSummaryView;

  @ApiProperty({ type: String, nullable: true })
  error!: string | null;

  @ApiProperty({ format: 'date-time' })
  checked_at!: string;

  @ApiProperty()
  duration_ms!: number;
}

/** One stored scan with its full report. */
export class ScanDetailView extends ScanView {
  @ApiProperty({ type: NodeDriftReportView })
  report!: NodeDriftReportView;
}

export function toScanView(scan: DriftScanEntity): ScanView {
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

export function toScanDetailView(scan: DriftScanEntity, report: NodeDriftReport): ScanDetailView {
  return { ...toScanView(scan), report };
}
