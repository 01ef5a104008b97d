import {
  mergeWgQuickSettings,
  renderPeerSection,
  renderSyncconfRest,
  wgQuickLines,
  ZERO_KEY,
} from './conf-writer';

const A = 'm7JrjY3yHqIpqQeHp6FZp/e+xaF0C149MHPvaCfeYTI=';
const B = 'qGrG7IXwoY1f1sCyNQH/pXCGJuf/f1SF7gvmpssL+mQ=';
const PSK = 'ySsMZkLj/xL5FtAfcua88yoOl3V+WDdkaxgs8TYF2mE=';

describe('renderPeerSection', () => {
  it('sets every field a change carries and nothing else', () => {
    expect(
      renderPeerSection({
        public_key: A,
        allowed_ips: ['10.0.0.2/32', 'fd00::2/128'],
        persistent_keepalive: 0,
        preshared_key: PSK,
        endpoint: '192.0.2.1:51820',
      }),
    ).toBe(
      `[Peer]\nPublicKey = ${A}\nPresharedKey = ${PSK}\nAllowedIPs = 10.0.0.2/32, fd00::2/128\n` +
        'PersistentKeepalive = 0\nEndpoint = 192.0.2.1:51820\n',
    );
    expect(renderPeerSection({ public_key: B, allowed_ips: [], preshared_key: null, endpoint: null })).toBe(
      `[Peer]\nPublicKey = ${B}\nPresharedKey = ${ZERO_KEY}\n`,
    );
  });

  it('writes no AllowedIPs line for an empty list (wg then empties it)', () => {
    expect(renderPeerSection({ public_key: A, allowed_ips: [] })).toBe(`[Peer]\nPublicKey = ${A}\n`);
  });
});

describe('renderSyncconfRest', () => {
  it('renders the interface settings and every peer; null removes a preshared key', () => {
    const text = renderSyncconfRest({
      listenPort: 51820,
      fwmark: 42,
      peers: [
        {
          public_key: A,
          allowed_ips: ['10.0.0.2/32', '10.0.1.0/24'],
          preshared_key: PSK,
          persistent_keepalive: 25,
          endpoint: 'vpn.example.com:51820',
        },
        { public_key: B, allowed_ips: [], preshared_key: null },
      ],
    });
    expect(text).toBe(
      [
        'ListenPort = 51820',
        'FwMark = 0x2a',
        '',
        '[Peer]',
        `PublicKey = ${A}`,
        `PresharedKey = ${PSK}`,
        'AllowedIPs = 10.0.0.2/32, 10.0.1.0/24',
        'PersistentKeepalive = 25',
        'Endpoint = vpn.example.com:51820',
        '',
        '[Peer]',
        `PublicKey = ${B}`,
        `PresharedKey = ${ZERO_KEY}`,
        '',
      ].join('\n'),
    );
  });
});

describe('persistence merge', () => {
  const existing = [
    '# managed by wgfleet',
    '[Interface]',
    'Address = 10.0.0.1/24, fd00::1/64',
    'dns=10.0.0.53',
    'MTU = 1420',
    'PrivateKey = old',
    'PostUp = iptables -A FORWARD -i %i -j ACCEPT',
    'SaveConfig = false',
    '',
    '[Peer]',
    'PublicKey = stale',
    'Address = 10.9.9.9/32',
  ].join('\n');

  it('keeps only wg-quick [Interface] lines of the old file', () => {
    expect(wgQuickLines(existing)).toEqual([
      'Address = 10.0.0.1/24, fd00::1/64',
      'dns=10.0.0.53',
      'MTU = 1420',
      'PostUp = iptables -A FORWARD -i %i -j ACCEPT',
      'SaveConfig = false',
    ]);
  });

  it('puts them into the [Interface] section of the running config', () => {
    const showconf = `[Interface]\nListenPort = 51820\nPrivateKey = new\n\n[Peer]\nPublicKey = ${A}\nAllowedIPs = 10.0.0.2/32\n\n`;
    expect(mergeWgQuickSettings(showconf, existing)).toBe(
      [
        '[Interface]',
        'Address = 10.0.0.1/24, fd00::1/64',
        'dns=10.0.0.53',
        'MTU = 1420',
        'PostUp = iptables -A FORWARD -i %i -j ACCEPT',
        'SaveConfig = false',
        'ListenPort = 51820',
        'PrivateKey = new',
        '',
        '[Peer]',
        `PublicKey = ${A}`,
        'AllowedIPs = 10.0.0.2/32',
        '',
      ].join('\n'),
    );
    expect(mergeWgQuickSettings(showconf, null)).toBe(showconf.trimEnd() + '\n');
  });
});
