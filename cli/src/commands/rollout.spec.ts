import { EXIT } from '../exit-codes';
import { rolloutExitCode } from './rollout';

describe('rollout exit codes', () => {
  it('answers 3 for a halted rollout, 1 for an aborted one, 0 for the rest', () => {
    expect(rolloutExitCode({ status: 'halted' })).toBe(3);
    expect(EXIT.halted).toBe(3);
    expect(rolloutExitCode({ status: 'aborted' })).toBe(EXIT.error);
    for (const status of ['completed', 'rolled_back', 'running', 'planned'] as const)
      expect(rolloutExitCode({ status })).toBe(EXIT.ok);
  });
});
