import { parse } from 'yaml';
import type { ClusterView, NodeView, PeerView, TemplateView } from '../api-types';
import { dnsSecretVariable, exportFleetFile, parseFleetFile } from './fleet-file';

const tags: Record<string, string> = { tier: 'gold', region: 'eu' };

const node = {
  id: 'n1',
  name: 'edge-1',
  agent_url: 'https://10.0.0.5:8420',
  interface: 'wg0',
  endpoint: 'vpn.example.com:51820',
  address_pool: '10.8.0.0/16',
  address_pool_v6: null,
  listen_port: 51820,
  public_key: 'node-public-key',
  enabled: true,
  override_listen_port: null,
  override_dns: ['1.1.1.1'],
  override_mtu: null,
  override_keepalive: 25,
  override_endpoint_allowed_ip: null,
  auto_reconcile: 'off',
  agent_ca_cert: null,
  tags,
  version: 3,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
} as NodeView;

const peer = (name: string, site: Partial<PeerView> = {}) =>
  ({
    id: `p-${name}`,
    node_id: 'n1',
    name,
    public_key: `${name}-public-key`,
    allowed_ips: ['10.8.0.2/32'],
    routed_ips: [],
    endpoint: null,
    dns: null,
    mtu: null,
    persistent_keepalive: 30,
    endpoint_allowed_ips: null,
    has_preshared_key: true,
    has_private_key: true,
    enabled: true,
    version: 1,
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    ...site,
  }) as PeerView;

describe('exportFleetFile', () => {
  const site = { routed_ips: ['192.168.60.0/24'], endpoint: '10.233.9.1:40000' };
  const text = exportFleetFile([node], () => [peer('zoe', site), peer('alice')]);

  it('writes nodes with their overrides and peers, sorted by name, and no key the panel keeps secret', () => {
    const document = parse(text);
    expect(document.nodes[0]).toMatchObject({
      name: 'edge-1',
      interface: 'wg0',
      overrides: { dns: ['1.1.1.1'], keepalive: 25, mtu: null },
    });
    expect(Object.keys(document.nodes[0].tags)).toEqual(['region', 'tier']);
    expect(document.nodes[0].peers.map((p: { name: string }) => p.name)).toEqual(['alice', 'zoe']);
    expect(text).not.toMatch(/private|preshared|agent_secret|version|node-public-key/);
  });

  it('reads back to the same desired state', () => {
    const [spec] = parseFleetFile(text).nodes;
    expect(spec.fields).toMatchObject({
      override_dns: ['1.1.1.1'],
      override_keepalive: 25,
      listen_port: 51820,
      tags: { region: 'eu', tier: 'gold' },
    });
    expect(spec.peers[0]).toEqual({
      name: 'alice',
      fields: {
        public_key: 'alice-public-key',
        allowed_ips: ['10.8.0.2/32'],
        routed_ips: [],
        endpoint: null,
        dns: null,
        mtu: null,
        persistent_keepalive: 30,
        endpoint_allowed_ips: null,
        enabled: true,
      },
    });
    expect(spec.peers[1].fields).toMatchObject(site);
  });
});

describe('parseFleetFile', () => {
  it('takes a peer with a name only: everything else is the panel’s to choose', () => {
    const [spec] = parseFleetFile('nodes:\n  - name: edge-1\n    peers:\n      - name: carol\n').nodes;
    expect(spec).toEqual({ name: 'edge-1', fields: {}, peers: [{ name: 'carol', fields: {} }] });
  });

  it.each([
    ['nodes: {}', /must have a list `nodes:`/],
    ['nodes:\n  - interface: wg0', /nodes\[0\]\.name: a name is required/],
    ['nodes:\n  - name: a\n    colour: red', /nodes\[0\]\.colour: unknown field/],
    [
      'nodes:\n  - name: a\n    overrides:\n      mtu: big',
      /nodes\[0\]\.overrides\.mtu: must be a whole number or null/,
    ],
    [
      'nodes:\n  - name: a\n    peers:\n      - name: p\n        allowed_ips: 10.0.0.1/32',
      /peers\[0\]\.allowed_ips: must be a list/,
    ],
    ['nodes:\n  - name: a\n    peers:\n      - name: p\n      - name: p', /peer p appears twice on node a/],
    ['nodes:\n  - name: a\n  - name: a', /node a appears twice/],
    [
      'nodes:\n  - name: a\n    tags: [region=eu]',
      /nodes\[0\]\.tags: must be a mapping of key: string value/,
    ],
    ['nodes:\n  - name: a\n    tags:\n      port: 1', /nodes\[0\]\.tags: must be a mapping/],
    ['nodes: [', /not valid YAML/],
    ['templates: [a]\nnodes: []', /templates: must be a mapping/],
    ['templates:\n  t:\n    colour: red\nnodes: []', /templates\.t\.colour: unknown field/],
    ['templates:\n  t: {}\nnodes:\n  - name: a\n    template: u', /nodes\[0\]\.template: template u is not/],
  ])('refuses %j naming the place', (text, message) => {
    expect(() => parseFleetFile(text)).toThrow(message);
  });
});

describe('clusters in a fleet file', () => {
  const cluster = {
    id: 'c1',
    name: 'edge',
    endpoint_host: 'vpn.example.com',
    endpoint_port: 51820,
    address_pool: '10.50.0.0/24',
    address_pool_v6: null,
    public_key: 'cluster-public-key',
    members: [{ node_id: 'n1', health: 'healthy', published: true, joined_at: '2026-01-01T00:00:00.000Z' }],
    dns: {
      provider: 'rfc2136',
      server: 'ns1.example.com:53',
      zone: 'example.com',
      tsig_key_name: 'wgfleet',
      tsig_algorithm: 'hmac-sha256',
      ttl: 30,
      has_secret: true,
    },
    version: 2,
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
  } as ClusterView;
  const text = exportFleetFile([node], () => [], {
    clusters: [cluster],
    peersOf: () => [peer('laptop')],
    nodeName: (id) => (id === 'n1' ? 'edge-1' : id),
  });

  it('exports members by node name and DNS settings without their secret, naming where it comes from', () => {
    const document = parse(text);
    expect(document.clusters[0]).toMatchObject({
      name: 'edge',
      endpoint_host: 'vpn.example.com',
      members: ['edge-1'],
      dns: { provider: 'rfc2136', zone: 'example.com', secret_env: dnsSecretVariable('edge') },
      peers: [{ name: 'laptop', allowed_ips: ['10.8.0.2/32'] }],
    });
    expect(dnsSecretVariable('eu edge-1')).toBe('WGFLEET_DNS_SECRET_EU_EDGE_1');
    expect(text).not.toMatch(/has_secret|tsig_secret|version/);
  });

  it('reads them back', () => {
    const { clusters } = parseFleetFile(text);
    expect(clusters).toEqual([
      {
        name: 'edge',
        fields: {
          endpoint_host: 'vpn.example.com',
          endpoint_port: 51820,
          address_pool: '10.50.0.0/24',
          address_pool_v6: null,
          public_key: 'cluster-public-key',
        },
        members: ['edge-1'],
        dns: {
          fields: {
            provider: 'rfc2136',
            server: 'ns1.example.com:53',
            zone: 'example.com',
            tsig_key_name: 'wgfleet',
            tsig_algorithm: 'hmac-sha256',
            ttl: 30,
          },
          secretEnv: 'WGFLEET_DNS_SECRET_EDGE',
        },
        peers: [expect.objectContaining({ name: 'laptop' })],
      },
    ]);
  });

  it('leaves clusters unmanaged by a file without `clusters:`', () => {
    expect(parseFleetFile('nodes: []').clusters).toBeUndefined();
  });

  it.each([
    ['nodes: []\nclusters: {}', /clusters: must be a list/],
    ['nodes: []\nclusters:\n  - name: a\n    members: edge-1', /clusters\[0\]\.members: must be a list/],
    [
      'nodes: []\nclusters:\n  - name: a\n    dns:\n      zone: x',
      /clusters\[0\]\.dns\.provider: is required/,
    ],
    [
      'nodes: []\nclusters:\n  - name: a\n    dns:\n      provider: webhook\n      secret: s',
      /dns\.secret: unknown/,
    ],
    ['nodes: []\nclusters:\n  - name: a\n  - name: a', /cluster a appears twice/],
  ])('refuses %j naming the place', (document, message) => {
    expect(() => parseFleetFile(document)).toThrow(message);
  });
});

describe('templates in a fleet file', () => {
  const template = {
    id: 't1',
    name: 'branch',
    version: 3,
    settings: { override_keepalive: 40, client_routes: { mode: 'split', networks: ['10.0.0.0/8'] } },
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
  } as TemplateView;

  it('exports the templates by name and the template a node follows, and reads them back', () => {
    const text = exportFleetFile([{ ...node, template_id: 't1', template_version: 2 }], () => [], undefined, [
      template,
    ]);
    const document = parse(text);
    expect(document.templates).toEqual({ branch: template.settings });
    expect(document.nodes[0].template).toBe('branch');
    expect(text).not.toContain('template_version');
    const spec = parseFleetFile(text);
    expect(spec.templates).toEqual([{ name: 'branch', settings: template.settings }]);
    expect(spec.nodes[0].fields.template).toBe('branch');
  });

  it('leaves templates out of a fleet without any', () => {
    expect(parse(exportFleetFile([node], () => []))).not.toHaveProperty('templates');
  });
});
