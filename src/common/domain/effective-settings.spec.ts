import type {
  DesiredNode,
  EffectivePeerSettings,
  PanelDefaults,
  PeerSettings,
  TemplateSettings,
} from './desired-state';
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
    template_settings: null,
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
      dns_search: [],
      mtu: null,
      persistent_keepalive: 25,
      endpoint_allowed_ips: ['0.0.0.0/0', '::/0'],
      endpoint: 'vpn.example.com:51820',
      sources: {
        dns: 'default',
        dns_search: 'default',
        mtu: 'default',
        persistent_keepalive: 'default',
        endpoint_allowed_ips: 'default',
        endpoint: 'default',
      },
    });
  });

  it.each([
    ['dns', { override_dns: ['9.9.9.9'] }, { dns: ['10.0.0.53'] }, { override_dns: ['8.8.8.8'] }],
    ['mtu', { override_mtu: 1380 }, { mtu: 1280 }, { override_mtu: 1420 }],
    [
      'persistent_keepalive',
      { override_keepalive: 0 },
      { persistent_keepalive: 15 },
      { override_keepalive: 40 },
    ],
    [
      'endpoint_allowed_ips',
      { override_endpoint_allowed_ip: ['10.0.0.0/8'] },
      { endpoint_allowed_ips: ['10.0.1.0/24'] },
      { client_routes: { mode: 'split', networks: ['192.168.0.0/16'] } },
    ],
  ] satisfies [
    Exclude<keyof EffectivePeerSettings, 'sources' | 'endpoint' | 'dns_search'>,
    Partial<DesiredNode>,
    Partial<PeerSettings>,
    TemplateSettings,
  ][])(
    '%s: peer → node → template → default, each naming its source',
    (field, nodeOverride, peerValue, template) => {
      const at = (peer: PeerSettings, changes: Partial<DesiredNode>) => {
        const effective = effectivePeerSettings(peer, node(changes), defaults);
        return { value: effective[field], source: effective.sources[field] };
      };
      const templated = { template_settings: template };
      const fromTemplate = at(inherit, templated);
      expect(fromTemplate.source).toBe('template');
      expect(fromTemplate.value).not.toEqual(at(inherit, {}).value);
      expect(at(inherit, { ...templated, ...nodeOverride })).toEqual({
        value: Object.values(nodeOverride)[0],
        source: 'node',
      });
      expect(at({ ...inherit, ...peerValue }, { ...templated, ...nodeOverride })).toEqual({
        value: Object.values(peerValue)[0],
        source: 'peer',
      });
      expect(at(inherit, {}).source).toBe('default');
    },
  );

  it('reads client routes: full tunnel, split with the listed networks; an explicit list beats the preset', () => {
    const routes = (template: TemplateSettings) =>
      effectivePeerSettings(inherit, node({ template_settings: template }), defaults).endpoint_allowed_ips;
    expect(routes({ client_routes: { mode: 'full' } })).toEqual(['0.0.0.0/0', '::/0']);
    expect(routes({ client_routes: { mode: 'split', networks: ['10.8.0.0/16', 'fd00::/8'] } })).toEqual([
      '10.8.0.0/16',
      'fd00::/8',
    ]);
    expect(
      routes({ client_routes: { mode: 'full' }, override_endpoint_allowed_ip: ['172.16.0.0/12'] }),
    ).toEqual(['172.16.0.0/12']);
  });

  it("takes DNS search domains from the template only, and the template's listen port for the endpoint", () => {
    const effective = effectivePeerSettings(
      inherit,
      node({
        listen_port: 51821,
        template_settings: { client_dns_search: ['corp.example'], override_listen_port: 443 },
      }),
      defaults,
    );
    expect(effective.dns_search).toEqual(['corp.example']);
    expect(effective.sources.dns_search).toBe('template');
    expect(effective.endpoint).toBe('vpn.example.com:443');
    expect(effective.sources.endpoint).toBe('template');
  });

  it('treats an empty DNS list as a value, not as "inherit"', () => {
    expect(
      effectivePeerSettings({ ...inherit, dns: [] }, node({ override_dns: ['9.9.9.9'] }), defaults).dns,
    ).toEqual([]);
  });
});

describe('effectiveListenPort', () => {
  it("is the override, else the template's, else the node listen port, else the default", () => {
    const template = { template_settings: { override_listen_port: 4500 } };
    expect(
      effectiveListenPort(node({ override_listen_port: 443, listen_port: 51821, ...template }), defaults),
    ).toBe(443);
    expect(effectiveListenPort(node({ listen_port: 51821, ...template }), defaults)).toBe(4500);
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
      { field: 'dns_search', value: [], source: 'default' },
      { field: 'mtu', value: 1380, source: 'node' },
      { field: 'persistent_keepalive', value: 0, source: 'node' },
      { field: 'endpoint_allowed_ips', value: ['0.0.0.0/0', '::/0'], source: 'default' },
      { field: 'interface_mtu', value: null, source: 'default' },
      { field: 'fwmark', value: null, source: 'default' },
    ]);
  });

  it("names the template for what the node's pinned version sets and the node does not", () => {
    const settings = nodeSettings(
      node({
        override_mtu: 1380,
        template_settings: {
          override_mtu: 1420,
          override_dns: ['10.0.0.53'],
          client_dns_search: ['corp.example'],
          client_routes: { mode: 'split', networks: ['10.0.0.0/8'] },
          interface_mtu: 1400,
          fwmark: 51820,
        },
      }),
      defaults,
    );
    expect(settings).toEqual([
      { field: 'listen_port', value: 51820, source: 'default' },
      { field: 'dns', value: ['10.0.0.53'], source: 'template' },
      { field: 'dns_search', value: ['corp.example'], source: 'template' },
      { field: 'mtu', value: 1380, source: 'node' },
      { field: 'persistent_keepalive', value: 25, source: 'default' },
      { field: 'endpoint_allowed_ips', value: ['10.0.0.0/8'], source: 'template' },
      { field: 'interface_mtu', value: 1400, source: 'template' },
      { field: 'fwmark', value: 51820, source: 'template' },
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
