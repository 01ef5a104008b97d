import { activePeers, countersAt, passedTraffic, retainedIn, trafficGate } from './gates';

const sample = (rx: Record<string, number>) => ({ at: '2026-12-07T14:00:00Z', rx });

describe('passedTraffic', () => {
  it('counts rising received bytes, and bytes after a counter reset', () => {
    expect(passedTraffic(100, 150)).toBe(true);
    expect(passedTraffic(100, 100)).toBe(false);
    expect(passedTraffic(100, 0)).toBe(false);
    expect(passedTraffic(100, 40)).toBe(true);
  });
});

describe('activePeers', () => {
  it('keeps the peers whose counters rose between the two baseline samples, with their latest counter', () => {
    const active = activePeers({
      n1: [sample({ a: 10, b: 5, c: 7 }), sample({ a: 20, b: 5, d: 3 })],
      n2: [sample({ a: 1 }), sample({ a: 2 })],
    });
    expect(active).toEqual({ n1: { a: 20 }, n2: { a: 2 } });
  });
});

describe('countersAt', () => {
  it('takes the active peers counters from the bake start, and keeps those the sample lacks', () => {
    const active = { n1: { a: 10, b: 10 }, n2: { a: 5 } };
    expect(countersAt(active, { n1: sample({ a: 40, c: 1 }) })).toEqual({
      n1: { a: 40, b: 10 },
      n2: { a: 5 },
    });
  });
});

describe('trafficGate', () => {
  const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
  const active = { n1: Object.fromEntries(keys.map((key) => [key, 10])) };
  const retained = (n: number) => new Set(keys.slice(0, n).map((key) => `n1/${key}`));

  it('waits for the end of the bake, then passes at the bar and fails below it', () => {
    expect(trafficGate({ active, retained: retained(10), minRetention: 90, bakeOver: false }).verdict).toBe(
      'baking',
    );
    expect(trafficGate({ active, retained: retained(9), minRetention: 90, bakeOver: true })).toEqual({
      active: 10,
      passing: 9,
      retention: 90,
      required: 90,
      verdict: 'pass',
      detail: '9 of 10 active peers passing traffic (90 %, at least 90 % required)',
    });
    expect(trafficGate({ active, retained: retained(8), minRetention: 90, bakeOver: true }).verdict).toBe(
      'fail',
    );
  });

  it('passes a wave with no active peers, and says so', () => {
    const reading = trafficGate({ active: {}, retained: new Set(), minRetention: 90, bakeOver: true });
    expect(reading).toMatchObject({ active: 0, retention: 100, verdict: 'pass' });
    expect(reading.detail).toBe('no peer of the wave was passing traffic before the change');
  });

  it('rounds the retention to a tenth', () => {
    const three = { n1: { x: 1, y: 1, z: 1 } };
    expect(
      trafficGate({ active: three, retained: new Set(['n1/x']), minRetention: 30, bakeOver: true }),
    ).toMatchObject({
      retention: 33.3,
      verdict: 'pass',
    });
  });
});

describe('retainedIn', () => {
  it('names the active peers of the node whose counters rose since the change', () => {
    const active = { n1: { a: 10, b: 10 }, n2: { a: 10 } };
    expect(retainedIn('n1', active, sample({ a: 11, b: 10, c: 99 }))).toEqual(['n1/a']);
  });
});
