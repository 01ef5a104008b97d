import {
  type AddressPool,
  cidrsOverlap,
  isHostCidr,
  poolIndexSpan,
} from '../../../common/domain/ip-allocation';

/** A network or address range another peer of the node holds (a routed network, or a range of its allowed IPs). */
export interface HeldRange {
  cidr: string;
  peerName: string;
}

/** Why a peer's addresses and routed networks cannot be as asked. */
export type RouteProblem =
  | { kind: 'range_in_pool'; field: 'allowed_ips' | 'routed_ips'; cidr: string; pool: string }
  | { kind: 'route_taken'; field: 'allowed_ips' | 'routed_ips'; cidr: string; held: HeldRange };

/**
 * Checks a peer's CIDRs against its node. Inside a pool a peer holds single addresses only, so no range can
 * swallow addresses the allocator hands out later; routed networks lie outside every pool; and no CIDR of the
 * peer may overlap a range another peer of the node holds (WireGuard would route it to only one of them).
 */
export function routeProblem(
  pools: readonly AddressPool[],
  addresses: readonly string[],
  routedIps: readonly string[],
  held: readonly HeldRange[],
): RouteProblem | null {
  const fields = [
    { field: 'allowed_ips' as const, cidrs: addresses },
    { field: 'routed_ips' as const, cidrs: routedIps },
  ];
  for (const { field, cidrs } of fields) {
    for (const cidr of cidrs) {
      const pool = pools.find((candidate) => poolIndexSpan(candidate, cidr) !== null);
      if (pool && (field === 'routed_ips' || !isHostCidr(cidr))) {
        return { kind: 'range_in_pool', field, cidr, pool: pool.cidr };
      }
      const taken = held.find((range) => cidrsOverlap(range.cidr, cidr));
      if (taken) return { kind: 'route_taken', field, cidr, held: taken };
    }
  }
  return null;
}

/** The ranges a peer holds that another peer must not overlap: its routed networks and its allowed IPs' ranges. */
export function heldRanges(
  peerName: string,
  addresses: readonly string[],
  routedIps: readonly string[],
): HeldRange[] {
  return [...addresses.filter((cidr) => !isHostCidr(cidr)), ...routedIps].map((cidr) => ({ cidr, peerName }));
}

/**
 * The pool's host indexes that ranges cover, as sorted, merged [first, last] spans: the allocator skips them,
 * so no new peer gets an address inside a range a peer held before such ranges were refused.
 */
export function blockedIndexes(pool: AddressPool, ranges: readonly HeldRange[]): Array<[number, number]> {
  const spans = ranges
    .map((range) => poolIndexSpan(pool, range.cidr))
    .filter((span): span is [number, number] => span !== null)
    .sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [first, last] of spans) {
    const previous = merged.at(-1);
    if (previous && first <= previous[1] + 1) previous[1] = Math.max(previous[1], last);
    else merged.push([first, last]);
  }
  return merged;
}

/** The first index at or above `index` that no span covers. */
export function firstUnblocked(index: number, blocked: ReadonlyArray<[number, number]>): number {
  let candidate = index;
  for (const [first, last] of blocked) {
    if (candidate >= first && candidate <= last) candidate = last + 1;
  }
  return candidate;
}
