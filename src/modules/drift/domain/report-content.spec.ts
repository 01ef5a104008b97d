import { unreachableReport } from './drift-detector';
import { reportContentHash } from './report-content';

describe('reportContentHash', () => {
  const node = { id: '0d6c3f5e-8a4b-4c2d-9e1f-1234567890ab', name: 'edge-1' };
  const report = unreachableReport(node, 'connect_refused', new Date('2026-12-02T10:00:00.000Z'), 0);

  it('is the same for the same findings at another time', () => {
    const later = unreachableReport(node, 'connect_refused', new Date('2026-12-02T10:05:00.000Z'), 0);
    expect(reportContentHash(later)).toBe(reportContentHash(report));
  });

  it('differs when anything but the time differs', () => {
    const hash = reportContentHash(report);
    expect(reportContentHash({ ...report, error: 'timeout' })).not.toBe(hash);
    expect(reportContentHash({ ...report, node_name: 'edge-2' })).not.toBe(hash);
    expect(reportContentHash({ ...report, summary: { ...report.summary, expected: 1 } })).not.toBe(hash);
    expect(
      reportContentHash({
        ...report,
        unknown_peers: [
          { public_key: 'k', allowed_ips: [], endpoint: '192.0.2.1:51820', persistent_keepalive: 0 },
        ],
      }),
    ).not.toBe(hash);
  });
});
