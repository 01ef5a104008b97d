import {
  CurrentCluster,
  CurrentNode,
  describeChange,
  describeKept,
  diffClusters,
  diffFleet,
  diffFleetFile,
  diffTemplates,
} from './fleet-diff';
import { DesiredClusterSpec, DesiredNodeSpec } from './fleet-file';

const current: CurrentNode[] = [
  {
    id: 'n1',
    version: 4,
    name: 'edge-1',
    fields: {
      interface: 'wg0',
      override_keepalive: null,
      override_endpoint_allowed_ip: ['0.0.0.0/0', '::/0'],
    },
    peers: [
      {
        id: 'p1',
        version: 2,
        name: 'alice',
        fields: { allowed_ips: ['10.0.0.2/32', '10.0.0.3/32'], mtu: null },
      },
      { id: 'p2', version: 1, name: 'bob', fields: { allowed_ips: ['10.0.0.4/32'] } },
    ],
  },
  { id: 'n2', version: 1, name: 'edge-2', fields: {}, peers: [] },
];

const desired = (overrides: Partial<DesiredNodeSpec> = {}): DesiredNodeSpec[] => [
  {
    name: 'edge-1',
    fields: { interface: 'wg0', override_endpoint_allowed_ip: ['::/0', '0.0.0.0/0'] },
    peers: [
      { name: 'alice', fields: { allowed_ips: ['10.0.0.3/32', '10.0.0.2/32'] } },
      { name: 'bob', fields: {} },
    ],
    ...overrides,
  },
  { name: 'edge-2', fields: {}, peers: [] },
];

describe('diffFleet', () => {
  it('finds nothing when the file states what the panel has (address lists as sets)', () => {
    expect(diffFleet(desired(), current, false)).toEqual({ changes: [], kept: [] });
  });

  it('compares tags as maps: key order is no change, a changed value is', () => {
    const tagged: CurrentNode[] = [{ ...current[0], fields: { tags: { region: 'eu', tier: 'gold' } } }];
    const withTags = (tags: Record<string, string>) =>
      desired({ fields: { tags }, peers: current[0].peers.map(({ name }) => ({ name, fields: {} })) }).slice(
        0,
        1,
      );
    expect(diffFleet(withTags({ tier: 'gold', region: 'eu' }), tagged, false).changes).toEqual([]);
    expect(diffFleet(withTags({ region: 'us', tier: 'gold' }), tagged, false).changes).toEqual([
      expect.objectContaining({
        action: 'update',
        changes: [
          { field: 'tags', from: { region: 'eu', tier: 'gold' }, to: { region: 'us', tier: 'gold' } },
        ],
      }),
    ]);
  });

  it('updates only the fields the file states, with the version read', () => {
    const { changes } = diffFleet(
      desired({
        fields: { interface: 'wg0', override_keepalive: 25 },
        peers: [
          { name: 'alice', fields: { mtu: 1380 } },
          { name: 'bob', fields: {} },
        ],
      }),
      current,
      false,
    );
    expect(changes).toEqual([
      {
        action: 'update',
        kind: 'node',
        node: 'edge-1',
        id: 'n1',
        version: 4,
        changes: [{ field: 'override_keepalive', from: null, to: 25 }],
      },
      {
        action: 'update',
        kind: 'peer',
        node: 'edge-1',
        peer: 'alice',
        id: 'p1',
        version: 2,
        changes: [{ field: 'mtu', from: null, to: 1380 }],
      },
    ]);
  });

  it('creates new nodes and peers, peers after their node', () => {
    const file = [
      ...desired(),
      {
        name: 'edge-3',
        fields: { interface: 'wg1' },
        agentSecretEnv: 'EDGE3',
        peers: [{ name: 'dan', fields: {} }],
      },
    ];
    file[0].peers.push({ name: 'carol', fields: {} });
    expect(diffFleet(file, current, false).changes).toEqual([
      { action: 'create', kind: 'peer', node: 'edge-1', peer: 'carol', fields: {} },
      {
        action: 'create',
        kind: 'node',
        node: 'edge-3',
        fields: { interface: 'wg1' },
        agentSecretEnv: 'EDGE3',
      },
      { action: 'create', kind: 'peer', node: 'edge-3', peer: 'dan', fields: {} },
    ]);
  });

  it('keeps what the file leaves out unless pruning, and then deletes it last', () => {
    const file = desired({ peers: [{ name: 'alice', fields: {} }] }).slice(0, 1);
    expect(diffFleet(file, current, false)).toEqual({
      changes: [],
      kept: [
        { kind: 'peer', node: 'edge-1', peer: 'bob' },
        { kind: 'node', node: 'edge-2' },
      ],
    });
    const pruned = diffFleet([{ ...file[0], fields: { interface: 'wg9' } }], current, true);
    expect(pruned.kept).toEqual([]);
    expect(pruned.changes.map((c) => `${c.action} ${c.kind}`)).toEqual([
      'update node',
      'delete peer',
      'delete node',
    ]);
    expect(pruned.changes[1]).toMatchObject({ id: 'p2', version: 1 });
  });
});

describe('describeChange', () => {
  it('reads like a plan', () => {
    expect(
      describeChange({
        action: 'update',
        kind: 'peer',
        node: 'edge-1',
        peer: 'alice',
        id: 'p1',
        version: 2,
        changes: [{ field: 'mtu', from: null, to: 1380 }],
      }),
    ).toEqual(['~ update peer edge-1/alice', '    mtu: null → 1380']);
  });
});

describe('diffClusters', () => {
  const current: CurrentCluster[] = [
    {
      id: 'c1',
      version: 3,
      name: 'edge',
      fields: { endpoint_host: 'vpn.example.com', address_pool: '10.50.0.0/24' },
      members: ['edge-1', 'edge-2'],
      dns: { provider: 'rfc2136', zone: 'example.com', ttl: 30 },
      peers: [{ id: 'p9', version: 1, name: 'laptop', fields: { persistent_keepalive: null } }],
    },
    { id: 'c2', version: 1, name: 'old', fields: {}, members: ['edge-3'], dns: null, peers: [] },
  ];
  const spec = (overrides: Partial<DesiredClusterSpec> = {}): DesiredClusterSpec => ({
    name: 'edge',
    fields: { endpoint_host: 'vpn.example.com' },
    members: ['edge-2', 'edge-1'],
    dns: { fields: { provider: 'rfc2136', zone: 'example.com' }, secretEnv: 'EDGE_TSIG' },
    peers: [{ name: 'laptop', fields: {} }],
    ...overrides,
  });

  it('finds nothing when the file states what the panel has (DNS compared on the fields it states)', () => {
    expect(diffClusters([spec(), { name: 'old', fields: {}, peers: [] }], current, true)).toEqual({
      changes: [],
      kept: [],
    });
  });

  it('changes fields and DNS (asking for its secret), adds members and peers, and keeps the rest unpruned', () => {
    const { changes, kept } = diffClusters(
      [
        spec({
          fields: { endpoint_port: 51821 },
          members: ['edge-1', 'edge-4'],
          dns: { fields: { provider: 'rfc2136', zone: 'example.org' }, secretEnv: 'EDGE_TSIG' },
          peers: [
            { name: 'laptop', fields: { persistent_keepalive: 25 } },
            { name: 'phone', fields: {} },
          ],
        }),
      ],
      current,
      false,
    );
    expect(changes).toEqual([
      {
        action: 'update',
        kind: 'cluster',
        cluster: 'edge',
        id: 'c1',
        version: 3,
        changes: [
          { field: 'endpoint_port', from: null, to: 51821 },
          {
            field: 'dns',
            from: { provider: 'rfc2136', zone: 'example.com', ttl: 30 },
            to: { provider: 'rfc2136', zone: 'example.org' },
          },
        ],
        dnsSecretEnv: 'EDGE_TSIG',
      },
      { action: 'create', kind: 'member', cluster: 'edge', node: 'edge-4' },
      {
        action: 'update',
        kind: 'cluster-peer',
        cluster: 'edge',
        peer: 'laptop',
        id: 'p9',
        version: 1,
        changes: [{ field: 'persistent_keepalive', from: null, to: 25 }],
      },
      { action: 'create', kind: 'cluster-peer', cluster: 'edge', peer: 'phone', fields: {} },
    ]);
    expect(kept).toEqual([
      { kind: 'member', cluster: 'edge', name: 'edge-2' },
      { kind: 'cluster', cluster: 'old' },
    ]);
    expect(kept.map(describeKept)).toEqual(['member edge/edge-2', 'cluster old']);
  });

  it('prunes a cluster after its peers and members, and creates a new one with its DNS', () => {
    const { changes } = diffClusters(
      [
        {
          name: 'new',
          fields: { address_pool: '10.60.0.0/24' },
          dns: { fields: { provider: 'webhook' } },
          peers: [],
        },
      ],
      [current[1]],
      true,
    );
    expect(changes).toEqual([
      {
        action: 'create',
        kind: 'cluster',
        cluster: 'new',
        fields: { address_pool: '10.60.0.0/24', dns: { provider: 'webhook' } },
      },
      { action: 'delete', kind: 'member', cluster: 'old', node: 'edge-3' },
      { action: 'delete', kind: 'cluster', cluster: 'old', id: 'c2', version: 1 },
    ]);
    expect(changes.flatMap(describeChange)).toContain('- delete member old/edge-3');
  });
});

describe('diffFleetFile', () => {
  it('changes clusters after new nodes and before node deletions, and leaves them alone without `clusters:`', () => {
    const clusters: CurrentCluster[] = [
      { id: 'c1', version: 1, name: 'edge', fields: {}, members: [], dns: null, peers: [] },
    ];
    const spec = {
      templates: [],
      nodes: [{ name: 'edge-3', fields: {}, peers: [] }],
      clusters: [{ name: 'edge', fields: {}, members: ['edge-3'], peers: [] }],
    };
    const { changes } = diffFleetFile(spec, { templates: [], nodes: current, clusters }, true);
    expect(changes.map((change) => `${change.action} ${change.kind}`)).toEqual([
      'create node',
      'create member',
      'delete node',
      'delete node',
    ]);
    expect(
      diffFleetFile({ templates: [], nodes: [] }, { templates: [], nodes: [], clusters }, true).changes,
    ).toEqual([]);
  });

  it('writes templates before the nodes that name them and deletes them after everything else', () => {
    const clusters: CurrentCluster[] = [
      { id: 'c1', version: 1, name: 'edge', fields: {}, members: [], dns: null, peers: [] },
    ];
    const spec = {
      templates: [{ name: 'branch', settings: { fwmark: 7 } }],
      nodes: [{ name: 'edge-3', fields: { template: 'branch' }, peers: [] }],
      clusters: [{ name: 'edge', fields: {}, members: ['edge-3'], peers: [] }],
    };
    const templates = [{ id: 't2', version: 1, name: 'old', settings: {} }];
    const { changes, kept } = diffFleetFile(spec, { templates, nodes: current, clusters }, true);
    expect(changes.map((change) => `${change.action} ${change.kind}`)).toEqual([
      'create template',
      'create node',
      'create member',
      'delete node',
      'delete node',
      'delete template',
    ]);
    expect(kept).toEqual([]);
    expect(diffFleetFile(spec, { templates, nodes: current, clusters }, false).kept).toContainEqual({
      kind: 'template',
      template: 'old',
    });
  });
});

describe('diffTemplates', () => {
  const current = [
    { id: 't1', version: 2, name: 'branch', settings: { override_keepalive: 40, fwmark: 7 } },
    { id: 't2', version: 1, name: 'old', settings: {} },
  ];

  it("creates, makes the file's settings exactly (a left-out one removed) and deletes only with prune", () => {
    const desired = [
      { name: 'branch', settings: { override_keepalive: 50 } },
      { name: 'new', settings: { interface_mtu: 1380 } },
    ];
    expect(diffTemplates(desired, current, false)).toEqual({
      changes: [
        {
          action: 'update',
          kind: 'template',
          template: 'branch',
          id: 't1',
          version: 2,
          changes: [
            { field: 'fwmark', from: 7, to: null },
            { field: 'override_keepalive', from: 40, to: 50 },
          ],
        },
        { action: 'create', kind: 'template', template: 'new', settings: { interface_mtu: 1380 } },
      ],
      deletions: [],
      kept: [{ kind: 'template', template: 'old' }],
    });
    expect(diffTemplates(desired, current, true).deletions).toEqual([
      { action: 'delete', kind: 'template', template: 'old', id: 't2', version: 1 },
    ]);
    expect(describeChange(diffTemplates(desired, current, false).changes[1])).toEqual([
      '+ create template new',
      '    interface_mtu: 1380',
    ]);
  });

  it('changes nothing when the settings match, whatever their order', () => {
    const same = [{ name: 'branch', settings: { fwmark: 7, override_keepalive: 40 } }];
    expect(diffTemplates(same, current.slice(0, 1), true).changes).toEqual([]);
  });
});
