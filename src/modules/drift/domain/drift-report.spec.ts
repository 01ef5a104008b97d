import { unreachableReport } from './drift-detector';
import { divergenceOf, fleetDriftReport } from './drift-report';
import { CHECKED_AT, foreignPeer, observedPeer, scanOf, testDump, testPeer } from './drift.fixtures';

describe('fleetDriftReport', () => {
  it('counts nodes by status and keeps the node reports in order', () => {
    const peer = testPeer('peer-a', 2);
    const inSync = scanOf({ peers: [peer], dump: testDump([observedPeer(peer)]) });
    const drifted = scanOf({ peers: [], dump: testDump([foreignPeer(100)]) });
    const down = unreachableReport({ id: 'node-2', name: 'us-east' }, 'connection refused', CHECKED_AT, 0);

    const fleet = fleetDriftReport([drifted, down, inSync], CHECKED_AT);

    expect(fleet.checked_at).toBe('2025-03-01T12:00:00.000Z');
    expect(fleet.summary).toEqual({ nodes: 3, in_sync: 1, drift: 1, unknown: 1 });
    expect(fleet.nodes).toEqual([drifted, down, inSync]);
  });

  it('reports an empty fleet as zero nodes', () => {
    expect(fleetDriftReport([], CHECKED_AT).summary).toEqual({ nodes: 0, in_sync: 0, drift: 0, unknown: 0 });
  });
});

describe('divergenceOf', () => {
  it("is the scan's findings, nothing else", () => {
    const a = testPeer('A', 1);
    const report = scanOf({ peers: [a], dump: testDump([{ ...observedPeer(a), persistent_keepalive: 9 }]) });
    expect(divergenceOf(report)).toEqual({
      missing_peers: [],
      mismatched_peers: report.mismatched_peers,
      orphaned_peers: [],
      unknown_peers: [],
      interface_mismatches: [],
    });
    expect(report.mismatched_peers).toHaveLength(1);
  });

  it('refuses a node whose state is unknown', () => {
    const report = { ...scanOf({ peers: [], dump: testDump([]) }), status: 'unknown' as const };
    expect(() => divergenceOf(report)).toThrow(/state is unknown/);
  });
});
