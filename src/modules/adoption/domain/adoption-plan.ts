import type { DumpPeer } from '@wgfleet/protocol';
import { normaliseCidrSet } from '../../../common/domain/cidr';
import type { DesiredNode } from '../../../common/domain/desired-state';
import { hostCidrAt, indexOf, parsePool, poolIndexSpan } from '../../../common/domain/ip-allocation';
import type { Allocation, PeerCreatedPayload } from '../../peers';
import { heldRanges, routeProblem, type HeldRange, type RouteProblem } from '../../peers/domain/peer-routes';
import { addressName } from './adopted-names';

/** One peer of the node as a dry run shows it: what would be imported, or why it cannot be. */
export interface AdoptionEntry {
  public_key: string;
  /** The name it is adopted under; absent when it cannot be adopted. */
  name?: string;
  /** Its addresses in the node's pools (and any other range inside them): normalised, sorted. */
  allowed_ips: string[];
  /** Its allowed IPs outside the node's pools: the networks it routes. */
  routed_ips: string[];
  /** The endpoint the node has for a peer that routes networks (a site's gateway); null for others. */
  endpoint: string | null;
  persistent_keepalive: number;
  has_preshared_key: boolean;
  /** Why this peer cannot be adopted; absent when it can. */
  conflict?: string;
}

export interface AdoptionPlan {
  adopt: AdoptionEntry[];
}

/** An entry with what importing it takes: the addresses it reserves and the hash of its preshared key. */
export interface PlannedAdoption {
  entry: AdoptionEntry;
  allocations: Allocation[];
  preshared_key_sha256: string | null;
}

/** A peer the plan can import, under its name. */
export type AdoptablePeer = PlannedAdoption & { entry: AdoptionEntry & { name: string } };

export function isAdoptable(item: PlannedAdoption): item is AdoptablePeer {
  return item.entry.conflict === undefined && item.entry.name !== undefined;
}

export interface AdoptionInput {
  node: Pick<DesiredNode, 'name' | 'address_pool' | 'address_pool_v6'>;
  /** The peers the node's interface has now. */
  observed: readonly DumpPeer[];
  /** Public key → name of the node's current peers (enabled or not). */
  currentPeers: ReadonlyMap<string, string>;
  /** Public key → name of peers the panel managed on this node and deleted since. */
  formerPeers: ReadonlyMap<string, string>;
  /** Address ("10.0.1.5/32") → name of the peer of this node that holds it. */
  allocated: ReadonlyMap<string, string>;
  /** Routed networks and address ranges the node's peers hold. */
  heldRanges: readonly HeldRange[];
  /** Only these keys; every observed peer the panel does not know when absent. */
  publicKeys?: readonly string[];
  /** The operator's names by public key; a peer without one is named by its address. */
  names?: ReadonlyMap<string, string>;
}

/**
 * Which peers of a node can be imported as they are. Without `publicKeys`, every observed peer that is not a
 * current peer of the node; with it, exactly those keys (a key that is not there, or already a peer, is
 * listed with its conflict). A peer reserves the addresses of the node's pools among its allowed IPs; its
 * allowed IPs outside the pools become its routed networks, and for such a peer (a site) the endpoint the node
 * has is kept too: a client's endpoint is only where it last connected from, a site's is configured. A range
 * inside a pool is a conflict, as are networks another peer holds.
 */
export function planAdoption(input: AdoptionInput): PlannedAdoption[] {
  const observedByKey = new Map(input.observed.map((peer) => [peer.public_key, peer]));
  const keys = input.publicKeys
    ? [...new Set(input.publicKeys)]
    : input.observed.map((peer) => peer.public_key).filter((key) => !input.currentPeers.has(key));
  const pools = [input.node.address_pool, input.node.address_pool_v6]
    .filter((cidr): cidr is string => !!cidr)
    .map(parsePool);
  // Address → who holds it, in words: a peer of the panel, or a peer this plan adopts before.
  const claimed = new Map([...input.allocated].map(([address, name]) => [address, `peer ${name}`]));
  const names = input.names ?? new Map<string, string>();
  // Names a peer has or will have: an address-made name must not repeat one.
  const takenNames = new Set([...input.currentPeers.values(), ...names.values()]);
  const held = [...input.heldRanges];
  const planned: PlannedAdoption[] = [];
  for (const key of [...keys].sort()) {
    const observed = observedByKey.get(key);
    if (!observed) {
      planned.push(refused(key, `no peer with this key is on the interface of node ${input.node.name}`));
      continue;
    }
    const allIps = normaliseCidrSet(observed.allowed_ips);
    const inPools = (cidr: string) => pools.some((pool) => poolIndexSpan(pool, cidr) !== null);
    const allowedIps = allIps.filter(inPools);
    const routedIps = allIps.filter((cidr) => !inPools(cidr));
    const entry: AdoptionEntry = {
      public_key: key,
      allowed_ips: allowedIps,
      routed_ips: routedIps,
      endpoint: routedIps.length > 0 ? observed.endpoint : null,
      persistent_keepalive: observed.persistent_keepalive,
      has_preshared_key: observed.preshared_key_sha256 !== null,
    };
    const allocations = pools.flatMap((pool) =>
      allowedIps.flatMap((cidr): Allocation[] => {
        const index = indexOf(pool, cidr);
        return index === null
          ? []
          : [{ family: pool.family, host_index: index, address: hostCidrAt(pool, index) }];
      }),
    );
    const conflict = conflictOf(
      input,
      entry,
      allocations,
      claimed,
      routeProblem(pools, allowedIps, routedIps, held),
    );
    if (conflict) {
      planned.push({ entry: { ...entry, conflict }, allocations: [], preshared_key_sha256: null });
      continue;
    }
    allocations.forEach((allocation) => claimed.set(allocation.address, `the adopted peer ${key}`));
    held.push(...heldRanges(`adopted ${key}`, allowedIps, routedIps));
    const address = allocations[0]?.address ?? allowedIps[0] ?? routedIps[0];
    const name = names.get(key) ?? addressName(address, key, takenNames);
    takenNames.add(name);
    planned.push({
      entry: { ...entry, name },
      allocations,
      preshared_key_sha256: observed.preshared_key_sha256,
    });
  }
  return planned;
}

export function adoptionPlan(planned: readonly PlannedAdoption[]): AdoptionPlan {
  return { adopt: planned.map((item) => item.entry) };
}

/** The names of the adoptable peers of a stored plan, by public key. */
export function plannedNames(plan: AdoptionPlan): Map<string, string> {
  return new Map(
    plan.adopt.flatMap((entry) => (entry.name === undefined ? [] : [[entry.public_key, entry.name]])),
  );
}

function conflictOf(
  input: AdoptionInput,
  entry: AdoptionEntry,
  allocations: readonly Allocation[],
  claimed: ReadonlyMap<string, string>,
  route: RouteProblem | null,
): string | null {
  const key = entry.public_key;
  const current = input.currentPeers.get(key);
  if (current !== undefined) return `the key is already used on this node by peer ${current}`;
  const former = input.formerPeers.get(key);
  if (former !== undefined) {
    return `the key belonged to peer ${former}, deleted from this node; a reconcile removes it (remove_orphaned)`;
  }
  const own = allocations.find((allocation) => allocation.host_index === 0);
  if (own) return `${own.address} is the address of node ${input.node.name} itself`;
  if (entry.allowed_ips.length + entry.routed_ips.length === 0) return 'it has no allowed IPs';
  const taken = allocations.find((allocation) => claimed.has(allocation.address));
  if (taken) return `${taken.address} already belongs to ${claimed.get(taken.address)}`;
  if (route?.kind === 'range_in_pool') {
    return `${route.cidr} is a range inside the node's pool ${route.pool}, not a single address`;
  }
  if (route) return `${route.cidr} overlaps ${route.held.cidr} of peer ${route.held.peerName}`;
  return null;
}

function refused(key: string, conflict: string): PlannedAdoption {
  return {
    entry: {
      public_key: key,
      allowed_ips: [],
      routed_ips: [],
      endpoint: null,
      persistent_keepalive: 0,
      has_preshared_key: false,
      conflict,
    },
    allocations: [],
    preshared_key_sha256: null,
  };
}

/** The creation event of an adopted peer: as the node has it, no private key, its preshared key by hash only. */
export function adoptedPeerPayload(nodeId: string, planned: AdoptablePeer): PeerCreatedPayload {
  const { entry } = planned;
  return {
    node_id: nodeId,
    name: entry.name,
    public_key: entry.public_key,
    allowed_ips: entry.allowed_ips,
    routed_ips: entry.routed_ips,
    endpoint: entry.endpoint,
    dns: null,
    mtu: null,
    // Its own value, so the node's override or the panel's default never changes what it has.
    persistent_keepalive: entry.persistent_keepalive,
    endpoint_allowed_ips: null,
    enabled: true,
    private_key_sealed: null,
    preshared_key_sealed: null,
    preshared_key_sha256: planned.preshared_key_sha256,
    origin: 'adopted',
    allocations: planned.allocations,
  };
}
