import type { DumpPeer } from '@wgfleet/protocol';
import { accumulateTransfer, activityChanged, nextPeerActivity, type PeerActivity } from './peer-activity';

function observed(overrides: Partial<DumpPeer> = {}): DumpPeer {
  return {
    public_key: Buffer.alloc(32, 1).toString('base64'),
    preshared_key_sha256: null,
    endpoint: '198.51.100.7:40000',
    allowed_ips: ['10.0.1.2/32'],
    latest_handshake: 1_740_830_000,
    transfer_rx: 1000,
    transfer_tx: 2000,
    persistent_keepalive: 25,
    ...overrides,
  };
}

describe('accumulateTransfer', () => {
  it('starts the total at the first counter seen', () => {
    expect(accumulateTransfer(null, 500)).toEqual({ last: 500, total: 500 });
  });

  it('adds the growth of the counter', () => {
    expect(accumulateTransfer({ last: 500, total: 800 }, 700)).toEqual({ last: 700, total: 1000 });
  });

  it('adds nothing when the counter did not move', () => {
    expect(accumulateTransfer({ last: 500, total: 800 }, 500)).toEqual({ last: 500, total: 800 });
  });

  it('adds the whole new counter after a reset, so the total never goes backwards', () => {
    expect(accumulateTransfer({ last: 500, total: 800 }, 120)).toEqual({ last: 120, total: 920 });
  });

  it('counts from zero again after a reset to zero', () => {
    const reset = accumulateTransfer({ last: 500, total: 800 }, 0);
    expect(reset).toEqual({ last: 0, total: 800 });
    expect(accumulateTransfer(reset, 40)).toEqual({ last: 40, total: 840 });
  });

  it('never decreases over any sequence of counter readings', () => {
    const readings = [10, 50, 50, 3, 0, 7, 1_000_000, 999_999, 2_000_000];
    let counter = null as ReturnType<typeof accumulateTransfer> | null;
    let total = 0;
    for (const reading of readings) {
      counter = accumulateTransfer(counter, reading);
      expect(counter.total).toBeGreaterThanOrEqual(total);
      total = counter.total;
    }
    // 10 + 40 + 0 + 3 + 0 + 7 + 999_993 + 999_999 + 1_000_001
    expect(total).toBe(3_000_053);
  });
});

describe('nextPeerActivity', () => {
  it('records handshake, counters and endpoint of a first sighting', () => {
    expect(nextPeerActivity(null, 'peer-1', observed())).toEqual({
      peerId: 'peer-1',
      latestHandshakeMs: 1_740_830_000 * 1000,
      lastRx: 1000,
      lastTx: 2000,
      totalRx: 1000,
      totalTx: 2000,
      endpoint: '198.51.100.7:40000',
    });
  });

  it('treats handshake 0 as never', () => {
    expect(nextPeerActivity(null, 'peer-1', observed({ latest_handshake: 0 })).latestHandshakeMs).toBeNull();
  });

  it('keeps totals across a reset of one counter while the other grows', () => {
    const first = nextPeerActivity(null, 'peer-1', observed());
    const next = nextPeerActivity(first, 'peer-1', observed({ transfer_rx: 100, transfer_tx: 2500 }));
    expect(next).toMatchObject({ lastRx: 100, totalRx: 1100, lastTx: 2500, totalTx: 2500 });
  });
});

describe('activityChanged', () => {
  const first: PeerActivity = nextPeerActivity(null, 'peer-1', observed());

  it('is true for a first sighting with activity, false for one without any', () => {
    expect(activityChanged(null, observed())).toBe(true);
    const idle = { latest_handshake: 0, transfer_rx: 0, transfer_tx: 0, endpoint: null };
    expect(activityChanged(null, observed(idle))).toBe(false);
    expect(activityChanged(null, observed({ ...idle, transfer_tx: 1 }))).toBe(true);
    expect(activityChanged(null, observed({ ...idle, endpoint: '203.0.113.9:51000' }))).toBe(true);
  });

  it('is false for an idle peer', () => {
    expect(activityChanged(first, observed())).toBe(false);
  });

  it.each<[string, Partial<DumpPeer>]>([
    ['handshake', { latest_handshake: 1_740_830_100 }],
    ['rx', { transfer_rx: 1001 }],
    ['tx', { transfer_tx: 1 }],
    ['endpoint', { endpoint: '203.0.113.9:51000' }],
  ])('is true when the %s changed', (_field, change) => {
    expect(activityChanged(first, observed(change))).toBe(true);
  });
});
