import { checkpointDue } from './checkpoint-schedule';

const policy = { every: 100, intervalS: 60 };
const at = (s: number) => new Date(Date.UTC(2026, 11, 7, 0, 0, s));

describe('checkpointDue', () => {
  it('signs the first event of a log at once, and nothing while the log is empty', () => {
    expect(checkpointDue(null, 1, at(0), policy)).toBe(true);
    expect(checkpointDue(null, 0, at(0), policy)).toBe(false);
  });

  it('signs after `every` new events, or after the interval if anything new was sealed', () => {
    const last = { seq: 50, time: at(0) };
    expect(checkpointDue(last, 149, at(10), policy)).toBe(false);
    expect(checkpointDue(last, 150, at(10), policy)).toBe(true);
    expect(checkpointDue(last, 51, at(59), policy)).toBe(false);
    expect(checkpointDue(last, 51, at(60), policy)).toBe(true);
    expect(checkpointDue(last, 50, at(600), policy)).toBe(false);
  });
});
