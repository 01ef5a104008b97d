import type { DesiredPeer } from '../../../common/domain/desired-state';
import type { DriftInput } from '../../drift/domain/drift-detector';
import {
  foreignPeer,
  observedPeer,
  scanOf,
  testDefaults,
  testDump,
  testKey,
  testNode,
  testPeer,
  testPskHash,
} from '../../drift/domain/drift.fixtures';
import {
  DEFAULT_RECONCILE_OPTIONS,
  isEmptyPlan,
  planLeavesNodeEmpty,
  planReconcile,
  planStateFingerprint,
  reconcileOptions,
  syncconfPeerSet,
  type ReconcileOptions,
} from './reconcile-plan';

/** The seed's reconcile example: A has keepalive 30 instead of 25, B is missing, X is unknown. */
function seedExample() {
  const peerA = testPeer('peer-a', 2, { persistent_keepalive: 25 });
  const peerB = testPeer('peer-b', 3, { persistent_keepalive: 25, preshared_key_sha256: testPskHash(60) });
  const desiredPeers = [peerA, peerB];
  const dump = testDump([observedPeer(peerA, { persistent_keepalive: 30 }), foreignPeer(100)]);
  return { peerA, peerB, desiredPeers, dump, divergence: scanOf({ peers: desiredPeers, dump }) };
}

function plan(
  desiredPeers: DesiredPeer[],
  scan: Partial<DriftInput> & Pick<DriftInput, 'dump'>,
  options: Partial<ReconcileOptions> = {},
) {
  const node = scan.node ?? testNode();
  return planReconcile({
    divergence: scanOf({ ...scan, peers: desiredPeers }),
    desiredPeers,
    node,
    defaults: testDefaults,
    options: reconcileOptions(options),
  });
}

describe('reconcileOptions', () => {
  it('fills the contract defaults and keeps a default for a field given as undefined', () => {
    expect(reconcileOptions()).toEqual({
      reconcile_missing: true,
      reconcile_mismatched: true,
      remove_orphaned: true,
      remove_unknown: false,
      mode: 'batch',
      dry_run: false,
      allow_empty: false,
    });
    expect(reconcileOptions({ remove_unknown: true, mode: undefined, plan_id: 'p1' })).toEqual({
      ...DEFAULT_RECONCILE_OPTIONS,
      remove_unknown: true,
      plan_id: 'p1',
    });
  });
});

describe('planReconcile', () => {
  it('plans the seed example: update A, add B with its keepalive and preshared key flag, leave X alone', () => {
    const { desiredPeers, dump } = seedExample();

    expect(plan(desiredPeers, { dump }, { remove_unknown: false })).toEqual({
      add: [
        {
          peer_id: 'peer-peer-b',
          name: 'peer-b',
          public_key: testKey(3),
          allowed_ips: ['10.0.1.3/32'],
          persistent_keepalive: 25,
          has_preshared_key: true,
        },
      ],
      update: [
        {
          peer_id: 'peer-peer-a',
          name: 'peer-a',
          public_key: testKey(2),
          allowed_ips: ['10.0.1.2/32'],
          persistent_keepalive: 25,
          has_preshared_key: false,
          changes: [{ field: 'persistent_keepalive', expected: 25, actual: 30, from: 30, to: 25 }],
        },
      ],
      remove: [],
      interface: [],
      kept: [{ public_key: foreignPeer(100).public_key, peer_id: null, name: null, reason: 'unknown' }],
      cannot_restore: [],
    });
  });

  it('lists a peer whose preshared key it holds only as a hash as "cannot restore", never as an add', () => {
    const adopted = testPeer('adopted', 4, { preshared_key_sha256: testPskHash(61) });
    const rekeyed = testPeer('rekeyed', 5, { preshared_key_sha256: testPskHash(62) });
    const adoptedNoKey = testPeer('adopted-no-key', 6);
    const desiredPeers = [adopted, rekeyed, adoptedNoKey];
    const dump = testDump([
      observedPeer(rekeyed, { preshared_key_sha256: testPskHash(63), persistent_keepalive: 9 }),
    ]);
    const unheld = new Set([adopted.id, rekeyed.id, adoptedNoKey.id]);
    const planned = planReconcile({
      divergence: scanOf({ peers: desiredPeers, dump }),
      desiredPeers,
      node: testNode(),
      defaults: testDefaults,
      options: reconcileOptions(),
      presharedKeyUnheld: unheld,
    });
    expect(planned.add.map((peer) => peer.name)).toEqual(['adopted-no-key']);
    expect(planned.update).toEqual([]);
    expect(planned.cannot_restore).toEqual([
      {
        peer_id: adopted.id,
        name: 'adopted',
        public_key: adopted.public_key,
        operation: 'add',
        reason: 'the panel does not hold its preshared key',
      },
      {
        peer_id: rekeyed.id,
        name: 'rekeyed',
        public_key: rekeyed.public_key,
        operation: 'update',
        reason: 'the panel does not hold its preshared key',
      },
    ]);
    // Without the set (a blind sync keeps the node's key) the same peers are plain adds and updates.
    const blind = plan(desiredPeers, { dump });
    expect(blind.add).toHaveLength(2);
    expect(blind.update).toHaveLength(1);
    expect(blind.cannot_restore).toEqual([]);
  });

  it('never carries a secret or its hash', () => {
    const { desiredPeers, dump } = seedExample();
    const text = JSON.stringify(plan(desiredPeers, { dump }));

    expect(text).not.toContain(testPskHash(60));
    expect(text).not.toContain(testKey(60));
  });

  it('plans full effective settings for an added peer, with inherited keepalive', () => {
    const peer = testPeer('inherits', 2, { allowed_ips: ['10.0.1.2', 'FD00::2'] });
    const node = testNode({ override_keepalive: 15 });

    expect(plan([peer], { node, dump: testDump([]) }).add).toEqual([
      expect.objectContaining({ allowed_ips: ['10.0.1.2/32', 'fd00::2/128'], persistent_keepalive: 15 }),
    ]);
  });

  it('switches each category off with its option', () => {
    const { desiredPeers, dump } = seedExample();
    const orphan = foreignPeer(9);
    const withOrphan = { ...dump, peers: [...dump.peers, orphan] };
    const managedKeys = new Map([[orphan.public_key, { peer_id: 'peer-old', name: 'old' }]]);
    const count = (options: Partial<ReconcileOptions>) => {
      const result = plan(desiredPeers, { dump: withOrphan, managedKeys }, options);
      return { add: result.add.length, update: result.update.length, remove: result.remove.length };
    };

    expect(count({})).toEqual({ add: 1, update: 1, remove: 1 });
    expect(count({ reconcile_missing: false })).toEqual({ add: 0, update: 1, remove: 1 });
    expect(count({ reconcile_mismatched: false })).toEqual({ add: 1, update: 0, remove: 1 });
    expect(count({ remove_orphaned: false })).toEqual({ add: 1, update: 1, remove: 0 });
    expect(count({ remove_unknown: true })).toEqual({ add: 1, update: 1, remove: 2 });
  });

  it('removes orphaned peers by default, and unknown ones only when asked, naming the reason of each removed or kept', () => {
    const orphan = foreignPeer(9);
    const stranger = foreignPeer(100);
    const scan = {
      dump: testDump([orphan, stranger]),
      managedKeys: new Map([[orphan.public_key, { peer_id: 'peer-old', name: 'old laptop' }]]),
    };

    const orphaned = {
      public_key: orphan.public_key,
      peer_id: 'peer-old',
      name: 'old laptop',
      reason: 'orphaned',
    };
    const unknown = { public_key: stranger.public_key, peer_id: null, name: null, reason: 'unknown' };

    expect(plan([], scan)).toMatchObject({ remove: [orphaned], kept: [unknown] });
    expect(plan([], scan, { remove_unknown: true, remove_orphaned: false })).toMatchObject({
      remove: [unknown],
      kept: [orphaned],
    });
    expect(plan([], scan, { remove_unknown: true }).kept).toEqual([]);
  });

  it('plans a listen port repair but never a public key change', () => {
    const node = testNode({ override_listen_port: 51900 });
    const dump = testDump([], { listen_port: 51820, public_key: testKey(201) });
    const report = scanOf({ node, peers: [], dump });
    expect(report.interface_mismatches).toHaveLength(2);

    expect(plan([], { node, dump }).interface).toEqual([
      { field: 'listen_port', expected: 51900, actual: 51820, from: 51820, to: 51900 },
    ]);
    expect(plan([], { node, dump }, { reconcile_mismatched: false }).interface).toEqual([]);

    const keyOnly = plan([], { dump: testDump([], { public_key: testKey(201) }) });
    expect(isEmptyPlan(keyOnly)).toBe(true);
  });

  it("plans the interface MTU and fwmark the node's pinned template sets", () => {
    const node = testNode({ template_settings: { interface_mtu: 1380, fwmark: 7 } });
    const dump = testDump([], { mtu: 1420, fwmark: null });
    expect(plan([], { node, dump }).interface).toEqual([
      { field: 'interface_mtu', expected: 1380, actual: 1420, from: 1420, to: 1380 },
      { field: 'fwmark', expected: 7, actual: null, from: null, to: 7 },
    ]);
  });
});

describe('isEmptyPlan', () => {
  it('is true only when nothing would change', () => {
    const peer = testPeer('peer-a', 2);
    expect(isEmptyPlan(plan([peer], { dump: testDump([observedPeer(peer)]) }))).toBe(true);
    expect(isEmptyPlan(plan([peer], { dump: testDump([]) }))).toBe(false);
  });
});

describe('planLeavesNodeEmpty and syncconfPeerSet', () => {
  function setup(
    desiredPeers: DesiredPeer[],
    dump = testDump([foreignPeer(100)]),
    given: Partial<ReconcileOptions> = {},
  ) {
    const options = reconcileOptions(given);
    const report = scanOf({ peers: desiredPeers, dump });
    const input = {
      divergence: report,
      desiredPeers,
      node: testNode(),
      defaults: testDefaults,
      options,
      dump,
    };
    const result = planReconcile(input);
    return { leavesEmpty: planLeavesNodeEmpty(result, report, options), syncconf: syncconfPeerSet(input) };
  }

  it('flags a batch reconcile that would remove the last peers', () => {
    expect(setup([], undefined, { remove_unknown: true }).leavesEmpty).toBe(true);
    expect(setup([], undefined, { remove_unknown: false }).leavesEmpty).toBe(false);
    expect(setup([testPeer('peer-a', 2)], undefined, { remove_unknown: true }).leavesEmpty).toBe(false);
  });

  it('does not flag a node that has no peers to begin with', () => {
    expect(setup([], testDump([])).leavesEmpty).toBe(false);
  });

  it('flags a syncconf reconcile with no desired peers unless unknown peers are kept', () => {
    expect(setup([], undefined, { mode: 'syncconf', remove_unknown: true }).leavesEmpty).toBe(true);
    expect(setup([], undefined, { mode: 'syncconf' }).leavesEmpty).toBe(false);
    const missingOnly = setup([testPeer('peer-a', 2)], undefined, {
      mode: 'syncconf',
      remove_unknown: true,
      reconcile_missing: false,
    });
    expect(missingOnly.leavesEmpty).toBe(true);
    expect(missingOnly.syncconf).toEqual([]);
  });

  it('sends every enabled desired peer and keeps unknown peers as observed', () => {
    const peerA = testPeer('peer-a', 2);
    const peerB = testPeer('peer-b', 3, { preshared_key_sha256: testPskHash(61) });
    const disabled = testPeer('off', 4, { enabled: false });
    const stranger = foreignPeer(100, { endpoint: '203.0.113.9:51000', persistent_keepalive: 15 });
    const { syncconf, leavesEmpty } = setup(
      [peerA, peerB, disabled],
      testDump([observedPeer(peerA, { persistent_keepalive: 30 }), observedPeer(disabled), stranger]),
      { mode: 'syncconf' },
    );

    expect(leavesEmpty).toBe(false);
    expect(syncconf).toEqual([
      {
        source: 'desired',
        peer: expect.objectContaining({ public_key: peerA.public_key, persistent_keepalive: 25 }),
      },
      {
        source: 'desired',
        peer: expect.objectContaining({ public_key: peerB.public_key, has_preshared_key: true }),
      },
      {
        source: 'kept',
        peer: {
          public_key: stranger.public_key,
          allowed_ips: ['10.0.1.100/32'],
          persistent_keepalive: 15,
          endpoint: '203.0.113.9:51000',
          reason: 'unknown',
        },
      },
    ]);
  });

  it('keeps orphaned peers unless remove_orphaned and unreconciled mismatches as observed', () => {
    const peerA = testPeer('peer-a', 2);
    const disabled = testPeer('off', 4, { enabled: false });
    const dump = testDump([observedPeer(peerA, { persistent_keepalive: 30 }), observedPeer(disabled)]);
    const { syncconf } = setup([peerA, disabled], dump, {
      mode: 'syncconf',
      remove_orphaned: false,
      reconcile_mismatched: false,
    });

    expect(syncconf.map(({ source, peer }) => [source, peer.public_key, peer.persistent_keepalive])).toEqual([
      ['kept', peerA.public_key, 30],
      ['kept', disabled.public_key, 25],
    ]);
    expect(syncconf.map(({ peer }) => ('reason' in peer ? peer.reason : null))).toEqual([
      'unreconciled',
      'orphaned',
    ]);
  });

  it('agrees with the size of the syncconf set for every option combination', () => {
    const desired = [testPeer('peer-a', 2), testPeer('peer-b', 3), testPeer('off', 4, { enabled: false })];
    const dump = testDump([
      observedPeer(desired[0], { persistent_keepalive: 1 }),
      observedPeer(desired[2]),
      foreignPeer(100),
    ]);
    for (const reconcile_missing of [true, false]) {
      for (const remove_unknown of [true, false]) {
        for (const remove_orphaned of [true, false]) {
          const peerSets = [desired, desired.slice(1), [desired[2]], []];
          for (const peers of peerSets) {
            const options = { mode: 'syncconf' as const, reconcile_missing, remove_unknown, remove_orphaned };
            const { syncconf, leavesEmpty } = setup(peers, dump, options);
            expect({ options, peers: peers.length, leavesEmpty }).toEqual({
              options,
              peers: peers.length,
              leavesEmpty: syncconf.length === 0,
            });
          }
        }
      }
    }
  });
});

describe('planStateFingerprint', () => {
  const { desiredPeers, dump } = seedExample();
  const fingerprint = (overrides: Partial<Parameters<typeof planStateFingerprint>[0]> = {}) =>
    planStateFingerprint({ desiredPeers, node: testNode(), defaults: testDefaults, dump, ...overrides });

  it('ignores handshakes, transfer counters, endpoints and order', () => {
    const busier = {
      ...dump,
      peers: [...dump.peers]
        .reverse()
        .map((peer) => ({ ...peer, latest_handshake: 99, transfer_rx: 5e9, endpoint: '192.0.2.1:9' })),
    };

    expect(fingerprint()).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint({ dump: busier, desiredPeers: [...desiredPeers].reverse() })).toBe(fingerprint());
  });

  it('changes when an observed or desired keepalive changes', () => {
    const observedChange = {
      ...dump,
      peers: dump.peers.map((peer) => ({ ...peer, persistent_keepalive: 7 })),
    };
    const desiredChange = desiredPeers.map((peer) => ({ ...peer, persistent_keepalive: 40 }));

    expect(fingerprint({ dump: observedChange })).not.toBe(fingerprint());
    expect(fingerprint({ desiredPeers: desiredChange })).not.toBe(fingerprint());
    expect(
      fingerprint({
        node: testNode({ override_keepalive: 5 }),
        desiredPeers: desiredPeers.map((p) => ({ ...p, persistent_keepalive: null })),
      }),
    ).not.toBe(
      fingerprint({ desiredPeers: desiredPeers.map((p) => ({ ...p, persistent_keepalive: null })) }),
    );
  });

  it('changes with a preshared key, an enabled flag, allowed IPs or the listen port', () => {
    const variants = [
      fingerprint({
        desiredPeers: [desiredPeers[0], { ...desiredPeers[1], preshared_key_sha256: testPskHash(62) }],
      }),
      fingerprint({ desiredPeers: [desiredPeers[0], { ...desiredPeers[1], enabled: false }] }),
      fingerprint({ desiredPeers: [{ ...desiredPeers[0], allowed_ips: ['10.0.1.50/32'] }, desiredPeers[1]] }),
      fingerprint({ dump: { ...dump, interface: { ...dump.interface, listen_port: 1 } } }),
      fingerprint({ node: testNode({ override_listen_port: 2 }) }),
      fingerprint({ dump: { ...dump, peers: dump.peers.slice(1) } }),
    ];

    expect(new Set([fingerprint(), ...variants]).size).toBe(variants.length + 1);
  });
});
