import { driftExitCode, EXIT } from './exit-codes';

describe('driftExitCode', () => {
  it('is 0 when every node is in sync, and for no nodes at all', () => {
    expect(driftExitCode(['in_sync', 'in_sync'])).toBe(EXIT.ok);
    expect(driftExitCode([])).toBe(EXIT.ok);
  });

  it('is 2 when a node drifted', () => {
    expect(driftExitCode(['in_sync', 'drift'])).toBe(2);
  });

  it('is 3 when any node is unknown, even beside drift: an unchecked node may hide more', () => {
    expect(driftExitCode(['drift', 'unknown', 'in_sync'])).toBe(3);
  });
});
