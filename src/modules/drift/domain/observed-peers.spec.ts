import type { DumpPeer } from '@wgfleet/protocol';
import { observedManagedPeers } from './observed-peers';

function observed(overrides: Partial<DumpPeer> = {}): DumpPeer {
  return {
    public_key: Buffer.alloc(32, 1).toString('base64'),
    preshared_key_sha256: null,
    endpoint: '198.51.100.7:40000',
    allowed_ips: ['10.0.1.2/32'],
    latest_handshake: 1_740_830_000,
    transfer_rx: 1000,
    transfer_tx: 2000,
    persistent_keepalive: 25,
    ...overrides,
  };
}

describe('observedManagedPeers', () => {
  it('pairs each observed peer with the current peer holding its key and skips the others', () => {
    const managed = observed({ public_key: Buffer.alloc(32, 1).toString('base64') });
    const foreign = observed({ public_key: Buffer.alloc(32, 9).toString('base64') });
    const peers = [
      { id: 'peer-1', public_key: managed.public_key },
      { id: 'peer-absent', public_key: Buffer.alloc(32, 5).toString('base64') },
    ];
    expect(observedManagedPeers(peers, [managed, foreign])).toEqual([
      { peerId: 'peer-1', observed: managed },
    ]);
  });
});
