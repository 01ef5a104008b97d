import { command, finished, rollbackWaves, RolloutState } from './rollout-state';

const state = (status: RolloutState['status'], direction: RolloutState['direction'] = 'forward') => ({
  status,
  direction,
});

describe('rollout commands', () => {
  it('starts a planned rollout only', () => {
    expect(command(state('planned'), 'start', false)).toEqual({ ok: true, state: state('running') });
    expect(command(state('running'), 'start', false)).toEqual({
      ok: false,
      reason: 'a running rollout cannot start',
    });
  });

  it('pauses and resumes in the direction it was going', () => {
    expect(command(state('rolling_back', 'back'), 'pause', true)).toEqual({
      ok: true,
      state: state('paused', 'back'),
    });
    expect(command(state('paused', 'back'), 'resume', true)).toEqual({
      ok: true,
      state: state('rolling_back', 'back'),
    });
    expect(command(state('halted'), 'resume', true)).toEqual({ ok: true, state: state('running') });
    expect(command(state('completed'), 'pause', true).ok).toBe(false);
  });

  it('aborts what has not finished', () => {
    for (const status of ['planned', 'running', 'paused', 'halted'] as const)
      expect(command(state(status), 'abort', false)).toEqual({ ok: true, state: state('aborted') });
    for (const status of ['completed', 'aborted', 'rolled_back', 'rolling_back'] as const)
      expect(command(state(status), 'abort', false).ok).toBe(false);
  });

  it('rolls back a started rollout with applied nodes, halted, completed or aborted, once', () => {
    for (const status of ['running', 'paused', 'halted', 'completed', 'aborted'] as const)
      expect(command(state(status), 'rollback', true)).toEqual({
        ok: true,
        state: state('rolling_back', 'back'),
      });
    expect(command(state('halted'), 'rollback', false)).toEqual({
      ok: false,
      reason: 'no node of the rollout has a previous state to go back to',
    });
    expect(command(state('planned'), 'rollback', true).ok).toBe(false);
    expect(command(state('halted', 'back'), 'rollback', true)).toEqual({
      ok: false,
      reason: 'the rollout is already being rolled back',
    });
    expect(command(state('rolled_back', 'back'), 'rollback', true).ok).toBe(false);
  });

  it('finishes forward as completed and back as rolled_back', () => {
    expect(finished(state('running'))).toEqual(state('completed'));
    expect(finished(state('rolling_back', 'back'))).toEqual(state('rolled_back', 'back'));
  });
});

describe('rollbackWaves', () => {
  it('goes through the waves with applied nodes, last first', () => {
    const waves = [['a'], ['b', 'c'], ['d'], ['e']];
    expect(rollbackWaves(waves, new Set(['a', 'b', 'd']))).toEqual([2, 1, 0]);
    expect(rollbackWaves(waves, new Set())).toEqual([]);
  });
});
