import { cappedExponentialBackoff } from './node-jobs';

describe('node job backoff', () => {
  it('doubles from the base delay and stops at the cap', () => {
    expect([1, 2, 3, 4].map((attempt) => cappedExponentialBackoff(attempt, 500))).toEqual([
      500, 1000, 2000, 4000,
    ]);
    expect(cappedExponentialBackoff(20, 500)).toBe(30_000);
    expect(cappedExponentialBackoff(3, 1000, 2500)).toBe(2500);
  });
});
