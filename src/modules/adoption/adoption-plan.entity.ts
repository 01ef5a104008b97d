import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { AdoptionPlan } from './domain/adoption-plan';

/** An adoption dry run, kept so it can be applied as is while the node's state has not moved. */
@Entity({ tableName: 'adoption_plans' })
export class AdoptionPlanEntity {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid', index: true })
  nodeId!: string;

  @Property({ type: 'jsonb' })
  plan!: AdoptionPlan;

  /** planStateFingerprint of the desired and observed state the plan was made from. */
  @Property({ type: 'text' })
  fingerprint!: string;

  @Property({ type: 'text', nullable: true })
  requestedBy: string | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
