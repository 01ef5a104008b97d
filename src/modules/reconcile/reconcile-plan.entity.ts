import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { ReconcileOptions, ReconcilePlan } from '../node-apply/domain/reconcile-plan';

/** A dry run's plan, kept so it can be applied as is while the state it was made from has not moved. */
@Entity({ tableName: 'reconcile_plans' })
export class ReconcilePlanEntity {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid', index: true })
  nodeId!: string;

  @Property({ type: 'jsonb' })
  options!: ReconcileOptions;

  @Property({ type: 'jsonb' })
  plan!: ReconcilePlan;

  /** planStateFingerprint of the desired and observed state the plan was made from. */
  @Property({ type: 'text' })
  fingerprint!: string;

  @Property({ type: 'text', nullable: true })
  requestedBy: string | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
