import { parsePersistedPeers } from './persisted-config';

describe('parsePersistedPeers', () => {
  const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');

  it('reads the private key and keeps the [Peer] sections as written, without the wg-quick lines', () => {
    const config = [
      '[Interface]',
      'Address = 10.173.0.1/24',
      `PrivateKey = ${key(1)}`,
      'ListenPort = 51820',
      'PostUp = iptables -A FORWARD -i %i -j ACCEPT',
      '',
      '[Peer]',
      `PublicKey = ${key(2)}`,
      `PresharedKey = ${key(3)}`,
      'AllowedIPs = 10.173.0.2/32, 192.168.8.0/24',
      '',
      '# a comment',
      '[Peer]',
      `PublicKey = ${key(4)}`,
      'AllowedIPs = 10.173.0.3/32',
      'PersistentKeepalive = 25',
      '',
    ].join('\n');
    expect(parsePersistedPeers(config)).toEqual({
      privateKey: key(1),
      peerCount: 2,
      presharedKeys: [key(3)],
      peerSections: [
        '[Peer]',
        `PublicKey = ${key(2)}`,
        `PresharedKey = ${key(3)}`,
        'AllowedIPs = 10.173.0.2/32, 192.168.8.0/24',
        '[Peer]',
        `PublicKey = ${key(4)}`,
        'AllowedIPs = 10.173.0.3/32',
        'PersistentKeepalive = 25',
        '',
      ].join('\n'),
    });
  });

  it('answers no peers and no key for a file without them', () => {
    expect(parsePersistedPeers('[Interface]\nAddress = 10.173.0.1/24\n')).toEqual({
      privateKey: null,
      peerCount: 0,
      presharedKeys: [],
      peerSections: '',
    });
  });
});
