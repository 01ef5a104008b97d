import { CurrentNode, describeChange, diffFleet, diffTemplates } from './fleet-diff';
import { DesiredNodeSpec } from './fleet-file';

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
