import type { DriftSummary } from '../drift/domain/drift-report';
import type { NodeScanRow } from '../drift';
import { driftPeerSamples, lastScanSamples, nodeStatusSamples } from './drift-samples';

const summary: DriftSummary = {
  expected: 10,
  actual: 9,
  missing: 2,
  mismatched: 1,
  orphaned: 0,
  unknown: 1,
  interface: 0,
  pending: 3,
};
const scannedAt = new Date('2025-03-01T12:00:00Z');
const rows: NodeScanRow[] = [
  { node: 'eu', status: 'drift', lastScanAt: scannedAt, summary },
  {
    node: 'us',
    status: 'unknown',
    lastScanAt: scannedAt,
    summary: { ...summary, missing: 0, mismatched: 0, unknown: 0 },
  },
  { node: 'new', status: null, lastScanAt: null, summary: null },
];

describe('drift metric samples', () => {
  it('counts drifted peers per kind for nodes that answered', () => {
    expect(driftPeerSamples(rows)).toEqual([
      { labels: { node: 'eu', kind: 'missing' }, value: 2 },
      { labels: { node: 'eu', kind: 'mismatched' }, value: 1 },
      { labels: { node: 'eu', kind: 'orphaned' }, value: 0 },
      { labels: { node: 'eu', kind: 'unknown' }, value: 1 },
    ]);
  });

  it('sets exactly the current status to 1, and none for a node never scanned', () => {
    const samples = nodeStatusSamples(rows);
    expect(samples.filter((sample) => sample.value === 1).map((sample) => sample.labels)).toEqual([
      { node: 'eu', status: 'drift' },
      { node: 'us', status: 'unknown' },
    ]);
    expect(samples.filter((sample) => sample.labels.node === 'new').map((sample) => sample.value)).toEqual([
      0, 0, 0,
    ]);
  });

  it('gives the last scan time in unix seconds for scanned nodes', () => {
    expect(lastScanSamples(rows)).toEqual([
      { labels: { node: 'eu' }, value: scannedAt.getTime() / 1000 },
      { labels: { node: 'us' }, value: scannedAt.getTime() / 1000 },
    ]);
  });
});
