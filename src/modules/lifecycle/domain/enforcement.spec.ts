import { decideLifecycle, isNoDecision, LifecyclePeer, suspensionReason } from './enforcement';

const NOW = new Date('2026-03-10T12:00:00Z');
const PERIOD = new Date('2026-03-01T00:00:00Z');
const policy = { expiryWarningMs: 3_600_000, quotaWarningRatio: 0.8 };

function peer(overrides: Partial<LifecyclePeer> = {}): LifecyclePeer {
  return {
    expiresAt: null,
    quotaBytes: null,
    suspendedReason: null,
    usedBytes: 0,
    periodStart: PERIOD,
    expiryWarnedFor: null,
    quotaWarnedPeriodStart: null,
    ...overrides,
  };
}

const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

describe('suspensionReason', () => {
  it('is expired from the expiry instant on', () => {
    expect(suspensionReason(peer({ expiresAt: at(1) }), NOW)).toBeNull();
    expect(suspensionReason(peer({ expiresAt: NOW }), NOW)).toBe('expired');
  });

  it('is quota once the period used the whole quota', () => {
    expect(suspensionReason(peer({ quotaBytes: 100, usedBytes: 99 }), NOW)).toBeNull();
    expect(suspensionReason(peer({ quotaBytes: 100, usedBytes: 100 }), NOW)).toBe('quota');
    expect(suspensionReason(peer({ quotaBytes: 0 }), NOW)).toBe('quota');
  });

  it('names the expiry when both hold', () => {
    expect(suspensionReason(peer({ expiresAt: at(-1), quotaBytes: 1, usedBytes: 5 }), NOW)).toBe('expired');
  });
});

describe('decideLifecycle', () => {
  it('does nothing to a peer within its limits', () => {
    expect(isNoDecision(decideLifecycle(peer({ quotaBytes: 1000, usedBytes: 10 }), NOW, policy))).toBe(true);
  });

  it('suspends an expired peer once', () => {
    expect(decideLifecycle(peer({ expiresAt: at(-1000) }), NOW, policy)).toMatchObject({
      suspend: 'expired',
      resume: null,
    });
    const suspended = peer({ expiresAt: at(-1000), suspendedReason: 'expired' });
    expect(isNoDecision(decideLifecycle(suspended, NOW, policy))).toBe(true);
  });

  it('lifts an expiry suspension when the expiry moves later or goes', () => {
    for (const expiresAt of [at(86_400_000), null]) {
      expect(decideLifecycle(peer({ expiresAt, suspendedReason: 'expired' }), NOW, policy)).toMatchObject({
        resume: 'expired',
        suspend: null,
      });
    }
  });

  it('lifts a quota suspension in a new period (usage starts again) or when the quota is raised', () => {
    const newPeriod = peer({
      quotaBytes: 100,
      usedBytes: 0,
      suspendedReason: 'quota',
      quotaWarnedPeriodStart: PERIOD,
    });
    expect(decideLifecycle(newPeriod, NOW, policy)).toMatchObject({ resume: 'quota', suspend: null });
    const raised = peer({
      quotaBytes: 1000,
      usedBytes: 150,
      suspendedReason: 'quota',
      quotaWarnedPeriodStart: PERIOD,
    });
    expect(decideLifecycle(raised, NOW, policy)).toEqual({
      resume: 'quota',
      suspend: null,
      warnExpiry: false,
      warnQuota: false,
    });
  });

  it('moves a suspension from quota to expired: lifts one, applies the other', () => {
    const both = peer({ expiresAt: at(-1), quotaBytes: 10, usedBytes: 10, suspendedReason: 'quota' });
    expect(decideLifecycle(both, NOW, policy)).toMatchObject({ resume: 'quota', suspend: 'expired' });
  });

  it('warns of an expiry within the lead time, once per expiry', () => {
    expect(decideLifecycle(peer({ expiresAt: at(3_600_001) }), NOW, policy).warnExpiry).toBe(false);
    expect(decideLifecycle(peer({ expiresAt: at(3_600_000) }), NOW, policy).warnExpiry).toBe(true);
    const warned = peer({ expiresAt: at(60_000), expiryWarnedFor: at(60_000) });
    expect(decideLifecycle(warned, NOW, policy).warnExpiry).toBe(false);
    // Moved: the new expiry is warned of again.
    expect(decideLifecycle({ ...warned, expiresAt: at(120_000) }, NOW, policy).warnExpiry).toBe(true);
    // Already expired: the suspension says it.
    expect(decideLifecycle(peer({ expiresAt: at(-1) }), NOW, policy).warnExpiry).toBe(false);
  });

  it('warns of a quota at the configured share, once per period', () => {
    expect(decideLifecycle(peer({ quotaBytes: 100, usedBytes: 79 }), NOW, policy).warnQuota).toBe(false);
    expect(decideLifecycle(peer({ quotaBytes: 100, usedBytes: 80 }), NOW, policy).warnQuota).toBe(true);
    const warned = peer({ quotaBytes: 100, usedBytes: 90, quotaWarnedPeriodStart: PERIOD });
    expect(decideLifecycle(warned, NOW, policy).warnQuota).toBe(false);
    const nextPeriod = new Date('2026-04-01T00:00:00Z');
    expect(decideLifecycle({ ...warned, periodStart: nextPeriod }, NOW, policy).warnQuota).toBe(true);
  });
});
