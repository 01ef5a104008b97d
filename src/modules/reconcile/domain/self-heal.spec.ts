import { autoReconcileDue, autoReconcileOptions, leadingFailures } from './self-heal';

describe('self-heal', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  const ago = (s: number) => new Date(now.getTime() - s * 1000);

  it('repairs missing, mismatched and orphaned peers in safe mode, and unknown ones too in full mode', () => {
    expect(autoReconcileOptions('safe')).toMatchObject({
      reconcile_missing: true,
      reconcile_mismatched: true,
      remove_orphaned: true,
      remove_unknown: false,
      allow_empty: false,
      dry_run: false,
    });
    expect(autoReconcileOptions('full').remove_unknown).toBe(true);
  });

  it('runs at most once per minimum interval, doubling the wait after each failure in a row', () => {
    const history = { lastRequestedAt: ago(300), consecutiveFailures: 0, hasOpenJob: false };
    expect(autoReconcileDue({ ...history, lastRequestedAt: null }, now, 300)).toBe(true);
    expect(autoReconcileDue(history, now, 300)).toBe(true);
    expect(autoReconcileDue({ ...history, lastRequestedAt: ago(299) }, now, 300)).toBe(false);
    expect(autoReconcileDue({ ...history, consecutiveFailures: 1 }, now, 300)).toBe(false);
    expect(
      autoReconcileDue({ ...history, consecutiveFailures: 1, lastRequestedAt: ago(600) }, now, 300),
    ).toBe(true);
    expect(
      autoReconcileDue({ ...history, consecutiveFailures: 50, lastRequestedAt: ago(64 * 300) }, now, 300),
    ).toBe(true);
    expect(autoReconcileDue({ ...history, hasOpenJob: true, lastRequestedAt: null }, now, 300)).toBe(false);
  });

  it('counts the failures at the head of the history', () => {
    expect(leadingFailures(['failed', 'failed', 'succeeded', 'failed'])).toBe(2);
    expect(leadingFailures(['succeeded', 'failed'])).toBe(0);
    expect(leadingFailures(['failed'])).toBe(1);
    expect(leadingFailures([])).toBe(0);
  });
});
