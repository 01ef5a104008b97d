import {
  DEFAULT_RETRY_SCHEDULE_MS,
  MAX_RETRY_AFTER_MS,
  nextAttemptDelayMs,
  parseRetryAfterMs,
  parseRetrySchedule,
} from './retry-schedule';

const NOW = Date.parse('2025-03-01T12:00:00.000Z');
const noJitter = () => 0.5;

describe('parseRetrySchedule', () => {
  it('reads delays with units', () => {
    expect(parseRetrySchedule('5s,5m,30m,2h')).toEqual([5000, 300_000, 1_800_000, 7_200_000]);
    expect(parseRetrySchedule(' 250ms , 1.5s, 1d ')).toEqual([250, 1500, 86_400_000]);
  });

  it('spells the default schedule', () => {
    expect(parseRetrySchedule('5s,5m,30m,2h,5h,10h,14h,20h,24h')).toEqual(DEFAULT_RETRY_SCHEDULE_MS);
  });

  it('names the entry that is wrong', () => {
    expect(() => parseRetrySchedule('5s,5x,2h')).toThrow(
      'retry schedule entry 2 ("5x") is not a number with a unit ms, s, m, h or d, e.g. "30s" or "2h"',
    );
    expect(() => parseRetrySchedule('5s,,2h')).toThrow('retry schedule entry 2 ("")');
    expect(() => parseRetrySchedule('10')).toThrow('retry schedule entry 1 ("10")');
    expect(() => parseRetrySchedule('-5s')).toThrow('retry schedule entry 1');
    expect(() => parseRetrySchedule('0s')).toThrow('retry schedule entry 1 ("0s") must be longer than zero');
    expect(() => parseRetrySchedule('5s,8d')).toThrow(
      'retry schedule entry 2 ("8d") is longer than the maximum of 7d',
    );
  });

  it('rejects an empty schedule', () => {
    expect(() => parseRetrySchedule('')).toThrow(/empty/);
    expect(() => parseRetrySchedule(' , ')).toThrow(/empty/);
  });
});

describe('nextAttemptDelayMs', () => {
  const schedule = [5000, 300_000, 1_800_000];

  it('follows the schedule by the number of attempts made', () => {
    expect([1, 2, 3].map((attempts) => nextAttemptDelayMs(schedule, attempts, {}, noJitter))).toEqual(
      schedule,
    );
  });

  it('returns null once every retry has been used', () => {
    expect(nextAttemptDelayMs(schedule, 4, {}, noJitter)).toBeNull();
    expect(nextAttemptDelayMs(DEFAULT_RETRY_SCHEDULE_MS, DEFAULT_RETRY_SCHEDULE_MS.length + 1)).toBeNull();
  });

  it('spreads retries by at most 20 % either way', () => {
    expect(nextAttemptDelayMs(schedule, 2, {}, () => 0)).toBe(240_000);
    expect(nextAttemptDelayMs(schedule, 2, {}, () => 0.999_999)).toBeCloseTo(360_000, -1);
    for (let i = 0; i < 200; i++) {
      const delay = nextAttemptDelayMs(schedule, 2)!;
      expect(delay).toBeGreaterThanOrEqual(240_000);
      expect(delay).toBeLessThanOrEqual(360_000);
    }
  });

  it('honours Retry-After in seconds or as an HTTP date on 429 and 503', () => {
    expect(nextAttemptDelayMs(schedule, 1, { status: 429, retryAfter: '120' }, noJitter, NOW)).toBe(120_000);
    const inTenMinutes = new Date(NOW + 600_000).toUTCString();
    expect(nextAttemptDelayMs(schedule, 1, { status: 503, retryAfter: inTenMinutes }, noJitter, NOW)).toBe(
      600_000,
    );
  });

  it('caps Retry-After at 24 hours', () => {
    expect(nextAttemptDelayMs(schedule, 1, { status: 429, retryAfter: '999999999' }, noJitter, NOW)).toBe(
      MAX_RETRY_AFTER_MS,
    );
  });

  it('ignores Retry-After on other statuses and when unreadable', () => {
    expect(nextAttemptDelayMs(schedule, 1, { status: 500, retryAfter: '120' }, noJitter, NOW)).toBe(5000);
    expect(nextAttemptDelayMs(schedule, 1, { status: 429, retryAfter: 'soon' }, noJitter, NOW)).toBe(5000);
    expect(nextAttemptDelayMs(schedule, 1, { status: 429, retryAfter: null }, noJitter, NOW)).toBe(5000);
  });

  it('still stops when the schedule is used up, whatever Retry-After says', () => {
    expect(nextAttemptDelayMs(schedule, 4, { status: 429, retryAfter: '1' }, noJitter, NOW)).toBeNull();
  });

  it('rejects an attempt count below one', () => {
    expect(() => nextAttemptDelayMs(schedule, 0)).toThrow(RangeError);
    expect(() => nextAttemptDelayMs(schedule, 1.5)).toThrow(/attemptsMade/);
  });
});

describe('parseRetryAfterMs', () => {
  it('treats a date in the past as no wait', () => {
    expect(parseRetryAfterMs(new Date(NOW - 60_000).toUTCString(), NOW)).toBe(0);
  });

  it('reads the obsolete RFC 850 date format too', () => {
    expect(parseRetryAfterMs('Saturday, 01-Mar-25 12:01:00 GMT', NOW)).toBe(60_000);
  });

  it('returns null for absent or malformed values', () => {
    for (const value of [undefined, null, '', '  ', '1.5', '-3', 'tomorrow']) {
      expect(parseRetryAfterMs(value, NOW)).toBeNull();
    }
  });
});
