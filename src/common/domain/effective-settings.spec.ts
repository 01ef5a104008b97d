import type { DesiredNode, EffectivePeerSettings, PanelDefaults, PeerSettings } from './desired-state';
import {
  effectiveListenPort,
  effectivePeerSettings,
  nodeSettings,
  parseEndpoint,
} from './effective-settings';

const defaults: PanelDefaults = {
  dns: ['1.1.1.1'],
  mtu: null,
  persistent_keepalive: 25,
  endpoint_allowed_ips: ['0.0.0.0/0', '::/0'],
  listen_port: 51820,
};

function node(changes: Partial<DesiredNode> = {}): DesiredNode {
  return {
    id: 'n1',
    name: 'fra-1',
    interface: 'wg0',
    endpoint: 'vpn.example.com',
    address_pool: '10.0.1.0/24',
    address_pool_v6: null,
    listen_port: null,
    public_key: null,
    enabled: true,
    override_listen_port: null,
    override_dns: null,
    override_mtu: null,
    override_keepalive: null,
    override_endpoint_allowed_ip: null,
    ...changes,
  };
}

const inherit: PeerSettings = {
  dns: null,
  mtu: null,
  persistent_keepalive: null,
  endpoint_allowed_ips: null,
};

describe('effectivePeerSettings', () => {
  it('uses the panel defaults when neither peer nor node sets anything', () => {
    expect(effectivePeerSettings(inherit, node(), defaults)).toEqual({
      dns: ['1.1.1.1'],
      mtu: null,
      persistent_keepalive: 25,
      endpoint_allowed_ips: ['0.0.0.0/0', '::/0'],
      endpoint: 'vpn.example.com:51820',
    });
  });

  it.each([
    ['dns', { override_dns: ['9.9.9.9'] }, { dns: ['10.0.0.53'] }, ['9.9.9.9'], ['10.0.0.53']],
    ['mtu', { override_mtu: 1380 }, { mtu: 1280 }, 1380, 1280],
    ['persistent_keepalive', { override_keepalive: 0 }, { persistent_keepalive: 15 }, 0, 15],
    [
      'endpoint_allowed_ips',
      { override_endpoint_allowed_ip: ['10.0.0.0/8'] },
      { endpoint_allowed_ips: ['10.0.1.0/24'] },
      ['10.0.0.0/8'],
      ['10.0.1.0/24'],
    ],
  ] satisfies [keyof EffectivePeerSettings, Partial<DesiredNode>, Partial<PeerSettings>, unknown, unknown][])(
    '%s: node override beats the default, the peer value beats both',
    (field, nodeOverride, peerValue, fromNode, fromPeer) => {
      const overridden = node(nodeOverride);
      expect(effectivePeerSettings(inherit, overridden, defaults)[field]).toEqual(fromNode);
      expect(effectivePeerSettings({ ...inherit, ...peerValue }, overridden, defaults)[field]).toEqual(
        fromPeer,
      );
      expect(effectivePeerSettings({ ...inherit, ...peerValue }, node(), defaults)[field]).toEqual(fromPeer);
    },
  );

  it('treats an empty DNS list as a value, not as "inherit"', () => {
    expect(
      effectivePeerSettings({ ...inherit, dns: [] }, node({ override_dns: ['9.9.9.9'] }), defaults).dns,
    ).toEqual([]);
  });
});

describe('effectiveListenPort', () => {
  it('is the override, else the node listen port, else the default', () => {
    expect(effectiveListenPort(node({ override_listen_port: 443, listen_port: 51821 }), defaults)).toBe(443);
    expect(effectiveListenPort(node({ listen_port: 51821 }), defaults)).toBe(51821);
    expect(effectiveListenPort(node(), defaults)).toBe(51820);
  });
});

describe('client endpoint', () => {
  const endpoint = (changes: Partial<DesiredNode>) =>
    effectivePeerSettings(inherit, node(changes), defaults).endpoint;

  it('uses override_listen_port first', () => {
    expect(
      endpoint({ endpoint: 'vpn.example.com:4500', listen_port: 51821, override_listen_port: 443 }),
    ).toBe('vpn.example.com:443');
  });

  it('then the port written in the endpoint (a NAT port-forward)', () => {
    expect(endpoint({ endpoint: 'vpn.example.com:4500', listen_port: 51821 })).toBe('vpn.example.com:4500');
  });

  it('then the node listen port, then the default', () => {
    expect(endpoint({ endpoint: '203.0.113.5', listen_port: 51821 })).toBe('203.0.113.5:51821');
    expect(endpoint({ endpoint: '203.0.113.5' })).toBe('203.0.113.5:51820');
  });

  it('keeps IPv6 hosts bracketed', () => {
    expect(endpoint({ endpoint: '[2001:db8::1]:4500' })).toBe('[2001:db8::1]:4500');
    expect(endpoint({ endpoint: '[2001:db8::1]', override_listen_port: 443 })).toBe('[2001:db8::1]:443');
  });

  it('refuses an endpoint it cannot read', () => {
    expect(() => endpoint({ endpoint: '2001:db8::1' })).toThrow(
      'node fra-1 has an invalid endpoint "2001:db8::1"',
    );
  });
});

describe('parseEndpoint', () => {
  it('splits host and port', () => {
    expect(parseEndpoint('vpn.example.com')).toEqual({ host: 'vpn.example.com', port: null });
    expect(parseEndpoint('10.0.0.1:1')).toEqual({ host: '10.0.0.1', port: 1 });
    expect(parseEndpoint('[fd00::1]:65535')).toEqual({ host: 'fd00::1', port: 65535 });
  });

  it('rejects bare IPv6, bad ports and stray characters', () => {
    for (const bad of ['fd00::1', 'host:0', 'host:65536', 'host:', ':51820', '[fd00::1', '', 'h:1:2']) {
      expect(parseEndpoint(bad)).toBeNull();
    }
  });
});

describe('nodeSettings', () => {
  it('names the node as the source of its overrides and the panel for the rest', () => {
    expect(nodeSettings(node({ override_mtu: 1380, override_keepalive: 0 }), defaults)).toEqual([
      { field: 'listen_port', value: 51820, source: 'default' },
      { field: 'dns', value: ['1.1.1.1'], source: 'default' },
      { field: 'mtu', value: 1380, source: 'node' },
      { field: 'persistent_keepalive', value: 0, source: 'node' },
      { field: 'endpoint_allowed_ips', value: ['0.0.0.0/0', '::/0'], source: 'default' },
    ]);
  });

  it("counts the port a node was registered with as the node's, an override above it", () => {
    expect(nodeSettings(node({ listen_port: 51000 }), defaults)[0]).toEqual({
      field: 'listen_port',
      value: 51000,
      source: 'node',
    });
    expect(nodeSettings(node({ listen_port: 51000, override_listen_port: 443 }), defaults)[0].value).toBe(
      443,
    );
  });

  it('keeps an empty DNS override as a value ("no DNS"), not as inherit', () => {
    expect(nodeSettings(node({ override_dns: [] }), defaults)[1]).toEqual({
      field: 'dns',
      value: [],
      source: 'node',
    });
  });
});
