import { groupReconcileErrors, isProblemJob } from './job-problems';

describe('groupReconcileErrors', () => {
  it('puts identical errors together, largest group first, keeping each peer', () => {
    const lost = (key: string) => ({ public_key: key, operation: 'add' as const, message: 'cannot restore' });
    const errors = [
      { public_key: 'x', operation: 'update' as const, message: 'wg failed' },
      ...['a', 'b', 'c'].map(lost),
      { public_key: 'y', operation: 'remove' as const, message: 'cannot restore' },
    ];
    expect(groupReconcileErrors(errors)).toEqual([
      { operation: 'add', message: 'cannot restore', public_keys: ['a', 'b', 'c'] },
      { operation: 'update', message: 'wg failed', public_keys: ['x'] },
      { operation: 'remove', message: 'cannot restore', public_keys: ['y'] },
    ]);
  });
});

describe('isProblemJob', () => {
  const result = (errors: number) => ({
    added: [],
    updated: [],
    removed: [],
    errors: Array.from({ length: errors }, () => ({
      public_key: 'k',
      operation: 'add' as const,
      message: 'm',
    })),
    verified: false,
  });

  it('is a failed job, or a succeeded one with per-peer errors; never an open or clean one', () => {
    expect(isProblemJob('failed', null)).toBe(true);
    expect(isProblemJob('succeeded', result(2))).toBe(true);
    expect(isProblemJob('succeeded', result(0))).toBe(false);
    expect(isProblemJob('running', null)).toBe(false);
  });
});
