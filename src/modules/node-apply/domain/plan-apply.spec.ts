import {
  foreignPeer,
  observedPeer,
  scanOf,
  testDump,
  testKey,
  testPeer,
} from '../../drift/domain/drift.fixtures';
import {
  blamedSyncconfIndex,
  cannotLeaveNodeEmpty,
  chunkBySize,
  desiredWirePeer,
  emptyChanges,
  isVerified,
  keyKeepingWirePeer,
  needsPresharedKey,
  recordBatchFailure,
  recordBatchResults,
  resultSummary,
  syncconfChanges,
} from './plan-apply';
import { reconcileOptions } from './reconcile-plan';

describe('applying a reconcile plan', () => {
  it('sends a desired peer whole, with null to remove a preshared key the panel does not want', () => {
    const planned = {
      peer_id: 'p',
      name: 'A',
      public_key: testKey(1),
      allowed_ips: ['10.0.1.1/32'],
      persistent_keepalive: 25,
      has_preshared_key: false,
    };
    expect(desiredWirePeer(planned, null)).toEqual({
      public_key: testKey(1),
      allowed_ips: ['10.0.1.1/32'],
      persistent_keepalive: 25,
      preshared_key: null,
    });
    expect(desiredWirePeer(planned, testKey(9)).preshared_key).toBe(testKey(9));
  });

  it('leaves the preshared key to the node unless the node must be given it', () => {
    const planned = {
      peer_id: 'p',
      name: 'A',
      public_key: testKey(1),
      allowed_ips: ['10.0.1.1/32'],
      persistent_keepalive: 25,
      has_preshared_key: true,
    };
    expect(keyKeepingWirePeer(planned)).not.toHaveProperty('preshared_key');
    // A peer the node was seen without needs the key; a blind sync's "add" is an upsert of a peer it may have.
    expect(needsPresharedKey('add', planned, true)).toBe(true);
    expect(needsPresharedKey('add', planned, false)).toBe(false);
    const keepalive = { field: 'persistent_keepalive' as const, expected: 25, actual: 0, from: 0, to: 25 };
    const psk = {
      field: 'preshared_key' as const,
      expected: 'present' as const,
      actual: 'absent' as const,
      from: 'absent' as const,
      to: 'present' as const,
    };
    expect(needsPresharedKey('update', { ...planned, changes: [keepalive] }, true)).toBe(false);
    expect(needsPresharedKey('update', { ...planned, changes: [keepalive, psk] }, true)).toBe(true);
    expect(needsPresharedKey('update', planned, true)).toBe(false);
  });

  it('chunks items so each group stays under the byte limit, keeping order', () => {
    const items = Array.from({ length: 10 }, (_, i) => 'x'.repeat(40) + i);
    const chunks = chunkBySize(items, 150);
    expect(chunks.flat()).toEqual(items);
    for (const chunk of chunks)
      expect(Buffer.byteLength(JSON.stringify(chunk))).toBeLessThanOrEqual(150 + chunk.length);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunkBySize(['a'.repeat(500)], 10)).toEqual([['a'.repeat(500)]]);
  });

  it('files batch results by position: upserts first, then removals', () => {
    const changes = emptyChanges();
    recordBatchResults(
      changes,
      [
        { operation: 'add', name: 'B', public_key: 'kb' },
        { operation: 'update', name: 'A', public_key: 'ka' },
      ],
      [{ name: 'old', public_key: 'ko' }],
      [
        { public_key: 'kb', op: 'upsert', ok: true },
        {
          public_key: '',
          op: 'upsert',
          ok: false,
          error: 'upsert[1].persistent_keepalive: must be <= 65535',
        },
        { public_key: 'ko', op: 'remove', ok: true },
      ],
    );
    expect(changes).toEqual({
      added: ['B'],
      updated: [],
      removed: ['old'],
      errors: [
        {
          public_key: 'ka',
          operation: 'update',
          message: 'upsert[1].persistent_keepalive: must be <= 65535',
        },
      ],
    });
  });

  it('fails every operation of a batch refused as a whole, each with the reason', () => {
    const changes = emptyChanges();
    const reason = 'receipt signature does not verify; the change is unverified';
    recordBatchFailure(
      changes,
      [{ operation: 'add', name: 'B', public_key: 'kb' }],
      [{ name: 'old', public_key: 'ko' }],
      reason,
    );
    expect(changes).toEqual({
      added: [],
      updated: [],
      removed: [],
      errors: [
        { public_key: 'kb', operation: 'add', message: reason },
        { public_key: 'ko', operation: 'remove', message: reason },
      ],
    });
  });

  it('finds the peer a syncconf refusal blames', () => {
    expect(blamedSyncconfIndex('peers[12].allowed_ips[0]: must be an IP address')).toBe(12);
    expect(blamedSyncconfIndex('body: is not valid JSON')).toBeNull();
  });

  it('names what a syncconf changed, leaving out the peers it had to exclude', () => {
    const plan = {
      add: [
        {
          peer_id: 'b',
          name: 'B',
          public_key: 'kb',
          allowed_ips: [],
          persistent_keepalive: 25,
          has_preshared_key: false,
        },
      ],
      update: [
        {
          peer_id: 'a',
          name: 'A',
          public_key: 'ka',
          allowed_ips: [],
          persistent_keepalive: 25,
          has_preshared_key: false,
          changes: [],
        },
      ],
      remove: [{ public_key: 'kx', peer_id: null, name: null, reason: 'unknown' as const }],
      interface: [],
      kept: [],
      cannot_restore: [],
    };
    expect(syncconfChanges(plan, new Set(['ka']))).toEqual({
      added: ['B'],
      updated: [],
      removed: ['kx'],
      errors: [],
    });
  });

  it('verifies only the categories that were asked for', () => {
    const a = testPeer('A', 1);
    const report = scanOf({ peers: [a], dump: testDump([observedPeer(a), foreignPeer(50)]) });
    expect(report.unknown_peers).toHaveLength(1);
    expect(isVerified(report, reconcileOptions())).toBe(true);
    expect(isVerified(report, reconcileOptions({ remove_unknown: true }))).toBe(false);
    const missing = scanOf({ peers: [a], dump: testDump([]) });
    expect(isVerified(missing, reconcileOptions())).toBe(false);
    expect(isVerified(missing, reconcileOptions({ reconcile_missing: false }))).toBe(true);
    const wrongPort = scanOf({ peers: [], dump: testDump([], { listen_port: 1 }) });
    expect(isVerified(wrongPort, reconcileOptions())).toBe(false);
  });

  it('knows when no plan can empty the node, so the guard needs no dump', () => {
    expect(cannotLeaveNodeEmpty(reconcileOptions(), [{ enabled: true }])).toBe(true);
    expect(cannotLeaveNodeEmpty(reconcileOptions(), [{ enabled: false }])).toBe(false);
    expect(cannotLeaveNodeEmpty(reconcileOptions({ reconcile_missing: false }), [{ enabled: true }])).toBe(
      false,
    );
  });

  it('summarises a result in counts only', () => {
    const result = { added: ['B'], updated: ['A'], removed: [], errors: [], verified: true };
    expect(resultSummary(result, null)).toEqual({
      added: 1,
      updated: 1,
      removed: 0,
      errors: 0,
      verified: true,
    });
    expect(resultSummary(null, 'plan is stale')).toMatchObject({ verified: false, error: 'plan is stale' });
  });
});
