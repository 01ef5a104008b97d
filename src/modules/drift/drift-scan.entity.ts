import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { DriftStatus } from '../../common/domain/drift-status';
import type { DriftSummary } from './domain/drift-report';
import type { ScanTrigger } from './scan-listeners';

/** One stored drift scan of one node: the history behind `/api/drift/nodes/{id}/history`. */
@Entity({ tableName: 'drift_scans' })
@Index({
  name: 'drift_scans_node_history_index',
  expression:
    'create index "drift_scans_node_history_index" on "drift_scans" ("node_id", "checked_at" desc, "id" desc)',
})
@Index({ properties: ['checkedAt'] })
export class DriftScanEntity {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  nodeId!: string;

  @Property({ type: 'text' })
  trigger!: ScanTrigger;

  @Property({ type: 'text' })
  status!: DriftStatus;

  /** Set at write time when the node's status differs from its previous scan's: retention keeps these. */
  @Property({ type: 'boolean' })
  statusChanged!: boolean;

  @Property({ type: 'jsonb' })
  summary!: DriftSummary;

  @Property({ type: 'text', nullable: true })
  fingerprint: string | null = null;

  /** The stored report (drift_reports), shared with the node's earlier scans that found the same. */
  @Property({ type: 'uuid' })
  reportId!: string;

  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  @Property({ type: 'timestamptz' })
  checkedAt!: Date;

  @Property({ type: 'integer' })
  durationMs!: number;
}
