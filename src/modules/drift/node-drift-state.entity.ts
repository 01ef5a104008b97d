import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { DriftStatus } from '../../common/domain/drift-status';

/** Each node's latest scan outcome, kept in the scan's transaction so node listings read it in one query. */
@Entity({ tableName: 'node_drift_state' })
export class NodeDriftStateEntity {
  @PrimaryKey({ type: 'uuid' })
  nodeId!: string;

  @Property({ type: 'text' })
  status!: DriftStatus;

  @Property({ type: 'text', nullable: true })
  fingerprint: string | null = null;

  @Property({ type: 'uuid' })
  lastScanId!: string;

  @Property({ type: 'timestamptz' })
  lastScanAt!: Date;

  @Property({ type: 'timestamptz' })
  statusChangedAt!: Date;
}
