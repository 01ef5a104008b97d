import { divergenceOf } from './divergence';
import { observedPeer, scanOf, testDump, testPeer } from './drift.fixtures';

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
