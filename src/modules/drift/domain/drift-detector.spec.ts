import { detectDrift, driftFingerprint, unreachableReport } from './drift-detector';
import {
  CHECKED_AT,
  NODE_KEY,
  foreignPeer,
  observedPeer,
  scanOf,
  testDefaults,
  testDump,
  testKey,
  testNode,
  testPeer,
  testPskHash,
} from './drift.fixtures';
import type { NodeDriftReport } from './drift-report';

const peerA = testPeer('peer-a', 2);
const peerB = testPeer('peer-b', 3);

describe('detectDrift: seed scenarios', () => {
  it('reports no drift when the node has exactly the desired peers', () => {
    const report = scanOf({ peers: [peerA], dump: testDump([observedPeer(peerA)]) });

    expect(report).toEqual({
      node_id: 'node-1',
      node_name: 'eu-west',
      checked_at: '2025-03-01T12:00:00.000Z',
      status: 'in_sync',
      has_drift: false,
      summary: {
        expected: 1,
        actual: 1,
        missing: 0,
        mismatched: 0,
        orphaned: 0,
        unknown: 0,
        interface: 0,
        pending: 0,
      },
      missing_peers: [],
      mismatched_peers: [],
      orphaned_peers: [],
      unknown_peers: [],
      interface_mismatches: [],
      pending_peers: [],
    });
    expect(report).not.toHaveProperty('error');
  });

  it('reports a peer the panel never managed as unknown', () => {
    const stranger = foreignPeer(100, { endpoint: '203.0.113.9:51000', persistent_keepalive: 15 });
    const report = scanOf({ peers: [], dump: testDump([stranger]) });

    expect(report.status).toBe('drift');
    expect(report.has_drift).toBe(true);
    expect(report.unknown_peers).toEqual([
      {
        public_key: testKey(100),
        allowed_ips: ['10.0.1.100/32'],
        endpoint: '203.0.113.9:51000',
        persistent_keepalive: 15,
      },
    ]);
    expect(report.summary).toMatchObject({ expected: 0, actual: 1, unknown: 1 });
  });

  it('reports an enabled desired peer absent from the node as missing', () => {
    const report = scanOf({ peers: [peerB], dump: testDump([]) });

    expect(report.missing_peers).toEqual([
      { peer_id: 'peer-peer-b', name: 'peer-b', public_key: testKey(3), allowed_ips: ['10.0.1.3/32'] },
    ]);
    expect(report.summary).toMatchObject({ expected: 1, actual: 0, missing: 1 });
    expect(report.status).toBe('drift');
  });

  it('reports differing allowed IPs field by field, as normalised sorted lists', () => {
    const peerC = testPeer('peer-c', 4, { allowed_ips: ['10.0.1.3/32', '10.0.1.2/32'] });
    const report = scanOf({
      peers: [peerC],
      dump: testDump([observedPeer(peerC, { allowed_ips: ['10.0.1.2'] })]),
    });

    expect(report.mismatched_peers).toEqual([
      {
        peer_id: 'peer-peer-c',
        name: 'peer-c',
        public_key: testKey(4),
        mismatches: [
          { field: 'allowed_ips', expected: ['10.0.1.2/32', '10.0.1.3/32'], actual: ['10.0.1.2/32'] },
        ],
      },
    ]);
    expect(report.summary.mismatched).toBe(1);
  });

  it('reports every category at once', () => {
    const report = scanOf({
      peers: [peerA, peerB],
      dump: testDump([observedPeer(peerA, { persistent_keepalive: 30 }), foreignPeer(100)]),
    });

    expect(report.summary).toEqual({
      expected: 2,
      actual: 2,
      missing: 1,
      mismatched: 1,
      orphaned: 0,
      unknown: 1,
      interface: 0,
      pending: 0,
    });
    expect(report.missing_peers.map((peer) => peer.name)).toEqual(['peer-b']);
    expect(report.mismatched_peers[0].mismatches).toEqual([
      { field: 'persistent_keepalive', expected: 25, actual: 30 },
    ]);
    expect(report.unknown_peers.map((peer) => peer.public_key)).toEqual([testKey(100)]);
  });
});

describe('detectDrift: orphaned, disabled and pending peers', () => {
  it('reports a peer the panel once managed and has since deleted as orphaned, not unknown', () => {
    const deletedKey = testKey(9);
    const report = scanOf({
      peers: [],
      managedKeys: new Map([[deletedKey, { peer_id: 'peer-old', name: 'old laptop' }]]),
      dump: testDump([foreignPeer(9, { allowed_ips: ['10.0.1.9'] })]),
    });

    expect(report.orphaned_peers).toEqual([
      { peer_id: 'peer-old', name: 'old laptop', public_key: deletedKey, allowed_ips: ['10.0.1.9/32'] },
    ]);
    expect(report.unknown_peers).toEqual([]);
    expect(report.status).toBe('drift');
  });

  it('expects disabled peers to be absent: absent is in sync, present is orphaned', () => {
    const disabled = testPeer('peer-off', 5, { enabled: false });

    const absent = scanOf({ peers: [peerA, disabled], dump: testDump([observedPeer(peerA)]) });
    expect(absent.status).toBe('in_sync');
    expect(absent.summary.expected).toBe(1);

    const present = scanOf({
      peers: [peerA, disabled],
      dump: testDump([observedPeer(peerA), observedPeer(disabled)]),
    });
    expect(present.orphaned_peers).toEqual([
      { peer_id: 'peer-peer-off', name: 'peer-off', public_key: testKey(5), allowed_ips: ['10.0.1.5/32'] },
    ]);
    expect(present.summary).toMatchObject({ expected: 1, actual: 2, orphaned: 1, unknown: 0 });
  });

  it('lists peers awaiting their change as pending and leaves them out of every drift list', () => {
    const created = testPeer('new-peer', 6);
    const deleted = foreignPeer(7);
    const edited = testPeer('edited', 8, { persistent_keepalive: 10 });
    const pending = [
      { peer_id: created.id, name: created.name, public_key: created.public_key },
      { peer_id: 'peer-gone', name: 'gone', public_key: deleted.public_key },
      { peer_id: edited.id, name: edited.name, public_key: edited.public_key },
    ];
    const report = scanOf({
      peers: [created, edited],
      managedKeys: new Map([[deleted.public_key, { peer_id: 'peer-gone', name: 'gone' }]]),
      pending,
      dump: testDump([deleted, observedPeer(edited, { persistent_keepalive: 25 })]),
    });

    expect(report.status).toBe('in_sync');
    expect(report.has_drift).toBe(false);
    expect(report.summary).toMatchObject({
      expected: 2,
      actual: 2,
      missing: 0,
      mismatched: 0,
      orphaned: 0,
      pending: 3,
    });
    expect(report.pending_peers.map((peer) => peer.name)).toEqual(['edited', 'gone', 'new-peer']);
  });
});

describe('detectDrift: compared fields', () => {
  it('compares the effective keepalive: peer value, else node override, else panel default', () => {
    const node = testNode({ override_keepalive: 15 });
    const inherits = testPeer('inherits', 2);
    const own = testPeer('own', 3, { persistent_keepalive: 0 });
    const dump = testDump([
      observedPeer(inherits, { persistent_keepalive: 15 }),
      observedPeer(own, { persistent_keepalive: 0 }),
    ]);

    expect(scanOf({ node, peers: [inherits, own], dump }).status).toBe('in_sync');
    expect(scanOf({ peers: [inherits, own], dump }).mismatched_peers).toEqual([
      expect.objectContaining({
        name: 'inherits',
        mismatches: [{ field: 'persistent_keepalive', expected: 25, actual: 15 }],
      }),
    ]);
  });

  it('compares preshared keys by hash and reports only presence', () => {
    const withPsk = testPeer('with-psk', 2, { preshared_key_sha256: testPskHash(50) });
    const withoutPsk = testPeer('without-psk', 3);
    const report = scanOf({
      peers: [withPsk, withoutPsk],
      dump: testDump([
        observedPeer(withPsk, { preshared_key_sha256: testPskHash(51) }),
        observedPeer(withoutPsk, { preshared_key_sha256: testPskHash(52) }),
      ]),
    });
    const mismatchOf = (name: string) =>
      report.mismatched_peers.find((peer) => peer.name === name)?.mismatches;

    expect(mismatchOf('with-psk')).toEqual([
      { field: 'preshared_key', expected: 'present', actual: 'different' },
    ]);
    expect(mismatchOf('without-psk')).toEqual([
      { field: 'preshared_key', expected: 'absent', actual: 'present' },
    ]);
    expect(JSON.stringify(report)).not.toContain(testPskHash(50));

    const stripped = scanOf({
      peers: [withPsk],
      dump: testDump([observedPeer(withPsk, { preshared_key_sha256: null })]),
    });
    expect(stripped.mismatched_peers[0].mismatches).toEqual([
      { field: 'preshared_key', expected: 'present', actual: 'absent' },
    ]);
  });

  it("expects a site's routed networks among its allowed IPs on the node", () => {
    const site = testPeer('site-b', 4, { routed_ips: ['192.168.60.0/24'] });
    expect(scanOf({ peers: [site], dump: testDump([observedPeer(site)]) }).status).toBe('in_sync');
    const lost = scanOf({
      peers: [site],
      dump: testDump([observedPeer(site, { allowed_ips: ['10.0.1.4/32'] })]),
    });
    expect(lost.mismatched_peers[0].mismatches).toEqual([
      { field: 'allowed_ips', expected: ['10.0.1.4/32', '192.168.60.0/24'], actual: ['10.0.1.4/32'] },
    ]);
  });

  it('compares the endpoint only when the panel sets one', () => {
    const site = testPeer('site-b', 4, { endpoint: '10.233.9.1:40000' });
    expect(scanOf({ peers: [site], dump: testDump([observedPeer(site)]) }).status).toBe('in_sync');
    const moved = scanOf({
      peers: [site],
      dump: testDump([observedPeer(site, { endpoint: '10.233.9.1:40001' })]),
    });
    expect(moved.mismatched_peers[0].mismatches).toEqual([
      { field: 'endpoint', expected: '10.233.9.1:40000', actual: '10.233.9.1:40001' },
    ]);
    const lost = scanOf({ peers: [site], dump: testDump([observedPeer(site, { endpoint: null })]) });
    expect(lost.mismatched_peers[0].mismatches).toEqual([
      { field: 'endpoint', expected: '10.233.9.1:40000', actual: null },
    ]);
    // A client without a set endpoint roams freely.
    expect(
      scanOf({ peers: [peerA], dump: testDump([observedPeer(peerA, { endpoint: '203.0.113.1:1' })]) }).status,
    ).toBe('in_sync');
  });

  it('treats equal networks in different spellings as equal', () => {
    const peer = testPeer('dual-stack', 2, { allowed_ips: ['10.0.1.2', 'fd00:0:0:0::0002/128'] });
    const report = scanOf({
      peers: [peer],
      dump: testDump([observedPeer(peer, { allowed_ips: ['FD00::2', '10.0.1.2/32', '10.0.1.2/32'] })]),
    });

    expect(report.status).toBe('in_sync');
  });

  it('reports an interface listen port other than the effective one', () => {
    const node = testNode({ listen_port: 51820, override_listen_port: 51900 });
    const report = scanOf({ node, peers: [], dump: testDump([], { listen_port: 51820 }) });

    expect(report.interface_mismatches).toEqual([{ field: 'listen_port', expected: 51900, actual: 51820 }]);
    expect(report.summary.interface).toBe(1);
    expect(report.status).toBe('drift');
  });

  it("compares the interface MTU and fwmark only when the node's pinned template sets them", () => {
    const dump = testDump([], { mtu: 1420, fwmark: null });
    expect(scanOf({ peers: [], dump }).status).toBe('in_sync');

    const templated = testNode({ template_settings: { interface_mtu: 1380, fwmark: 51820 } });
    expect(scanOf({ node: templated, peers: [], dump }).interface_mismatches).toEqual([
      { field: 'interface_mtu', expected: 1380, actual: 1420 },
      { field: 'fwmark', expected: 51820, actual: null },
    ]);
    const applied = testDump([], { mtu: 1380, fwmark: 51820 });
    expect(scanOf({ node: templated, peers: [], dump: applied }).status).toBe('in_sync');

    // fwmark 0 asks for no mark, which wg shows as off; an agent that reports no MTU cannot match one.
    const cleared = testNode({ template_settings: { fwmark: 0, interface_mtu: 1420 } });
    expect(scanOf({ node: cleared, peers: [], dump }).status).toBe('in_sync');
    expect(scanOf({ node: cleared, peers: [], dump: testDump([]) }).interface_mismatches).toEqual([
      { field: 'interface_mtu', expected: 1420, actual: null },
    ]);
  });

  it('falls back to the panel default listen port', () => {
    const node = testNode({ listen_port: null });
    const dump = testDump([], { listen_port: testDefaults.listen_port });

    expect(scanOf({ node, peers: [], dump }).status).toBe('in_sync');
  });

  it('reports an interface public key that differs from the registered one, only when one is registered', () => {
    const otherKey = testKey(201);
    const dump = testDump([], { public_key: otherKey });

    expect(scanOf({ peers: [], dump }).interface_mismatches).toEqual([
      { field: 'public_key', expected: NODE_KEY, actual: otherKey },
    ]);
    expect(scanOf({ node: testNode({ public_key: null }), peers: [], dump }).status).toBe('in_sync');
  });

  it('sorts every list so equal states give equal reports', () => {
    const peers = [testPeer('zulu', 2), testPeer('alpha', 3), testPeer('mike', 4)];
    const report = scanOf({ peers, dump: testDump([foreignPeer(120), foreignPeer(110)]) });

    expect(report.missing_peers.map((peer) => peer.name)).toEqual(['alpha', 'mike', 'zulu']);
    expect(report.unknown_peers.map((peer) => peer.public_key)).toEqual([testKey(110), testKey(120)].sort());
  });
});

describe('unreachableReport', () => {
  it('reports status unknown with the error, no drift and empty lists, and the peers the panel expects', () => {
    const report = unreachableReport(
      { id: 'node-9', name: 'ap-south' },
      'agent timed out after 5000 ms',
      CHECKED_AT,
      3,
    );

    expect(report).toMatchObject({
      node_id: 'node-9',
      node_name: 'ap-south',
      checked_at: CHECKED_AT.toISOString(),
      status: 'unknown',
      has_drift: false,
      error: 'agent timed out after 5000 ms',
      summary: expect.objectContaining({ expected: 3, actual: 0, missing: 0 }),
      missing_peers: [],
      mismatched_peers: [],
      orphaned_peers: [],
      unknown_peers: [],
      interface_mismatches: [],
      pending_peers: [],
    });
    expect(driftFingerprint(report)).toBeNull();
  });
});

describe('driftFingerprint', () => {
  const driftedDump = () =>
    testDump([observedPeer(peerA, { persistent_keepalive: 30 }), foreignPeer(100), foreignPeer(101)], {
      listen_port: 51821,
    });

  it('is null when in sync', () => {
    expect(driftFingerprint(scanOf({ peers: [peerA], dump: testDump([observedPeer(peerA)]) }))).toBeNull();
  });

  it('is the same for the same drift seen at another time with other counters and endpoints', () => {
    const first = scanOf({ peers: [peerA, peerB], dump: driftedDump() });
    const laterDump = driftedDump();
    laterDump.peers = laterDump.peers.map((peer) => ({
      ...peer,
      latest_handshake: peer.latest_handshake + 120,
      transfer_rx: peer.transfer_rx + 999,
      endpoint: '192.0.2.44:1234',
    }));
    const later = detectDrift({
      node: testNode(),
      peers: [peerA, peerB],
      managedKeys: new Map(),
      pending: [],
      dump: laterDump,
      defaults: testDefaults,
      checkedAt: new Date('2025-03-02T00:00:00Z'),
    });

    expect(driftFingerprint(later)).toMatch(/^[0-9a-f]{64}$/);
    expect(driftFingerprint(later)).toBe(driftFingerprint(first));
  });

  it('does not depend on the order of lists in the report', () => {
    const report = scanOf({ peers: [peerA, peerB, testPeer('peer-c', 4)], dump: driftedDump() });
    const reordered: NodeDriftReport = JSON.parse(JSON.stringify(report));
    reordered.missing_peers.reverse();
    reordered.unknown_peers.reverse();
    reordered.unknown_peers[0].allowed_ips = ['10.0.1.101/32', '10.0.1.200/32'];
    report.unknown_peers.find(
      (peer) => peer.public_key === reordered.unknown_peers[0].public_key,
    )!.allowed_ips = ['10.0.1.200/32', '10.0.1.101/32'];

    expect(driftFingerprint(reordered)).toBe(driftFingerprint(report));
  });

  it('changes with any change of the drift', () => {
    const base = driftFingerprint(scanOf({ peers: [peerA, peerB], dump: driftedDump() }));
    const variants = [
      scanOf({ peers: [peerA], dump: driftedDump() }),
      scanOf({ peers: [peerA, peerB, testPeer('peer-c', 4)], dump: driftedDump() }),
      scanOf({ peers: [peerA, peerB], dump: { ...driftedDump(), peers: driftedDump().peers.slice(0, 2) } }),
      scanOf({
        peers: [peerA, peerB],
        dump: { ...driftedDump(), interface: { ...driftedDump().interface, listen_port: 1 } },
      }),
      scanOf({ peers: [peerA, { ...peerB, allowed_ips: ['10.0.1.33/32'] }], dump: driftedDump() }),
      scanOf({ peers: [{ ...peerA, persistent_keepalive: 20 }, peerB], dump: driftedDump() }),
    ];
    const fingerprints = variants.map(driftFingerprint);

    expect(new Set([base, ...fingerprints]).size).toBe(variants.length + 1);
  });
});
