import type { DomainEvent } from '../events';
import type { TrafficReading } from './domain/gates';
import type { RolloutCommand } from './domain/rollout-state';
import type { RolloutHalt, RolloutKind, RolloutNodeResult, RolloutOptions } from './rollout.entity';

export interface RolloutPlannedPayload {
  kind: RolloutKind;
  options: RolloutOptions;
  waves: string[][];
  /** node id → plan id: the exact dry-run plan each node gets. */
  plans: Record<string, string>;
}

/** An operator's command, with the status it led to. */
export interface RolloutCommandedPayload {
  command: RolloutCommand;
  status: string;
}

export interface RolloutNodeAppliedPayload {
  wave: number;
  node_id: string;
  direction: 'forward' | 'back';
  result: RolloutNodeResult;
}

export interface RolloutWavePassedPayload {
  wave: number;
  direction: 'forward' | 'back';
  traffic: TrafficReading | null;
}

export type RolloutPlanned = DomainEvent<'rollout', 'rollout.planned', RolloutPlannedPayload>;
export type RolloutCommanded = DomainEvent<'rollout', 'rollout.commanded', RolloutCommandedPayload>;
export type RolloutWaveStarted = DomainEvent<
  'rollout',
  'rollout.wave_started',
  { wave: number; direction: 'forward' | 'back' }
>;
export type RolloutNodeApplied = DomainEvent<'rollout', 'rollout.node_applied', RolloutNodeAppliedPayload>;
export type RolloutWavePassed = DomainEvent<'rollout', 'rollout.wave_passed', RolloutWavePassedPayload>;
export type RolloutHalted = DomainEvent<'rollout', 'rollout.halted', RolloutHalt>;
export type RolloutFinished = DomainEvent<
  'rollout',
  'rollout.completed' | 'rollout.rolled_back',
  { waves: number }
>;

/** Every step of a rollout (no projection reads them: the rollouts tables are written beside them; the event log lists them). */
export type RolloutEvent =
  | RolloutPlanned
  | RolloutCommanded
  | RolloutWaveStarted
  | RolloutNodeApplied
  | RolloutWavePassed
  | RolloutHalted
  | RolloutFinished;
