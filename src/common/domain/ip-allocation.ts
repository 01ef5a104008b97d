import * as ipaddr from 'ipaddr.js';
import { parseCidr } from './cidr';

/**
 * Address-pool math. Allocations are stored as (node_id, family, host_index): index 0 is the first host of the
 * pool, reserved for the node itself; peers get 1, 2, ... The network address and (IPv4) the broadcast address
 * never get an index.
 */
export interface AddressPool {
  /** Canonical CIDR text, e.g. "10.0.1.0/24" or "fd00:1::/64". */
  readonly cidr: string;
  readonly family: 4 | 6;
  readonly prefix: number;
  readonly network: bigint;
}

/** Thrown by parsePool; the message names the pool but not the field, which the caller knows. */
export class AddressPoolError extends Error {
  override readonly name = 'AddressPoolError';
}

/** A pool must hold the node and at least one peer (/30, /126); bigger than /8 or /64 is surely a typo. */
const POOL_PREFIX_LIMITS = { 4: { min: 8, max: 30 }, 6: { min: 64, max: 126 } } as const;

const FAMILY_BITS = { 4: 32, 6: 128 } as const;

/**
 * ipaddr.js range names; with the prefix limits above, a pool's network address decides for the whole pool.
 * "unspecified" also keeps IPv6 pools away from ::ffff:0:0/96, whose addresses parseCidr reads as IPv4: a /64
 * to /95 pool overlapping it starts at ::, and a longer one is read as IPv4 and refused as not a network.
 */
const UNUSABLE_RANGES: readonly string[] = ['multicast', 'loopback', 'unspecified'];

/**
 * Validates and canonicalises a pool. A pool with host bits set ("10.0.1.5/24") is rejected rather than
 * silently masked: the user most likely typed an address where a network was meant.
 */
export function parsePool(cidr: string): AddressPool {
  const parsed = parseCidr(cidr);
  if (!parsed || !/^[^/]+\/\d+$/.test(cidr.trim())) {
    throw new AddressPoolError(`${JSON.stringify(cidr)} is not a network in CIDR notation like 10.0.1.0/24`);
  }
  const { family, prefix } = parsed;
  const limits = POOL_PREFIX_LIMITS[family];
  if (prefix < limits.min || prefix > limits.max) {
    throw new AddressPoolError(
      `${cidr} must have an IPv${family} prefix between /${limits.min} and /${limits.max}`,
    );
  }
  const value = toBigInt(parsed.address);
  const network = value & ~hostMask(family, prefix);
  const canonical = `${fromBigInt(family, network)}/${prefix}`;
  if (network !== value) {
    throw new AddressPoolError(`${cidr} has host bits set; the network is ${canonical}`);
  }
  const range = parsed.address.range();
  if (UNUSABLE_RANGES.includes(range)) {
    throw new AddressPoolError(`${cidr} lies in ${range} address space, which cannot carry tunnel addresses`);
  }
  return { cidr: canonical, family, prefix, network };
}

/**
 * Number of allocatable indexes, the node's included. Indexes are kept as safe integers (they also fit a
 * PostgreSQL bigint), so the astronomically large IPv6 pools are capped at Number.MAX_SAFE_INTEGER.
 */
export function poolCapacity(pool: AddressPool): number {
  const size = 1n << BigInt(FAMILY_BITS[pool.family] - pool.prefix);
  const reserved = pool.family === 4 ? 2n : 1n;
  const capacity = size - reserved;
  return capacity > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(capacity);
}

/** The node's own tunnel address: the first host (.1 / ::1). */
export function nodeAddress(pool: AddressPool): string {
  return addressAt(pool, 0);
}

export function addressAt(pool: AddressPool, index: number): string {
  if (!Number.isSafeInteger(index) || index < 0 || index >= poolCapacity(pool)) {
    throw new RangeError(`host index ${index} is outside pool ${pool.cidr}`);
  }
  return fromBigInt(pool.family, pool.network + 1n + BigInt(index));
}

/** The single-host route for an index ("10.0.1.2/32", "fd00::2/128"): a peer's allowed_ips entry. */
export function hostCidrAt(pool: AddressPool, index: number): string {
  return `${addressAt(pool, index)}/${FAMILY_BITS[pool.family]}`;
}

/**
 * Index of an address ("10.0.1.2") or single-host CIDR ("10.0.1.2/32") inside the pool; null when it is of
 * another family, outside the pool, the network or broadcast address, or a wider CIDR.
 */
export function indexOf(pool: AddressPool, address: string): number | null {
  const parsed = parseCidr(address);
  if (!parsed || parsed.family !== pool.family || parsed.prefix !== FAMILY_BITS[pool.family]) return null;
  const index = toBigInt(parsed.address) - pool.network - 1n;
  if (index < 0n || index >= BigInt(poolCapacity(pool))) return null;
  return Number(index);
}

function hostMask(family: 4 | 6, prefix: number): bigint {
  return (1n << BigInt(FAMILY_BITS[family] - prefix)) - 1n;
}

function toBigInt(address: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  return address.toByteArray().reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);
}

function fromBigInt(family: 4 | 6, value: bigint): string {
  const width = FAMILY_BITS[family];
  const bytes = Array.from({ length: width / 8 }, (_, i) =>
    Number((value >> BigInt(width - 8 - 8 * i)) & 0xffn),
  );
  return ipaddr.fromByteArray(bytes).toString();
}

/** The first and last address a CIDR covers, as numbers of its family. */
export interface CidrSpan {
  family: 4 | 6;
  first: bigint;
  last: bigint;
}

/** Null when `cidr` is not an address or CIDR. */
export function cidrSpan(cidr: string): CidrSpan | null {
  const parsed = parseCidr(cidr);
  if (!parsed) return null;
  const mask = hostMask(parsed.family, parsed.prefix);
  const first = toBigInt(parsed.address) & ~mask;
  return { family: parsed.family, first, last: first | mask };
}

/** Whether two CIDRs share at least one address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const left = cidrSpan(a);
  const right = cidrSpan(b);
  return (
    !!left && !!right && left.family === right.family && left.first <= right.last && right.first <= left.last
  );
}

/** A single address: /32 or /128. */
export function isHostCidr(cidr: string): boolean {
  const parsed = parseCidr(cidr);
  return !!parsed && parsed.prefix === FAMILY_BITS[parsed.family];
}

/** The pool's host indexes (first, last) a CIDR covers, or null when it covers none of them. */
export function poolIndexSpan(pool: AddressPool, cidr: string): [number, number] | null {
  const span = cidrSpan(cidr);
  if (!span || span.family !== pool.family) return null;
  const first = span.first - pool.network - 1n;
  const last = span.last - pool.network - 1n;
  const capacity = BigInt(poolCapacity(pool));
  if (last < 0n || first >= capacity) return null;
  return [Number(first < 0n ? 0n : first), Number(last >= capacity ? capacity - 1n : last)];
}
