import { parsePool } from '../../../common/domain/ip-allocation';
import {
  AllocationError,
  claimedAddresses,
  indexAboveHighest,
  lowestFreeIndex,
  nodePools,
  refusalOf,
} from './peer-allocation';

const node = { name: 'edge-1', address_pool: '10.0.0.0/29', address_pool_v6: 'fd00::/125' };
const [v4, v6] = nodePools(node);

describe('nodePools', () => {
  it('lists the pools a node has, IPv4 first', () => {
    expect([v4.cidr, v6.cidr]).toEqual(['10.0.0.0/29', 'fd00::/125']);
    expect(nodePools({ ...node, address_pool_v6: null })).toHaveLength(1);
  });
});

describe('claimedAddresses', () => {
  it('claims single hosts inside a pool and keeps routes outside as they are', () => {
    const claim = claimedAddresses(node, [v4, v6], ['10.0.0.3/32', '192.168.1.0/24']);
    expect(claim).toEqual({
      allowedIps: ['10.0.0.3/32', '192.168.1.0/24'],
      allocations: [{ family: 4, host_index: 2, address: '10.0.0.3/32' }],
    });
  });

  it("refuses the node's own address with a domain error", () => {
    const claim = claimedAddresses(node, [v4], ['10.0.0.1/32']);
    expect(claim).toBeInstanceOf(AllocationError);
    expect((claim as AllocationError).problem).toEqual({
      kind: 'node_address',
      cidr: '10.0.0.1/32',
      nodeName: 'edge-1',
    });
  });
});

describe('refusalOf', () => {
  const claim = {
    allowedIps: ['10.0.0.3/32'],
    allocations: [{ family: 4 as const, host_index: 2, address: '10.0.0.3/32' }],
  };

  it('lets a request with a free key and free addresses go ahead', () => {
    expect(refusalOf('key-a', claim, new Set(['key-b']), new Set(['10.0.0.4/32']))).toBeNull();
    expect(refusalOf('key-a', null, new Set(), new Set())).toBeNull();
  });

  it('refuses a taken key before anything else', () => {
    const failed = new AllocationError({ kind: 'node_address', cidr: '10.0.0.1/32', nodeName: 'edge-1' });
    expect(refusalOf('key-a', failed, new Set(['key-a']), new Set())?.problem).toEqual({ kind: 'key_taken' });
  });

  it('passes on a failed claim and names a taken address', () => {
    const failed = new AllocationError({ kind: 'node_address', cidr: '10.0.0.1/32', nodeName: 'edge-1' });
    expect(refusalOf('key-a', failed, new Set(), new Set())).toBe(failed);
    expect(refusalOf('key-a', claim, new Set(), new Set(['10.0.0.3/32']))?.problem).toEqual({
      kind: 'address_taken',
      addresses: ['10.0.0.3/32'],
    });
  });
});

describe('picking an address', () => {
  const pool = parsePool('10.0.0.0/29'); // the node at index 0, peers at 1..5

  it('takes the index above the highest, skipping what the batch took', () => {
    expect(indexAboveHighest(pool, 0, new Set())).toBe(1);
    expect(indexAboveHighest(pool, 2, new Set(['10.0.0.4/32']))).toBe(4);
  });

  it('says when the top of the pool is reached, so a gap must be looked for', () => {
    expect(indexAboveHighest(pool, 5, new Set())).toBeNull();
    expect(indexAboveHighest(pool, 4, new Set(['10.0.0.6/32']))).toBeNull();
  });

  it('finds the lowest gap among allocated and batch-taken addresses, or none in a full pool', () => {
    expect(lowestFreeIndex(pool, [1, 3, 4, 5], new Set(['10.0.0.3/32']))).toBeNull();
    expect(lowestFreeIndex(pool, [1, 4, 5], new Set(['10.0.0.3/32']))).toBe(3);
    expect(lowestFreeIndex(pool, [0, 1, 2, 5], new Set())).toBe(3);
    expect(lowestFreeIndex(parsePool('10.0.0.0/30'), [0, 1], new Set())).toBeNull();
  });

  it('starts at 1: index 0 is the node', () => {
    expect(indexAboveHighest(pool, 0, new Set())).toBe(1);
    expect(lowestFreeIndex(pool, [], new Set())).toBe(1);
    expect(lowestFreeIndex(pool, [0], new Set())).toBe(1);
  });

  it('never picks an index inside a range a peer holds', () => {
    // 10.0.0.4/30 covers indexes 3 to 6, i.e. 10.0.0.4 to 10.0.0.7 (the top of this small pool).
    const wide = parsePool('10.0.0.0/28'); // peers at 1..13
    const blocked: Array<[number, number]> = [[3, 6]];
    expect(indexAboveHighest(wide, 2, new Set(), blocked)).toBe(7);
    expect(indexAboveHighest(wide, 2, new Set(['10.0.0.8/32']), blocked)).toBe(8);
    expect(indexAboveHighest(pool, 2, new Set(), [[3, 5]])).toBeNull();
    expect(lowestFreeIndex(pool, [1, 2], new Set(), [[3, 4]])).toBe(5);
    expect(lowestFreeIndex(pool, [1, 2], new Set(), [[3, 5]])).toBeNull();
  });
});
