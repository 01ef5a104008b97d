import * as fc from 'fast-check';
import * as ipaddr from 'ipaddr.js';
import {
  addressAt,
  type AddressPool,
  AddressPoolError,
  hostCidrAt,
  indexOf,
  nodeAddress,
  parsePool,
  poolCapacity,
} from './ip-allocation';

describe('parsePool', () => {
  it('canonicalises IPv4 and IPv6 pools', () => {
    expect(parsePool('10.0.1.0/24')).toEqual({
      cidr: '10.0.1.0/24',
      family: 4,
      prefix: 24,
      network: 0x0a000100n,
    });
    expect(parsePool(' FD00:1:0::/64 ')).toMatchObject({ cidr: 'fd00:1::/64', family: 6, prefix: 64 });
  });

  it('accepts IPv4 /8 to /30 and IPv6 /64 to /126 only', () => {
    for (const good of ['10.0.0.0/8', '10.0.0.0/30', 'fd00::/64', 'fd00::/126']) {
      expect(parsePool(good).cidr).toBe(good);
    }
    expect(() => parsePool('10.0.0.0/31')).toThrow('10.0.0.0/31 must have an IPv4 prefix between /8 and /30');
    expect(() => parsePool('10.0.0.0/7')).toThrow(AddressPoolError);
    expect(() => parsePool('fd00::/63')).toThrow('fd00::/63 must have an IPv6 prefix between /64 and /126');
    expect(() => parsePool('fd00::/127')).toThrow(AddressPoolError);
  });

  it('rejects host bits, naming the pool and the network meant', () => {
    expect(() => parsePool('10.0.1.5/24')).toThrow(
      '10.0.1.5/24 has host bits set; the network is 10.0.1.0/24',
    );
    expect(() => parsePool('fd00::1/64')).toThrow('fd00::1/64 has host bits set; the network is fd00::/64');
  });

  it('rejects ranges that cannot carry tunnel addresses', () => {
    expect(() => parsePool('224.0.1.0/24')).toThrow(
      '224.0.1.0/24 lies in multicast address space, which cannot carry tunnel addresses',
    );
    expect(() => parsePool('127.0.1.0/24')).toThrow('lies in loopback address space');
    expect(() => parsePool('0.0.1.0/24')).toThrow('lies in unspecified address space');
    expect(() => parsePool('ff00::/64')).toThrow('lies in multicast address space');
    expect(() => parsePool('::ffff:0:0/112')).toThrow(AddressPoolError);
    expect(() => parsePool('::/80')).toThrow('::/80 lies in unspecified address space');
    expect(parsePool('::1:0:0:0/80').cidr).toBe('::1:0:0:0/80');
  });

  it('rejects what is not a network with a prefix', () => {
    for (const bad of ['10.0.1.0', 'pool', '10.0.1.0/24/1', '', '10.0.1.0/']) {
      expect(() => parsePool(bad)).toThrow(AddressPoolError);
    }
  });
});

describe('pool indexes', () => {
  const v4 = parsePool('10.0.1.0/24');
  const v6 = parsePool('fd00:1::/120');

  it('counts usable hosts: no network address, no IPv4 broadcast', () => {
    expect(poolCapacity(v4)).toBe(254);
    expect(poolCapacity(parsePool('10.0.0.0/30'))).toBe(2);
    expect(poolCapacity(v6)).toBe(255);
    expect(poolCapacity(parsePool('fd00::/64'))).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('gives the node the first host', () => {
    expect(nodeAddress(v4)).toBe('10.0.1.1');
    expect(nodeAddress(v6)).toBe('fd00:1::1');
  });

  it('maps indexes to addresses and back', () => {
    expect(addressAt(v4, 1)).toBe('10.0.1.2');
    expect(addressAt(v4, 253)).toBe('10.0.1.254');
    expect(hostCidrAt(v4, 1)).toBe('10.0.1.2/32');
    expect(hostCidrAt(v6, 254)).toBe('fd00:1::ff/128');
    expect(indexOf(v4, '10.0.1.2')).toBe(1);
    expect(indexOf(v4, '10.0.1.2/32')).toBe(1);
    expect(indexOf(v6, 'FD00:1:0::ff/128')).toBe(254);
  });

  it('refuses indexes outside the pool', () => {
    expect(() => addressAt(v4, 254)).toThrow(RangeError);
    expect(() => addressAt(v4, -1)).toThrow('host index -1 is outside pool 10.0.1.0/24');
    expect(() => addressAt(v4, 1.5)).toThrow(RangeError);
  });

  it('has no index for foreign, reserved or non-host addresses', () => {
    for (const address of ['10.0.1.0', '10.0.1.255', '10.0.2.1', '10.0.1.0/24', 'fd00:1::2', 'nope']) {
      expect(indexOf(v4, address)).toBeNull();
    }
    expect(indexOf(v6, 'fd00:1::')).toBeNull();
    expect(indexOf(v6, 'fd00:1::100')).toBeNull();
    expect(indexOf(v6, '10.0.1.2')).toBeNull();
  });

  it('round-trips every index and never yields the network, broadcast or node address to a peer', () => {
    const pools = fc
      .oneof(
        fc
          .tuple(fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }), fc.integer({ min: 8, max: 30 }))
          .map(toPool(4)),
        fc
          .tuple(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.integer({ min: 64, max: 126 }))
          .map(toPool(6)),
        // Small values reach ::/8 and the IPv4-mapped range next to it, which random 128-bit values never hit.
        fc
          .tuple(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.integer({ min: 64, max: 126 }))
          .map(toPool(6)),
      )
      .filter((pool): pool is AddressPool => pool !== null);
    // Indexes near both ends matter most: that is where network, node and broadcast addresses sit.
    const positions = fc.oneof(
      fc.nat(3),
      fc.nat(3).map((n) => -1 - n),
      fc.double({ min: 0, max: 1, noNaN: true }),
    );
    fc.assert(
      fc.property(pools, positions, (pool, position) => {
        const capacity = poolCapacity(pool);
        const index = pickIndex(capacity, position);
        const address = addressAt(pool, index);
        expect(indexOf(pool, address)).toBe(index);
        expect(indexOf(pool, hostCidrAt(pool, index))).toBe(index);

        expect(ipaddr.parse(address).match(ipaddr.parseCIDR(pool.cidr))).toBe(true);
        const family = pool.family === 4 ? ipaddr.IPv4 : ipaddr.IPv6;
        expect(address).not.toBe(family.networkAddressFromCIDR(pool.cidr).toString());
        if (pool.family === 4) {
          expect(address).not.toBe(ipaddr.IPv4.broadcastAddressFromCIDR(pool.cidr).toString());
        }
        if (index > 0) expect(address).not.toBe(nodeAddress(pool));
      }),
      { numRuns: 3000 },
    );
  });
});

/** A pool from random bits, or null when parsePool refuses it (those cases are tested above). */
function toPool(family: 4 | 6) {
  return ([bits, prefix]: [bigint, number]): AddressPool | null => {
    const width = family === 4 ? 32 : 128;
    const network = (bits >> BigInt(width - prefix)) << BigInt(width - prefix);
    const bytes = Array.from({ length: width / 8 }, (_, i) =>
      Number((network >> BigInt(width - 8 - 8 * i)) & 0xffn),
    );
    try {
      return parsePool(`${ipaddr.fromByteArray(bytes).toString()}/${prefix}`);
    } catch (error) {
      if (error instanceof AddressPoolError) return null;
      throw error;
    }
  };
}

/** A non-negative integer counts from the start, a negative one from the end, a fraction spans the pool. */
function pickIndex(capacity: number, position: number): number {
  if (!Number.isInteger(position)) return Math.min(capacity - 1, Math.floor(position * capacity));
  return position >= 0 ? Math.min(position, capacity - 1) : Math.max(0, capacity + position);
}
