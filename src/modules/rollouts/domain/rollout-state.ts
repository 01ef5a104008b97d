export const ROLLOUT_STATUSES = [
  'planned',
  'running',
  'paused',
  'halted',
  'completed',
  'aborted',
  'rolling_back',
  'rolled_back',
] as const;
export type RolloutStatus = (typeof ROLLOUT_STATUSES)[number];

/** Forward applies the change wave by wave; back applies the previous state to the changed waves in reverse. */
export type RolloutDirection = 'forward' | 'back';

export const ROLLOUT_COMMANDS = ['start', 'pause', 'resume', 'abort', 'rollback'] as const;
export type RolloutCommand = (typeof ROLLOUT_COMMANDS)[number];

export interface RolloutState {
  status: RolloutStatus;
  direction: RolloutDirection;
}

/** A status no command leaves (rolled_back) or that frees its nodes for another rollout. */
export const FINISHED_STATUSES: readonly RolloutStatus[] = ['completed', 'aborted', 'rolled_back'];
/** The statuses the runner drives. */
export const MOVING_STATUSES: readonly RolloutStatus[] = ['running', 'rolling_back'];

export type Transition = { ok: true; state: RolloutState } | { ok: false; reason: string };

const moving = (direction: RolloutDirection): RolloutState => ({
  status: direction === 'forward' ? 'running' : 'rolling_back',
  direction,
});

/**
 * What an operator's command does to a rollout. `canRollBack` says whether any node has had the change
 * applied and the change has a previous state to go back to.
 */
export function command(state: RolloutState, cmd: RolloutCommand, canRollBack: boolean): Transition {
  const refuse = (reason: string): Transition => ({ ok: false, reason });
  const { status } = state;
  switch (cmd) {
    case 'start':
      return status === 'planned'
        ? { ok: true, state: moving('forward') }
        : refuse(`a ${status} rollout cannot start`);
    case 'pause':
      return status === 'running' || status === 'rolling_back'
        ? { ok: true, state: { status: 'paused', direction: state.direction } }
        : refuse(`a ${status} rollout cannot be paused`);
    case 'resume':
      return status === 'paused' || status === 'halted'
        ? { ok: true, state: moving(state.direction) }
        : refuse(`a ${status} rollout cannot be resumed`);
    case 'abort':
      return ['planned', 'running', 'paused', 'halted'].includes(status)
        ? { ok: true, state: { status: 'aborted', direction: state.direction } }
        : refuse(`a ${status} rollout cannot be aborted`);
    case 'rollback':
      if (status === 'planned' || status === 'rolled_back' || status === 'rolling_back')
        return refuse(`a ${status} rollout cannot be rolled back`);
      if (state.direction === 'back') return refuse('the rollout is already being rolled back');
      if (!canRollBack) return refuse('no node of the rollout has a previous state to go back to');
      return { ok: true, state: moving('back') };
  }
}

/** What the runner does at the end of a direction's last wave. */
export function finished(state: RolloutState): RolloutState {
  return { status: state.direction === 'forward' ? 'completed' : 'rolled_back', direction: state.direction };
}

/**
 * The waves a rollback goes through: those with nodes that had the change applied, last first, each with just
 * those nodes.
 */
export function rollbackWaves(waves: readonly (readonly string[])[], applied: ReadonlySet<string>): number[] {
  return waves
    .map((nodes, index) => ({ index, changed: nodes.some((id) => applied.has(id)) }))
    .filter((wave) => wave.changed)
    .map((wave) => wave.index)
    .reverse();
}
