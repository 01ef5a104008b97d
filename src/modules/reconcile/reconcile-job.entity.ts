import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { ActorRef } from '@wgfleet/protocol';
import type { ReconcileResult } from '../node-apply/domain/plan-apply';
import type { ReconcileOptions, ReconcilePlan } from '../node-apply/domain/reconcile-plan';

export const RECONCILE_JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type ReconcileJobStatus = (typeof RECONCILE_JOB_STATUSES)[number];

/** `api`: someone asked; `auto`: self-heal after a scheduled scan found drift. */
export const RECONCILE_TRIGGERS = ['api', 'auto'] as const;
export type ReconcileTrigger = (typeof RECONCILE_TRIGGERS)[number];

/** One reconcile of one node: what was asked, what was planned, what happened. */
@Entity({ tableName: 'reconcile_jobs' })
@Index({ properties: ['nodeId', 'createdAt'] })
@Index({ properties: ['status'] })
export class ReconcileJobEntity {
  [OptionalProps]?:
    'status' | 'attempts' | 'plan' | 'result' | 'error' | 'startedAt' | 'finishedAt' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  nodeId!: string;

  @Property({ type: 'text' })
  status: ReconcileJobStatus = 'queued';

  @Property({ type: 'text' })
  trigger!: ReconcileTrigger;

  @Property({ type: 'jsonb' })
  options!: ReconcileOptions;

  @Property({ type: 'jsonb', nullable: true })
  plan: ReconcilePlan | null = null;

  @Property({ type: 'jsonb', nullable: true })
  result: ReconcileResult | null = null;

  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  @Property({ type: 'integer' })
  attempts: number = 0;

  /** Token id of who asked; null for self-heal and the bootstrap admin token. */
  @Property({ type: 'text', nullable: true })
  requestedBy: string | null = null;

  /** Who asked (docs/API.md, Actors); null on jobs from before jobs named their actor. */
  @Property({ type: 'jsonb', nullable: true })
  actor: ActorRef | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  startedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null = null;
}
