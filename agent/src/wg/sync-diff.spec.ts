import type { DumpPeer } from '@wgfleet/protocol';
import { sha256Hex } from '@wgfleet/protocol';
import { countSyncChanges, peerDiffers } from './sync-diff';

const PSK = 'ySsMZkLj/xL5FtAfcua88yoOl3V+WDdkaxgs8TYF2mE=';
const current = (key: string, over: Partial<DumpPeer> = {}): DumpPeer => ({
  public_key: key,
  preshared_key_sha256: null,
  endpoint: null,
  allowed_ips: ['10.0.0.2/32'],
  latest_handshake: 0,
  transfer_rx: 0,
  transfer_tx: 0,
  persistent_keepalive: 0,
  ...over,
});

describe('peerDiffers', () => {
  it('compares allowed IPs as normalised sets', () => {
    const peer = current('a', { allowed_ips: ['10.0.0.2/32', '10.1.0.0/24'] });
    expect(peerDiffers(peer, { public_key: 'a', allowed_ips: ['10.1.0.7/24', '10.0.0.2'] })).toBe(false);
    expect(peerDiffers(peer, { public_key: 'a', allowed_ips: ['10.0.0.2/32'] })).toBe(true);
  });

  it('compares only the optional fields that are given', () => {
    const peer = current('a', {
      persistent_keepalive: 25,
      preshared_key_sha256: sha256Hex(PSK),
      endpoint: '192.0.2.1:1',
    });
    const base = { public_key: 'a', allowed_ips: ['10.0.0.2/32'] };
    expect(peerDiffers(peer, base)).toBe(false);
    expect(
      peerDiffers(peer, { ...base, persistent_keepalive: 25, preshared_key: PSK, endpoint: '192.0.2.1:1' }),
    ).toBe(false);
    expect(peerDiffers(peer, { ...base, persistent_keepalive: 0 })).toBe(true);
    expect(peerDiffers(peer, { ...base, preshared_key: null })).toBe(true);
    expect(peerDiffers(peer, { ...base, endpoint: '192.0.2.2:1' })).toBe(true);
    expect(peerDiffers(peer, { ...base, endpoint: null })).toBe(false);
  });
});

describe('countSyncChanges', () => {
  it('counts added, updated and removed peers', () => {
    const before = [current('kept'), current('changed'), current('gone')];
    const desired = [
      { public_key: 'kept', allowed_ips: ['10.0.0.2/32'] },
      { public_key: 'changed', allowed_ips: ['10.0.0.3/32'] },
      { public_key: 'new', allowed_ips: [] },
    ];
    expect(countSyncChanges(before, desired)).toEqual({ added: 1, updated: 1, removed: 1 });
  });
});
