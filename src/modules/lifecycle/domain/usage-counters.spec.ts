import { accumulateTransfer } from './peer-activity';
import { CounterTotals, forgetCounters, usageDelta } from './usage-counters';

/** The activity record after reading rx/tx counters (the same folding the scanner uses). */
function read(previous: CounterTotals | null, rx: number, tx: number): CounterTotals {
  const r = accumulateTransfer(previous && { last: previous.lastRx, total: previous.totalRx }, rx);
  const t = accumulateTransfer(previous && { last: previous.lastTx, total: previous.totalTx }, tx);
  return { lastRx: r.last, totalRx: r.total, lastTx: t.last, totalTx: t.total };
}

describe('usageDelta', () => {
  it('counts the whole counter on a first sighting', () => {
    expect(usageDelta('p', null, read(null, 100, 50))).toEqual({ peerId: 'p', rx: 100, tx: 50 });
  });

  it('is null when nothing moved', () => {
    const first = read(null, 100, 50);
    expect(usageDelta('p', first, read(first, 100, 50))).toBeNull();
  });

  it('counts only the growth between scans', () => {
    const first = read(null, 100, 50);
    expect(usageDelta('p', first, read(first, 160, 80))).toEqual({ peerId: 'p', rx: 60, tx: 30 });
  });

  it('counts a reset counter (agent restart, interface re-created) from zero, never twice', () => {
    const first = read(null, 1000, 1000);
    const afterReset = read(first, 30, 20);
    expect(usageDelta('p', first, afterReset)).toEqual({ peerId: 'p', rx: 30, tx: 20 });
    expect(usageDelta('p', afterReset, read(afterReset, 30, 20))).toBeNull();
  });
});

describe('a sequence of scans with a fake clock', () => {
  it('sums to the true traffic across resets and absences, with nothing counted twice', () => {
    // [minute, what the node reports: [rx, tx] or absent]
    const scans: Array<[number, [number, number] | 'absent']> = [
      [0, [0, 0]],
      [1, [500, 100]],
      [2, [900, 300]], // +400, +200
      [3, [40, 10]], // interface re-created: +40, +10
      [4, 'absent'], // suspended: removed from its node
      [5, 'absent'],
      [6, [1200, 700]], // re-added, counted from zero: +1200, +700
      [7, [1300, 700]], // +100
    ];
    let record: CounterTotals | null = null;
    const usage = { rx: 0, tx: 0 };
    for (const [, seen] of scans) {
      if (seen === 'absent') {
        record = record && (forgetCounters(record) ?? record);
        continue;
      }
      const next = read(record, seen[0], seen[1]);
      const delta = usageDelta('p', record, next);
      if (delta) {
        usage.rx += delta.rx;
        usage.tx += delta.tx;
      }
      record = next;
    }
    expect(usage).toEqual({ rx: 900 + 40 + 1200 + 100, tx: 300 + 10 + 700 });
  });
});

describe('forgetCounters', () => {
  it('sets the last readings to zero and keeps the totals', () => {
    expect(forgetCounters({ lastRx: 5, lastTx: 0, totalRx: 50, totalTx: 9 })).toEqual({
      lastRx: 0,
      lastTx: 0,
      totalRx: 50,
      totalTx: 9,
    });
  });

  it('is null when they already are', () => {
    expect(forgetCounters({ lastRx: 0, lastTx: 0, totalRx: 50, totalTx: 9 })).toBeNull();
  });
});
