import { normaliseCidrSet } from '../../../common/domain/cidr';
import type { DesiredNode } from '../../../common/domain/desired-state';
import {
  AddressPool,
  hostCidrAt,
  indexOf,
  parsePool,
  poolCapacity,
} from '../../../common/domain/ip-allocation';
import type { Allocation } from '../peer.events';
import { firstUnblocked, type RouteProblem } from './peer-routes';

/** Why a peer cannot have the key or addresses it asked for. */
export type AllocationProblem =
  | { kind: 'node_address'; cidr: string; nodeName: string }
  | { kind: 'key_taken' }
  | { kind: 'address_taken'; addresses: string[] }
  | { kind: 'pool_full'; pool: string }
  | RouteProblem;

/** A refused allocation, as the domain says it; the API layer turns it into its answer. */
export class AllocationError extends Error {
  override readonly name = 'AllocationError';

  constructor(readonly problem: AllocationProblem) {
    super(problem.kind);
  }
}

export interface ClaimedAddresses {
  allowedIps: string[];
  allocations: Allocation[];
}

type NodePools = Pick<DesiredNode, 'name' | 'address_pool' | 'address_pool_v6'>;

export function nodePools(node: NodePools): AddressPool[] {
  return [node.address_pool, node.address_pool_v6].filter((cidr): cidr is string => !!cidr).map(parsePool);
}

/** Given addresses: single hosts inside a pool are claimed so nobody else gets them; routes outside are kept as is. */
export function claimedAddresses(
  node: NodePools,
  pools: readonly AddressPool[],
  given: readonly string[],
): ClaimedAddresses | AllocationError {
  const allowedIps = normaliseCidrSet([...given]);
  const allocations: Allocation[] = [];
  for (const pool of pools) {
    for (const cidr of allowedIps) {
      const index = indexOf(pool, cidr);
      if (index === null) continue;
      if (index === 0) return new AllocationError({ kind: 'node_address', cidr, nodeName: node.name });
      allocations.push(allocationAt(pool, index));
    }
  }
  return { allowedIps, allocations };
}

/**
 * Whether one request of a creation batch may go ahead, given the keys and addresses already taken on the node
 * (by earlier peers and by the batch's earlier requests): null when it may.
 */
export function refusalOf(
  publicKey: string,
  claim: ClaimedAddresses | AllocationError | null,
  takenKeys: ReadonlySet<string>,
  takenAddresses: ReadonlySet<string>,
): AllocationError | null {
  if (takenKeys.has(publicKey)) return new AllocationError({ kind: 'key_taken' });
  if (claim instanceof AllocationError) return claim;
  const clash = claim?.allocations.find((allocation) => takenAddresses.has(allocation.address));
  return clash ? new AllocationError({ kind: 'address_taken', addresses: [clash.address] }) : null;
}

/**
 * The common case of picking an address: the first index above the highest allocated one that the batch has
 * not taken and no range covers (`blocked`, see blockedIndexes). Null when that runs past the top of the
 * pool; then `lowestFreeIndex` looks for a gap.
 */
export function indexAboveHighest(
  pool: AddressPool,
  highest: number,
  taken: ReadonlySet<string>,
  blocked: ReadonlyArray<[number, number]> = [],
): number | null {
  let index = firstUnblocked(highest + 1, blocked);
  while (index < poolCapacity(pool) && taken.has(hostCidrAt(pool, index))) {
    index = firstUnblocked(index + 1, blocked);
  }
  return index < poolCapacity(pool) ? index : null;
}

/**
 * The lowest free index of the pool given every allocated index, the addresses the batch took and the
 * spans ranges cover; null when full.
 */
export function lowestFreeIndex(
  pool: AddressPool,
  allocated: readonly number[],
  taken: ReadonlySet<string>,
  blocked: ReadonlyArray<[number, number]> = [],
): number | null {
  const used = new Set(allocated);
  for (const address of taken) {
    const index = indexOf(pool, address);
    if (index !== null) used.add(index);
  }
  let index = firstUnblocked(1, blocked);
  while (index < poolCapacity(pool) && used.has(index)) index = firstUnblocked(index + 1, blocked);
  return index < poolCapacity(pool) ? index : null;
}

export function allocationAt(pool: AddressPool, index: number): Allocation {
  return { family: pool.family, host_index: index, address: hostCidrAt(pool, index) };
}
