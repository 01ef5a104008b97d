import { foreignPeer, testKey, testNode, testPskHash } from '../../drift/domain/drift.fixtures';
import { adoptedPeerPayload, adoptionPlan, isAdoptable, planAdoption, plannedNames } from './adoption-plan';

const none = new Map<string, string>();

describe('planning the adoption of the peers a node has', () => {
  it('imports every peer the panel does not know, as the node has it, reserving its pool address', () => {
    const planned = planAdoption({
      node: testNode(),
      observed: [
        foreignPeer(7, {
          allowed_ips: ['192.168.7.0/24', '10.0.1.7/32'],
          persistent_keepalive: 25,
          preshared_key_sha256: testPskHash(1),
          endpoint: '198.51.100.1:5000',
        }),
        foreignPeer(8),
      ],
      currentPeers: new Map([[testKey(8), 'bob']]),
      formerPeers: none,
      allocated: new Map([['10.0.1.8/32', 'bob']]),
      heldRanges: [],
    });
    expect(adoptionPlan(planned)).toEqual({
      adopt: [
        {
          public_key: testKey(7),
          name: '10.0.1.7',
          allowed_ips: ['10.0.1.7/32'],
          routed_ips: ['192.168.7.0/24'],
          endpoint: '198.51.100.1:5000',
          persistent_keepalive: 25,
          has_preshared_key: true,
        },
      ],
    });
    expect(planned[0].allocations).toEqual([{ family: 4, host_index: 6, address: '10.0.1.7/32' }]);
    expect(planned[0].preshared_key_sha256).toBe(testPskHash(1));
  });

  it('names the conflict of each peer that cannot be imported', () => {
    const planned = planAdoption({
      node: testNode(),
      observed: [
        foreignPeer(1, { allowed_ips: ['10.0.1.1/32'] }),
        foreignPeer(2, { allowed_ips: ['10.0.1.9/32'] }),
        foreignPeer(3, { allowed_ips: ['10.0.1.0/25'] }),
        foreignPeer(4),
        foreignPeer(5, { allowed_ips: [] }),
        foreignPeer(6, { allowed_ips: ['10.0.1.6/32', '192.168.60.128/25'] }),
      ],
      currentPeers: none,
      formerPeers: new Map([[testKey(4), 'dave']]),
      allocated: new Map([['10.0.1.9/32', 'carol']]),
      heldRanges: [{ cidr: '192.168.60.0/24', peerName: 'site-b' }],
    });
    const conflicts = Object.fromEntries(planned.map(({ entry }) => [entry.public_key, entry.conflict]));
    expect(conflicts).toEqual({
      [testKey(1)]: '10.0.1.1/32 is the address of node eu-west itself',
      [testKey(2)]: '10.0.1.9/32 already belongs to peer carol',
      [testKey(3)]: "10.0.1.0/25 is a range inside the node's pool 10.0.1.0/24, not a single address",
      [testKey(4)]: expect.stringContaining('belonged to peer dave, deleted from this node'),
      [testKey(5)]: 'it has no allowed IPs',
      [testKey(6)]: '192.168.60.128/25 overlaps 192.168.60.0/24 of peer site-b',
    });
    expect(planned.every((item) => item.allocations.length === 0)).toBe(true);
  });

  it('adopts a site that routes a network outside the pool, with its endpoint, and no other peer over it', () => {
    const planned = planAdoption({
      node: testNode(),
      observed: [
        foreignPeer(2, { allowed_ips: ['192.168.60.0/24'], endpoint: '10.233.9.1:40000' }),
        foreignPeer(3, { allowed_ips: ['192.168.60.7/32'], endpoint: '10.233.9.2:40000' }),
        foreignPeer(4, { endpoint: '198.51.100.4:6000' }),
      ],
      currentPeers: none,
      formerPeers: none,
      allocated: none,
      heldRanges: [],
    });
    expect(planned.map(({ entry }) => entry)).toEqual([
      {
        public_key: testKey(2),
        name: '192.168.60.0',
        allowed_ips: [],
        routed_ips: ['192.168.60.0/24'],
        endpoint: '10.233.9.1:40000',
        persistent_keepalive: 0,
        has_preshared_key: false,
      },
      expect.objectContaining({
        public_key: testKey(3),
        conflict: `192.168.60.7/32 overlaps 192.168.60.0/24 of peer adopted ${testKey(2)}`,
      }),
      // A client's endpoint is only where it last connected from.
      expect.objectContaining({ public_key: testKey(4), allowed_ips: ['10.0.1.4/32'], endpoint: null }),
    ]);
    const [site] = planned.filter(isAdoptable);
    expect(adoptedPeerPayload('node-1', site)).toMatchObject({
      name: '192.168.60.0',
      allowed_ips: [],
      routed_ips: ['192.168.60.0/24'],
      endpoint: '10.233.9.1:40000',
      allocations: [],
    });
  });

  it('gives an address to the first of two peers claiming it', () => {
    const planned = planAdoption({
      node: testNode(),
      observed: [
        foreignPeer(2, { allowed_ips: ['10.0.1.9/32'] }),
        foreignPeer(3, { allowed_ips: ['10.0.1.9/32'] }),
      ],
      currentPeers: none,
      formerPeers: none,
      allocated: none,
      heldRanges: [],
    });
    expect(planned.map(({ entry }) => entry.conflict)).toEqual([
      undefined,
      `10.0.1.9/32 already belongs to the adopted peer ${testKey(2)}`,
    ]);
  });

  it('with public_keys, plans exactly those keys and says why one is not adoptable', () => {
    const planned = planAdoption({
      node: testNode(),
      observed: [foreignPeer(2), foreignPeer(3), foreignPeer(4)],
      currentPeers: new Map([[testKey(4), 'dave']]),
      formerPeers: none,
      allocated: none,
      heldRanges: [],
      publicKeys: [testKey(3), testKey(4), testKey(9)],
    });
    expect(planned.map(({ entry }) => [entry.public_key, entry.conflict])).toEqual(
      [
        [testKey(3), undefined],
        [testKey(4), 'the key is already used on this node by peer dave'],
        [testKey(9), 'no peer with this key is on the interface of node eu-west'],
      ].sort(),
    );
  });

  it('records an adopted peer with its own keepalive, no private key and only the hash of its preshared key', () => {
    const [planned] = planAdoption({
      node: testNode(),
      observed: [foreignPeer(7, { persistent_keepalive: 0, preshared_key_sha256: testPskHash(1) })],
      currentPeers: none,
      formerPeers: none,
      allocated: none,
      heldRanges: [],
    }).filter(isAdoptable);
    expect(adoptedPeerPayload('node-1', planned)).toEqual({
      node_id: 'node-1',
      name: '10.0.1.7',
      public_key: testKey(7),
      allowed_ips: ['10.0.1.7/32'],
      routed_ips: [],
      endpoint: null,
      dns: null,
      mtu: null,
      persistent_keepalive: 0,
      endpoint_allowed_ips: null,
      enabled: true,
      private_key_sealed: null,
      preshared_key_sealed: null,
      preshared_key_sha256: testPskHash(1),
      origin: 'adopted',
      allocations: [{ family: 4, host_index: 6, address: '10.0.1.7/32' }],
    });
  });

  it('names each adopted peer as the operator says, else by its address, never twice on the node', () => {
    const planned = planAdoption({
      node: testNode(),
      observed: [
        foreignPeer(7),
        foreignPeer(8),
        foreignPeer(9),
        foreignPeer(1, { allowed_ips: ['10.0.1.1/32'] }),
      ],
      // A peer of the panel is already called 10.0.1.8, on another address.
      currentPeers: new Map([[testKey(20), '10.0.1.8']]),
      formerPeers: none,
      allocated: new Map([['10.0.1.20/32', '10.0.1.8']]),
      heldRanges: [],
      names: new Map([
        [testKey(7), 'alice laptop'],
        [testKey(1), 'the node itself'],
      ]),
    });
    const names = Object.fromEntries(planned.map(({ entry }) => [entry.public_key, entry.name]));
    expect(names).toEqual({
      [testKey(7)]: 'alice laptop',
      [testKey(8)]: expect.stringMatching(/^10\.0\.1\.8-[A-Za-z0-9]{8}$/),
      [testKey(9)]: '10.0.1.9',
      // It cannot be adopted, so it is not named.
      [testKey(1)]: undefined,
    });
    expect(plannedNames(adoptionPlan(planned))).toEqual(
      new Map([
        [testKey(7), 'alice laptop'],
        [testKey(8), names[testKey(8)]],
        [testKey(9), '10.0.1.9'],
      ]),
    );
  });
});
