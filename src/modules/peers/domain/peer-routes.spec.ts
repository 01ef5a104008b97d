import { parsePool } from '../../../common/domain/ip-allocation';
import { blockedIndexes, firstUnblocked, heldRanges, routeProblem } from './peer-routes';

const pools = [parsePool('10.0.0.0/24'), parsePool('fd00::/120')];
const siteB = heldRanges('site-b', ['10.0.0.7/32'], ['192.168.60.0/24']);

describe('routeProblem', () => {
  it('lets single addresses in the pool and routed networks outside it through', () => {
    expect(routeProblem(pools, ['10.0.0.5/32', 'fd00::5/128'], ['192.168.61.0/24'], siteB)).toBeNull();
    expect(routeProblem(pools, [], ['0.0.0.0/5'], [])).toBeNull();
  });

  it('refuses a range inside the pool among the addresses, naming the field and the pool', () => {
    expect(routeProblem(pools, ['10.0.0.0/25'], [], [])).toEqual({
      kind: 'range_in_pool',
      field: 'allowed_ips',
      cidr: '10.0.0.0/25',
      pool: '10.0.0.0/24',
    });
    // A wider network swallows the pool just the same.
    expect(routeProblem(pools, ['10.0.0.0/16'], [], [])).toMatchObject({ kind: 'range_in_pool' });
  });

  it('refuses a routed network overlapping the pool, even a single address of it', () => {
    expect(routeProblem(pools, [], ['fd00::80/121'], [])).toMatchObject({
      kind: 'range_in_pool',
      field: 'routed_ips',
      pool: 'fd00::/120',
    });
    expect(routeProblem(pools, [], ['10.0.0.9/32'], [])).toMatchObject({ field: 'routed_ips' });
  });

  it("refuses anything overlapping another peer's network, naming that peer", () => {
    expect(routeProblem(pools, [], ['192.168.60.128/25'], siteB)).toEqual({
      kind: 'route_taken',
      field: 'routed_ips',
      cidr: '192.168.60.128/25',
      held: { cidr: '192.168.60.0/24', peerName: 'site-b' },
    });
    expect(routeProblem(pools, ['192.168.0.0/16'], [], siteB)).toMatchObject({ field: 'allowed_ips' });
  });
});

describe('heldRanges', () => {
  it("are a peer's routed networks and its allowed IPs that are not single addresses", () => {
    expect(heldRanges('a', ['10.0.0.2/32', 'fd00::2/128', '172.16.0.0/12'], ['192.168.1.0/24'])).toEqual([
      { cidr: '172.16.0.0/12', peerName: 'a' },
      { cidr: '192.168.1.0/24', peerName: 'a' },
    ]);
  });
});

describe('blocked indexes', () => {
  const pool = parsePool('10.0.0.0/24'); // index i is 10.0.0.(i + 1)

  it('are the spans of the pool that ranges cover, merged, outside ranges ignored', () => {
    const ranges = [
      { cidr: '10.0.0.128/26', peerName: 'a' },
      { cidr: '10.0.0.0/25', peerName: 'b' },
      { cidr: '192.168.0.0/16', peerName: 'c' },
      { cidr: '10.0.0.192/27', peerName: 'd' },
    ];
    expect(blockedIndexes(pool, ranges)).toEqual([[0, 222]]);
    expect(blockedIndexes(pool, [{ cidr: '10.0.0.0/16', peerName: 'e' }])).toEqual([[0, 253]]);
  });

  it('are skipped to the first index no span covers', () => {
    const blocked: Array<[number, number]> = [
      [2, 4],
      [5, 5],
      [9, 12],
    ];
    expect(firstUnblocked(1, blocked)).toBe(1);
    expect(firstUnblocked(2, blocked)).toBe(6);
    expect(firstUnblocked(10, blocked)).toBe(13);
  });
});
