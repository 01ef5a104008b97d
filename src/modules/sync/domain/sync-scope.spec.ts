import {
  observedPeer,
  scanOf,
  testDefaults,
  testDump,
  testKey,
  testNode,
  testPeer,
} from '../../drift/domain/drift.fixtures';
import { planReconcile } from '../../node-apply/domain/reconcile-plan';
import {
  SYNC_OPTIONS,
  blindSyncDivergence,
  peerSyncStatus,
  scopeDivergence,
  syncWakeTime,
} from './sync-scope';

describe('sync scope', () => {
  const a = testPeer('A', 1);
  const b = testPeer('B', 2);
  const gone = testPeer('gone', 3);

  it("keeps only the changed peers and retired keys of a scan's divergence; unknown peers never", () => {
    const report = scanOf({
      peers: [a, b],
      managedKeys: new Map([[gone.public_key, { peer_id: gone.id, name: 'gone' }]]),
      dump: testDump([
        observedPeer(gone),
        { ...observedPeer(b), persistent_keepalive: 9 },
        observedPeer({ ...a, public_key: testKey(77) }),
      ]),
    });
    const scoped = scopeDivergence(report, {
      wholeNode: false,
      peerIds: new Set([a.id]),
      removalKeys: new Set([gone.public_key]),
    });
    expect(scoped.missing_peers.map((p) => p.name)).toEqual(['A']);
    expect(scoped.mismatched_peers).toEqual([]);
    expect(scoped.orphaned_peers.map((p) => p.name)).toEqual(['gone']);
    expect(scoped.unknown_peers).toEqual([]);
    const whole = scopeDivergence(report, { wholeNode: true, peerIds: new Set(), removalKeys: new Set() });
    expect(whole.mismatched_peers.map((p) => p.name)).toEqual(['B']);
    expect(whole.unknown_peers).toEqual([]);
  });

  it('plans changed peers blind: enabled ones upserted, disabled and retired ones removed', () => {
    const off = testPeer('off', 4, { enabled: false });
    const reborn = { public_key: a.public_key, peer_id: 'old-a', name: 'old A' };
    const retired = { public_key: testKey(90), peer_id: 'x', name: 'x' };
    const plan = planReconcile({
      divergence: blindSyncDivergence([a, off], [reborn, retired]),
      desiredPeers: [a, off],
      node: testNode(),
      defaults: testDefaults,
      options: SYNC_OPTIONS,
    });
    expect(plan.add.map((p) => [p.name, p.persistent_keepalive])).toEqual([['A', 25]]);
    expect(plan.remove.map((r) => r.public_key).sort()).toEqual([off.public_key, testKey(90)].sort());
    expect(plan.update).toEqual([]);
  });

  it('waits for a quiet period, but never longer than the maximum wait after the first change', () => {
    expect(syncWakeTime({ firstChangeAt: null, lastChangeAt: null }, 1000, 200, 2000)).toBeNull();
    expect(syncWakeTime({ firstChangeAt: 1000, lastChangeAt: 1000 }, 1100, 200, 2000)).toBe(1200);
    expect(syncWakeTime({ firstChangeAt: 1000, lastChangeAt: 2950 }, 3000, 200, 2000)).toBeNull();
    expect(syncWakeTime({ firstChangeAt: 1000, lastChangeAt: 2900 }, 2950, 200, 2000)).toBe(3000);
    expect(syncWakeTime({ firstChangeAt: null, lastChangeAt: 500 }, 1000, 200, 2000)).toBeNull();
  });

  it('tells pending, applied and failed apart by version', () => {
    expect(peerSyncStatus(1, undefined)).toEqual({ sync_status: 'pending' });
    expect(peerSyncStatus(3, { appliedVersion: 2, status: 'applied', error: null })).toEqual({
      sync_status: 'pending',
    });
    expect(peerSyncStatus(2, { appliedVersion: 2, status: 'applied', error: null })).toEqual({
      sync_status: 'applied',
    });
    expect(peerSyncStatus(2, { appliedVersion: 2, status: 'failed', error: 'bad' })).toEqual({
      sync_status: 'failed',
      sync_error: 'bad',
    });
    expect(peerSyncStatus(3, { appliedVersion: 2, status: 'failed', error: 'bad' })).toEqual({
      sync_status: 'pending',
    });
  });
});
