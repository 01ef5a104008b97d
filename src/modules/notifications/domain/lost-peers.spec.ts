import { lostPeersNote } from './lost-peers';

describe('the note of an alert about a node that lost its peers', () => {
  it('is there only when every expected peer is missing from an empty interface', () => {
    expect(lostPeersNote({ expected: 20, actual: 0, missing: 20 })).toMatch(
      /none of its 20 peers.*auto_reconcile "safe".*reconcile/,
    );
    expect(lostPeersNote({ expected: 0, actual: 0, missing: 0 })).toBeNull();
    expect(lostPeersNote({ expected: 20, actual: 0, missing: 19 })).toBeNull();
    expect(lostPeersNote({ expected: 20, actual: 3, missing: 20 })).toBeNull();
  });
});
