import type { QuotaPeriod } from '../../peers/domain/peer-lifecycle';

/**
 * Quota periods: calendar days, weeks (Monday first, ISO 8601) and months in a configured time zone, or the
 * whole life of a peer. Built on Intl only, so every IANA zone the runtime knows works, DST included.
 */
export type CalendarPeriod = Exclude<QuotaPeriod, 'total'>;

export interface PeriodBounds {
  start: Date;
  /** Exclusive; null for `total`, which never ends. */
  end: Date | null;
}

interface WallClock {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const HOUR_MS = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClockFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function wallClockAt(instantMs: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of wallClockFormatter(timeZone).formatToParts(instantMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
  };
}

/** The zone's offset from UTC at an instant, in ms (wall clock minus UTC). */
function offsetAt(instantMs: number, timeZone: string): number {
  const wall = wallClockAt(instantMs, timeZone);
  const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return wallAsUtc - Math.floor(instantMs / 1000) * 1000;
}

/**
 * The first instant at which the zone's clocks show local midnight of the given date. Where a DST change
 * skips midnight, the day starts when the clocks jump; where midnight happens twice, at the first one.
 */
function startOfLocalDay(year: number, month: number, day: number, timeZone: string): Date {
  const wallAsUtc = Date.UTC(year, month - 1, day);
  const target = new Date(wallAsUtc);
  const candidates = [
    ...new Set([offsetAt(wallAsUtc - 14 * HOUR_MS, timeZone), offsetAt(wallAsUtc + 14 * HOUR_MS, timeZone)]),
  ].map((offset) => wallAsUtc - offset);
  const exact = candidates.filter((instant) => {
    const wall = wallClockAt(instant, timeZone);
    return (
      wall.year === target.getUTCFullYear() &&
      wall.month === target.getUTCMonth() + 1 &&
      wall.day === target.getUTCDate() &&
      wall.hour === 0 &&
      wall.minute === 0
    );
  });
  return new Date(exact.length > 0 ? Math.min(...exact) : Math.max(...candidates));
}

/** A calendar date shifted by whole days or months (UTC arithmetic on the date alone, so no zone applies). */
function shiftDate(
  date: { year: number; month: number; day: number },
  days: number,
  months = 0,
): { year: number; month: number; day: number } {
  const shifted = new Date(Date.UTC(date.year, date.month - 1 + months, date.day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** The calendar period holding `at`, in the zone. */
export function calendarPeriod(period: CalendarPeriod, at: Date, timeZone: string): PeriodBounds {
  const wall = wallClockAt(at.getTime(), timeZone);
  let first = { year: wall.year, month: wall.month, day: wall.day };
  let next: typeof first;
  if (period === 'day') {
    next = shiftDate(first, 1);
  } else if (period === 'week') {
    const weekday = new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay();
    first = shiftDate(first, -((weekday + 6) % 7));
    next = shiftDate(first, 7);
  } else {
    first = { ...first, day: 1 };
    next = shiftDate(first, 0, 1);
  }
  return {
    start: startOfLocalDay(first.year, first.month, first.day, timeZone),
    end: startOfLocalDay(next.year, next.month, next.day, timeZone),
  };
}

/** The period of a peer's quota holding `at`; a `total` quota counts from the peer's creation. */
export function quotaPeriod(
  period: QuotaPeriod,
  at: Date,
  timeZone: string,
  peerCreatedAt: Date,
): PeriodBounds {
  return period === 'total' ? { start: peerCreatedAt, end: null } : calendarPeriod(period, at, timeZone);
}

/** The current calendar periods, computed once per pass and shared by every peer. */
export type CurrentPeriods = Record<CalendarPeriod, PeriodBounds>;

export function currentPeriods(at: Date, timeZone: string): CurrentPeriods {
  return {
    day: calendarPeriod('day', at, timeZone),
    week: calendarPeriod('week', at, timeZone),
    month: calendarPeriod('month', at, timeZone),
  };
}
