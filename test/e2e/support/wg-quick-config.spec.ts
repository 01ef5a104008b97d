import { parseWgQuickConfig } from './wg-quick-config';

describe('parseWgQuickConfig', () => {
  it('reads addresses, DNS and MTU of [Interface] and the AllowedIPs of every [Peer]', () => {
    const text = [
      '# alice laptop',
      '[Interface]',
      'PrivateKey = aGVsbG8=',
      'Address = 10.0.1.2/32, fd00:1::2/128',
      'DNS = 1.1.1.1,8.8.8.8',
      'MTU = 1380',
      '',
      '[Peer]',
      'PublicKey = d29ybGQ=',
      'AllowedIPs = 10.0.1.0/24 # the node pool',
      'PersistentKeepalive = 15',
      '[Peer]',
      'AllowedIPs = 0.0.0.0/0, ::/0',
    ].join('\n');
    expect(parseWgQuickConfig(text)).toEqual({
      addresses: ['10.0.1.2/32', 'fd00:1::2/128'],
      dns: ['1.1.1.1', '8.8.8.8'],
      mtu: 1380,
      allowedIps: ['10.0.1.0/24', '0.0.0.0/0', '::/0'],
      persistentKeepalive: 15,
    });
  });

  it('leaves out what the config does not set, and keys outside their section', () => {
    expect(
      parseWgQuickConfig('[Peer]\nAddress = 10.9.9.9/32\n[Interface]\nAllowedIPs = 10.8.0.0/16\n'),
    ).toEqual({
      addresses: [],
      dns: [],
      mtu: null,
      allowedIps: [],
      persistentKeepalive: null,
    });
  });
});
