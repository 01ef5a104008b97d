import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { ActivePeers, CounterSample, TrafficReading } from './domain/gates';
import type { RolloutDirection, RolloutStatus } from './domain/rollout-state';

/**
 * `template`: the nodes pin a template version (rolling back pins their previous one again); `reconcile`:
 * every node to its desired state as it is now (a bulk reconcile, gated wave by wave; nothing to roll back to).
 */
export const ROLLOUT_KINDS = ['template', 'reconcile'] as const;
export type RolloutKind = (typeof ROLLOUT_KINDS)[number];

export const WAVE_STATUSES = ['pending', 'applying', 'baking', 'passed', 'halted', 'rolled_back'] as const;
export type WaveStatus = (typeof WAVE_STATUSES)[number];

/** The gates of a wave: docs/OPERATIONS.md, Rollouts. */
export const GATES = ['plan', 'sync', 'agent', 'traffic'] as const;
export type Gate = (typeof GATES)[number];

export interface GateCheck {
  verdict: 'pass' | 'fail' | 'pending';
  detail: string;
}

export interface WaveGates {
  sync: GateCheck;
  agent: GateCheck;
  traffic: TrafficReading | null;
}

export interface RolloutWave {
  index: number;
  node_ids: string[];
  status: WaveStatus;
  gates: WaveGates | null;
  started_at: string | null;
  passed_at: string | null;
}

export interface RolloutHalt {
  wave: number;
  node_id?: string;
  gate: Gate;
  reason: string;
  at: string;
}

export interface RolloutOptions {
  bake_s: number;
  min_traffic_retention: number;
}

/** Where the runner is in the current wave. */
export type RolloutPhase = 'baseline' | 'apply' | 'verify' | 'bake';

/** What the runner carries from one step of a wave to the next; stored, so another panel can go on. */
export interface WaveProgress {
  /** The first baseline sample of each node. */
  first: Record<string, CounterSample>;
  active: ActivePeers;
  /** Whether `active` holds the counters of the bake's start (the reference for traffic after the change). */
  rebased?: boolean;
  /** Active peers seen passing traffic since the change. */
  retained: string[];
}

/**
 * A rollout: the change, its waves and where it is. The runner advances it one step at a time under a lease,
 * so it survives a restart and another panel instance carries it on. `rev` is MikroORM's optimistic lock:
 * an operator's command and the runner never overwrite each other's step.
 */
@Entity({ tableName: 'rollouts' })
@Index({ properties: ['status'] })
export class RolloutEntity {
  [OptionalProps]?:
    | 'direction'
    | 'templateId'
    | 'templateVersion'
    | 'cursor'
    | 'order'
    | 'phase'
    | 'phaseStartedAt'
    | 'progress'
    | 'halt'
    | 'eventVersion'
    | 'rev'
    | 'leaseOwner'
    | 'leaseUntil'
    | 'createdAt'
    | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  kind!: RolloutKind;

  /** What a template rollout pins. */
  @Property({ type: 'uuid', nullable: true })
  templateId: string | null = null;

  @Property({ type: 'integer', nullable: true })
  templateVersion: number | null = null;

  @Property({ type: 'text' })
  status!: RolloutStatus;

  @Property({ type: 'text' })
  direction: RolloutDirection = 'forward';

  @Property({ type: 'jsonb' })
  options!: RolloutOptions;

  @Property({ type: 'jsonb' })
  waves!: RolloutWave[];

  /** The wave indexes the current direction goes through, and the position in them. */
  @Property({ type: 'jsonb' })
  order: number[] = [];

  @Property({ type: 'integer' })
  cursor: number = 0;

  @Property({ type: 'text', nullable: true })
  phase: RolloutPhase | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  phaseStartedAt: Date | null = null;

  @Property({ type: 'jsonb', nullable: true })
  progress: WaveProgress | null = null;

  @Property({ type: 'jsonb', nullable: true })
  halt: RolloutHalt | null = null;

  /** The version of the rollout's event stream. */
  @Property({ type: 'integer' })
  eventVersion: number = 0;

  @Property({ type: 'integer', version: true })
  rev: number = 1;

  @Property({ type: 'text', nullable: true })
  leaseOwner: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  leaseUntil: Date | null = null;

  @Property({ type: 'text', nullable: true })
  requestedBy: string | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

export const ROLLOUT_NODE_STATUSES = [
  'pending',
  'applying',
  'applied',
  'failed',
  'rolling_back',
  'rolled_back',
] as const;
export type RolloutNodeStatus = (typeof ROLLOUT_NODE_STATUSES)[number];

export interface TemplatePin {
  template_id: string | null;
  template_version: number | null;
}

export interface RolloutNodeResult {
  job_id: string | null;
  status: 'succeeded' | 'failed' | 'refused';
  error: string | null;
  verified: boolean | null;
}

/**
 * One node of a rollout: its wave, the exact plan made for it, what applying it did. `active` reserves the
 * node (one rollout per node at a time, a unique partial index) until the rollout is finished.
 */
@Entity({ tableName: 'rollout_nodes' })
export class RolloutNodeEntity {
  [OptionalProps]?: 'status' | 'jobId' | 'result' | 'active' | 'previousPin';

  @PrimaryKey({ type: 'uuid' })
  rolloutId!: string;

  @PrimaryKey({ type: 'uuid' })
  nodeId!: string;

  @Property({ type: 'integer' })
  wave!: number;

  @Property({ type: 'uuid' })
  planId!: string;

  /** The template pin a rollback goes back to (template rollouts); template_id null = followed none. */
  @Property({ type: 'jsonb', nullable: true })
  previousPin: TemplatePin | null = null;

  @Property({ type: 'text' })
  status: RolloutNodeStatus = 'pending';

  /** The reconcile job of the latest apply. */
  @Property({ type: 'uuid', nullable: true })
  jobId: string | null = null;

  @Property({ type: 'jsonb', nullable: true })
  result: RolloutNodeResult | null = null;

  @Property({ type: 'boolean' })
  active: boolean = true;
}
