import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { NodeAlertState } from './domain/alert-transitions';

/**
 * What subscribers were last told about a node, plus the latest scan, so a held-back alert can still be sent
 * from it when the hold window ends. Kept when a node is deleted: it is small and harmless.
 */
@Entity({ tableName: 'node_alert_state' })
export class NodeAlertStateEntity {
  @PrimaryKey({ type: 'uuid' })
  nodeId!: string;

  /** Null until the first scan has been judged. */
  @Property({ type: 'jsonb', nullable: true })
  state!: NodeAlertState | null;

  @Property({ type: 'text' })
  nodeName!: string;

  @Property({ type: 'text', nullable: true })
  lastScanId!: string | null;

  @Property({ type: 'jsonb', nullable: true })
  lastSummary!: Record<string, string | number | boolean | null> | null;

  @Property({ type: 'timestamptz', nullable: true })
  lastCheckedAt!: Date | null;

  /** When a held-back alert is due for another look; null = nothing held back. */
  @Property({ type: 'timestamptz', nullable: true })
  recheckAt!: Date | null;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}
