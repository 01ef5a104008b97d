import { calendarPeriod, currentPeriods, quotaPeriod } from './quota-period';

const at = (iso: string) => new Date(iso);
const iso = (date: Date | null) => date?.toISOString() ?? null;
function bounds(period: Parameters<typeof calendarPeriod>[0], when: string, zone: string) {
  const { start, end } = calendarPeriod(period, at(when), zone);
  return [iso(start), iso(end)];
}

describe('calendarPeriod in UTC', () => {
  it('cuts days at midnight', () => {
    expect(bounds('day', '2026-03-10T23:59:59.999Z', 'UTC')).toEqual([
      '2026-03-10T00:00:00.000Z',
      '2026-03-11T00:00:00.000Z',
    ]);
    expect(bounds('day', '2026-03-11T00:00:00.000Z', 'UTC')[0]).toBe('2026-03-11T00:00:00.000Z');
  });

  it('starts weeks on Monday, across a month and a year end', () => {
    // 2026-01-01 is a Thursday.
    expect(bounds('week', '2026-01-01T12:00:00Z', 'UTC')).toEqual([
      '2025-12-29T00:00:00.000Z',
      '2026-01-05T00:00:00.000Z',
    ]);
    // A Sunday belongs to the week that started the Monday before; a Monday starts its own.
    expect(bounds('week', '2026-03-15T23:00:00Z', 'UTC')[0]).toBe('2026-03-09T00:00:00.000Z');
    expect(bounds('week', '2026-03-16T00:00:00Z', 'UTC')[0]).toBe('2026-03-16T00:00:00.000Z');
  });

  it('ends months on their last day, leap years included', () => {
    expect(bounds('month', '2028-02-29T18:00:00Z', 'UTC')).toEqual([
      '2028-02-01T00:00:00.000Z',
      '2028-03-01T00:00:00.000Z',
    ]);
    expect(bounds('month', '2027-02-28T23:59:59Z', 'UTC')[1]).toBe('2027-03-01T00:00:00.000Z');
    expect(bounds('month', '2026-01-31T10:00:00Z', 'UTC')[1]).toBe('2026-02-01T00:00:00.000Z');
    expect(bounds('month', '2026-12-31T23:00:00Z', 'UTC')).toEqual([
      '2026-12-01T00:00:00.000Z',
      '2027-01-01T00:00:00.000Z',
    ]);
  });

  it('gives a leap day a day of its own', () => {
    expect(bounds('day', '2028-02-29T05:00:00Z', 'UTC')).toEqual([
      '2028-02-29T00:00:00.000Z',
      '2028-03-01T00:00:00.000Z',
    ]);
  });
});

describe('calendarPeriod in a zone with DST', () => {
  const berlin = 'Europe/Berlin';

  it('uses local midnight, not UTC midnight', () => {
    // 00:30 local on 10 March (UTC+1) is still 9 March in UTC.
    expect(bounds('day', '2026-03-09T23:30:00Z', berlin)).toEqual([
      '2026-03-09T23:00:00.000Z',
      '2026-03-10T23:00:00.000Z',
    ]);
  });

  it('gives the spring-forward day 23 hours and the fall-back day 25', () => {
    const spring = calendarPeriod('day', at('2026-03-29T12:00:00Z'), berlin);
    expect(spring.end!.getTime() - spring.start.getTime()).toBe(23 * 3_600_000);
    const autumn = calendarPeriod('day', at('2026-10-25T12:00:00Z'), berlin);
    expect(autumn.end!.getTime() - autumn.start.getTime()).toBe(25 * 3_600_000);
  });

  it('starts a month at local midnight under the offset of that date', () => {
    expect(bounds('month', '2026-04-15T00:00:00Z', berlin)).toEqual([
      '2026-03-31T22:00:00.000Z',
      '2026-04-30T22:00:00.000Z',
    ]);
    // March starts in winter time and ends in summer time.
    expect(bounds('month', '2026-03-15T00:00:00Z', berlin)).toEqual([
      '2026-02-28T23:00:00.000Z',
      '2026-03-31T22:00:00.000Z',
    ]);
  });

  it('starts a day when the clocks jump where DST skips midnight', () => {
    // Santiago: on 2026-09-06 clocks go from 00:00 (UTC-4) straight to 01:00 (UTC-3).
    expect(bounds('day', '2026-09-06T12:00:00Z', 'America/Santiago')).toEqual([
      '2026-09-06T04:00:00.000Z',
      '2026-09-07T03:00:00.000Z',
    ]);
  });

  it('starts a day at the first of two midnights where DST repeats it', () => {
    // Santiago: on 2026-04-05 clocks go from 00:00 (UTC-3) back to 23:00 of the 4th (UTC-4).
    const day = calendarPeriod('day', at('2026-04-05T12:00:00Z'), 'America/Santiago');
    expect(iso(day.start)).toBe('2026-04-05T04:00:00.000Z');
    const before = calendarPeriod('day', at('2026-04-04T12:00:00Z'), 'America/Santiago');
    expect(iso(before.end)).toBe(iso(day.start));
    expect(day.start.getTime() - before.start.getTime()).toBe(25 * 3_600_000);
  });

  it('handles zones east of UTC with half-hour offsets', () => {
    expect(bounds('day', '2026-06-01T00:00:00Z', 'Asia/Kolkata')).toEqual([
      '2026-05-31T18:30:00.000Z',
      '2026-06-01T18:30:00.000Z',
    ]);
  });

  it('tiles time: every instant is in exactly one period, end of one is start of the next', () => {
    const zone = 'America/New_York';
    let clock = at('2026-01-01T00:00:00Z').getTime();
    let previous = calendarPeriod('day', new Date(clock), zone);
    for (let step = 0; step < 400 * 4; step += 1) {
      clock += 6 * 3_600_000;
      const period = calendarPeriod('day', new Date(clock), zone);
      expect(period.start.getTime()).toBeLessThanOrEqual(clock);
      expect(period.end!.getTime()).toBeGreaterThan(clock);
      if (period.start.getTime() !== previous.start.getTime()) {
        expect(period.start.getTime()).toBe(previous.end!.getTime());
      }
      previous = period;
    }
  });
});

describe('quotaPeriod', () => {
  it('counts a total quota from the creation of the peer, forever', () => {
    const created = at('2025-05-05T05:05:05Z');
    expect(quotaPeriod('total', at('2026-01-01T00:00:00Z'), 'UTC', created)).toEqual({
      start: created,
      end: null,
    });
  });

  it('gives the calendar period otherwise', () => {
    expect(quotaPeriod('month', at('2026-02-10T00:00:00Z'), 'UTC', at('2020-01-01T00:00:00Z'))).toEqual(
      calendarPeriod('month', at('2026-02-10T00:00:00Z'), 'UTC'),
    );
  });

  it('currentPeriods computes the three calendar periods at once', () => {
    const now = at('2026-02-11T09:00:00Z');
    expect(currentPeriods(now, 'UTC')).toEqual({
      day: calendarPeriod('day', now, 'UTC'),
      week: calendarPeriod('week', now, 'UTC'),
      month: calendarPeriod('month', now, 'UTC'),
    });
  });
});
