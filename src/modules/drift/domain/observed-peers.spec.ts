import { foreignPeer, testKey } from './drift.fixtures';
import { observedManagedPeers } from './observed-peers';

describe('observedManagedPeers', () => {
  it('pairs each observed peer with the current peer holding its key and skips the others', () => {
    const managed = foreignPeer(1);
    const foreign = foreignPeer(9);
    const peers = [
      { id: 'peer-1', public_key: managed.public_key },
      { id: 'peer-absent', public_key: testKey(5) },
    ];
    expect(observedManagedPeers(peers, [managed, foreign])).toEqual([
      { peerId: 'peer-1', observed: managed },
    ]);
  });
});
