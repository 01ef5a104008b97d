import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { DesiredPeer, ManagedPeerRef } from '../../common/domain/desired-state';
import { boundQuery } from '../../database/bound-query';
import type { NodeAddressUsageSource } from '../nodes';
import { IpAllocationEntity } from './ip-allocation.entity';
import { PeerEntity } from './peer.entity';
import type { Allocation, PeerState } from './peer.events';
import { heldRanges, type HeldRange } from './domain/peer-routes';

/** A prefix from /0 to /127 but /32, closing a JSON string: an allowed IP that is not a single address. */
const RANGE_PREFIX = '/([0-9]|[12][0-9]|3[013-9]|[4-9][0-9]|1[01][0-9]|12[0-7])"';

// Each table's rows travel as one JSON parameter. Creation runs the three statements as one (in CTEs);
// updates run the one they need.
const INSERT_PEERS = `insert into peers (id, node_id, name, public_key, allowed_ips, dns, mtu, persistent_keepalive,
    endpoint_allowed_ips, private_key_sealed, preshared_key_sealed, preshared_key_sha256, enabled, origin,
    version, created_at, updated_at, expires_at, quota_bytes, quota_period, routed_ips, endpoint, cluster_id,
    owner)
  select id, node_id, name, public_key, allowed_ips, dns, mtu, persistent_keepalive, endpoint_allowed_ips,
    private_key_sealed, preshared_key_sealed, preshared_key_sha256, enabled, coalesce(origin, 'created'), version,
    created_at, created_at, expires_at, quota_bytes, coalesce(quota_period, 'month'), routed_ips, endpoint,
    cluster_id, owner
  from jsonb_to_recordset(?::jsonb) as p(id uuid, node_id uuid, name text, public_key text, allowed_ips jsonb,
    dns jsonb, mtu int, persistent_keepalive int, endpoint_allowed_ips jsonb, private_key_sealed text,
    preshared_key_sealed text, preshared_key_sha256 text, enabled boolean, origin text, version int,
    created_at timestamptz, expires_at timestamptz, quota_bytes bigint, quota_period text, routed_ips jsonb,
    endpoint text, cluster_id uuid, owner uuid)`;
const INSERT_ALLOCATIONS = `insert into ip_allocations (node_id, family, host_index, address, peer_id)
  select node_id, family, host_index, address, peer_id
  from jsonb_to_recordset(?::jsonb) as a(node_id uuid, family smallint, host_index bigint, address text, peer_id uuid)`;
const REMEMBER_KEYS = `insert into node_managed_keys (node_id, public_key, peer_id, name)
  select node_id, public_key, peer_id, name
  from jsonb_to_recordset(?::jsonb) as k(node_id uuid, public_key text, peer_id uuid, name text)
  on conflict (node_id, public_key) do update set peer_id = excluded.peer_id, name = excluded.name`;

/**
 * A peer holding more than single addresses: routed networks, or an allowed IP with a prefix other than /32
 * and /128 (stored CIDRs always have one). The partial index peers_node_id_ranges_index has this predicate, so
 * a node's few such peers are found without reading the rest. No `?` in it: boundQuery binds those.
 */
const PEER_HOLDS_RANGES = `(routed_ips <> '[]'::jsonb or allowed_ips::text ~ '${RANGE_PREFIX}')`;

/** [name, allowed_ips, routed_ips] of the peers of node `nodeId` (an SQL expression) that hold ranges. */
const rangeHoldersOf = (nodeId: string, except = 'true') =>
  `coalesce((select json_agg(json_build_array(name, allowed_ips, routed_ips)) from peers
             where node_id = ${nodeId} and ${PEER_HOLDS_RANGES} and ${except}), '[]')`;

type RangeHolderRow = [name: string, allowed_ips: string[], routed_ips: string[]];

/** A new row of `peers`, in its columns' names: the created event's state with its id, version and time. */
export interface NewPeerRow extends Omit<
  PeerState,
  | 'expires_at'
  | 'quota_bytes'
  | 'quota_period'
  | 'origin'
  | 'routed_ips'
  | 'endpoint'
  | 'cluster_id'
  | 'owner'
> {
  id: string;
  origin: PeerState['origin'];
  version: number;
  expires_at: string | null;
  quota_bytes: number | null;
  quota_period: PeerState['quota_period'] | null;
  routed_ips: string[];
  endpoint: string | null;
  cluster_id: string | null;
  owner: string | null;
  created_at: Date;
}

export interface AllocationRow {
  nodeId: string;
  peerId: string;
  allocation: Allocation;
}

export interface ManagedKeyRow {
  nodeId: string;
  publicKey: string;
  peerId: string;
  name: string;
}

/**
 * A peer as a write of it to its node needs it: its desired row, then its version and sealed preshared key.
 * As compact JSON rather than entities, for the same reason as DesiredPeerRow: a node may have tens of
 * thousands of peers.
 */
type SnapshotPeerRow = [...DesiredPeerRow, version: number, preshared_key_sealed: string | null];

/** A peer's desired state with what writing it to its node needs besides. */
export interface SnapshotPeerRecord {
  desired: DesiredPeer;
  version: number;
  presharedKeySealed: string | null;
}

/** What a creation batch must know before it decides: keys and addresses already taken, highest indexes. */
export interface TakenOnNode {
  takenKeys: string[];
  takenAddresses: string[];
  /** Ranges the node's peers hold, which a new peer must not overlap. */
  heldRanges: HeldRange[];
  highestV4: number;
  highestV6: number;
}

/**
 * One compact row per peer (a fleet scan reads every peer of the fleet, so as JSON values, not entities).
 * The last element says whether the peer belongs on its node: enabled and not suspended.
 */
type DesiredPeerRow = [
  id: string,
  name: string,
  public_key: string,
  allowed_ips: string[],
  dns: string[] | null,
  mtu: number | null,
  persistent_keepalive: number | null,
  endpoint_allowed_ips: string[] | null,
  preshared_key_sha256: string | null,
  enabled: boolean,
  routed_ips: string[],
  endpoint: string | null,
];

/** What adoption must not collide with on a node: its peers' keys, keys it managed before, held addresses. */
export interface NodeHoldings {
  /** Public key → name of the node's current peers. */
  currentPeers: Map<string, string>;
  /** Public key → name of peers deleted from the node (their keys are still the panel's history). */
  formerPeers: Map<string, string>;
  /** Address → name of the peer holding it. */
  allocated: Map<string, string>;
  /** Ranges the node's peers hold. */
  heldRanges: HeldRange[];
}

type Pairs = [string, string][];

export interface SuspensionRow {
  id: string;
  reason: string | null;
  version: number;
  updated_at: Date;
}

/** The peers module's statements on its tables: peers, ip_allocations, node_managed_keys. */
@Injectable()
export class PeersStore implements NodeAddressUsageSource {
  allocatedCount(em: EntityManager, nodeId: string): Promise<number> {
    return em.count(IpAllocationEntity, { nodeId });
  }

  /** The node or the cluster a peer belongs to, or null when there is no such peer. */
  async ownerOf(
    em: EntityManager,
    peerId: string,
  ): Promise<{ node_id: string; cluster_id: string | null } | null> {
    const [row] = await boundQuery<{ node_id: string; cluster_id: string | null }>(
      em,
      'select node_id, cluster_id from peers where id = ?',
      [peerId],
    );
    return row ?? null;
  }

  /** Creation is the hot write path: the three tables in one statement. */
  async insertCreated(
    em: EntityManager,
    peers: readonly NewPeerRow[],
    allocations: readonly AllocationRow[],
    keys: readonly ManagedKeyRow[],
  ): Promise<void> {
    await boundQuery(
      em,
      `with new_peers as (${INSERT_PEERS}), new_allocations as (${INSERT_ALLOCATIONS}),
         remembered_keys as (${REMEMBER_KEYS})
       select 1`,
      [JSON.stringify(peers), allocationsJson(allocations), managedKeysJson(keys)],
    );
  }

  /** Sets each peer's suspension (a reason, or null once resumed) with the version of its event. */
  async setSuspensions(em: EntityManager, rows: readonly SuspensionRow[]): Promise<void> {
    await boundQuery(
      em,
      `update peers p set suspended_reason = s.reason, version = s.version, updated_at = s.updated_at
       from jsonb_to_recordset(?::jsonb) as s(id uuid, reason text, version int, updated_at timestamptz)
       where p.id = s.id`,
      [JSON.stringify(rows)],
    );
  }

  async insertAllocations(em: EntityManager, rows: readonly AllocationRow[]): Promise<void> {
    if (rows.length > 0) await boundQuery(em, INSERT_ALLOCATIONS, [allocationsJson(rows)]);
  }

  async rememberKeys(em: EntityManager, rows: readonly ManagedKeyRow[]): Promise<void> {
    await boundQuery(em, REMEMBER_KEYS, [managedKeysJson(rows)]);
  }

  /**
   * For many nodes in one round trip. The highest allocated index of each family is spelled `order by ... desc
   * limit 1` so it is always one backward step of the primary key index: as `max()` on a young table (no
   * statistics yet), PostgreSQL may aggregate every allocation of the node, a cost that grows with the node.
   */
  async takenOnNodes(
    em: EntityManager,
    wanted: ReadonlyArray<{ nodeId: string; publicKeys: readonly string[]; addresses: readonly string[] }>,
  ): Promise<Map<string, TakenOnNode>> {
    const rows = await boundQuery<{
      node_id: string;
      taken_keys: string[];
      taken_addresses: string[];
      highest_v4: string | null;
      highest_v6: string | null;
      range_holders: RangeHolderRow[];
    }>(
      em,
      `select w.node_id,
         array(select public_key from peers where node_id = w.node_id and public_key = any(w.keys)) as taken_keys,
         array(select address from ip_allocations where node_id = w.node_id and address = any(w.addresses))
           as taken_addresses,
         (select host_index from ip_allocations where node_id = w.node_id and family = 4
           order by host_index desc limit 1) as highest_v4,
         (select host_index from ip_allocations where node_id = w.node_id and family = 6
           order by host_index desc limit 1) as highest_v6,
         ${rangeHoldersOf('w.node_id')} as range_holders
       from jsonb_to_recordset(?::jsonb) as w(node_id uuid, keys text[], addresses text[])`,
      [
        JSON.stringify(
          wanted.map((node) => ({ node_id: node.nodeId, keys: node.publicKeys, addresses: node.addresses })),
        ),
      ],
    );
    return new Map(
      rows.map((known) => [
        known.node_id,
        {
          takenKeys: known.taken_keys,
          takenAddresses: known.taken_addresses,
          highestV4: Number(known.highest_v4 ?? 0),
          highestV6: Number(known.highest_v6 ?? 0),
          heldRanges: rangesOf(known.range_holders),
        },
      ]),
    );
  }

  /** The ranges the node's peers other than `exceptPeerId` hold. */
  async heldRangesOfNode(em: EntityManager, nodeId: string, exceptPeerId: string): Promise<HeldRange[]> {
    const [row] = await boundQuery<{ range_holders: RangeHolderRow[] }>(
      em,
      `select ${rangeHoldersOf('?', 'id <> ?')} as range_holders`,
      [nodeId, exceptPeerId],
    );
    return rangesOf(row.range_holders);
  }

  /** Every allocated index of one family on the node, in order: the slow path of a pool whose top is full. */
  async allocatedIndexes(em: EntityManager, nodeId: string, family: 4 | 6): Promise<number[]> {
    const rows = await boundQuery<{ host_index: string }>(
      em,
      'select host_index from ip_allocations where node_id = ? and family = ? order by host_index',
      [nodeId, family],
    );
    return rows.map((row) => Number(row.host_index));
  }

  /** Serialises address allocation per node (a transaction-scoped advisory lock), leaving other nodes free. */
  async lockNodeAllocations(em: EntityManager, nodeId: string): Promise<void> {
    await boundQuery(em, 'select pg_advisory_xact_lock(hashtextextended(?, 0))', [allocationLockKey(nodeId)]);
  }

  /**
   * Per node through its index (no big sort or hash), each node's peers, its cluster's among them, as one
   * compact JSON array.
   */
  async desiredPeersOfNodes(
    em: EntityManager,
    nodes: readonly PeerOwners[],
  ): Promise<Array<{ node_id: string; peers: DesiredPeer[] }>> {
    const rows = await boundQuery<{ node_id: string; peers: DesiredPeerRow[] | null }>(
      em,
      `select n.id as node_id,
         (select json_agg(json_build_array(id, name, public_key, allowed_ips, dns, mtu, persistent_keepalive,
                  endpoint_allowed_ips, preshared_key_sha256, enabled and suspended_reason is null,
                  routed_ips, endpoint))
          from peers p where p.node_id = any(array[n.id, n.cluster_id])) as peers
       from unnest(?::uuid[], ?::uuid[]) as n(id, cluster_id)`,
      [nodes.map((node) => node.nodeId), nodes.map((node) => node.clusterId)],
    );
    return rows.map(({ node_id, peers }) => ({
      node_id,
      peers: (peers ?? []).map((row) => desiredPeerOf(node_id, row)),
    }));
  }

  /** One node's peers, its cluster's among them (only `peerIds`, when given), as one compact JSON array. */
  async snapshotPeersOfNode(
    em: EntityManager,
    node: PeerOwners,
    peerIds: readonly string[] | null,
  ): Promise<SnapshotPeerRecord[]> {
    const [row] = await boundQuery<{ peers: SnapshotPeerRow[] | null }>(
      em,
      `select json_agg(json_build_array(id, name, public_key, allowed_ips, dns, mtu, persistent_keepalive,
           endpoint_allowed_ips, preshared_key_sha256, enabled and suspended_reason is null, routed_ips,
           endpoint, version, preshared_key_sealed)) as peers
       from peers where node_id = any(array[?::uuid, ?::uuid]) and (?::uuid[] is null or id = any(?::uuid[]))`,
      [node.nodeId, node.clusterId, peerIds, peerIds],
    );
    return (row?.peers ?? []).map((peer) => snapshotPeerOf(node.nodeId, peer));
  }

  /**
   * Keys the nodes (and their clusters) had managed before that no current peer of theirs has, under the id of
   * the node they are on.
   */
  async formerKeysOfNodes(
    em: EntityManager,
    nodes: readonly PeerOwners[],
  ): Promise<Array<{ node_id: string; public_key: string } & ManagedPeerRef>> {
    return boundQuery(
      em,
      `select n.id as node_id, k.public_key, k.peer_id, k.name
       from unnest(?::uuid[], ?::uuid[]) as n(id, cluster_id)
       cross join lateral (
         select * from node_managed_keys k
         where k.node_id = any(array[n.id, n.cluster_id])
           and not exists (select 1 from peers p
                            where p.node_id = any(array[n.id, n.cluster_id]) and p.public_key = k.public_key)) k`,
      [nodes.map((node) => node.nodeId), nodes.map((node) => node.clusterId)],
    );
  }

  /** How many peers the cluster has. */
  clusterPeerCount(em: EntityManager, clusterId: string): Promise<number> {
    return em.count(PeerEntity, { clusterId });
  }

  /** The keys and names of the cluster's peers: what a member leaving the cluster must drop. */
  async keysOfCluster(
    em: EntityManager,
    clusterId: string,
  ): Promise<Array<{ peerId: string; publicKey: string; name: string }>> {
    const peers = await em.find(PeerEntity, { clusterId }, { fields: ['id', 'publicKey', 'name'] });
    return peers.map((peer) => ({ peerId: peer.id, publicKey: peer.publicKey, name: peer.name }));
  }

  /** Every earlier key of the peer on its node; one already gone from the node is simply found absent. */
  async earlierKeysOfPeer(
    em: EntityManager,
    nodeId: string,
    peerId: string,
    currentKey: string,
  ): Promise<Array<{ publicKey: string; name: string }>> {
    const rows = await boundQuery<{ public_key: string; name: string }>(
      em,
      'select public_key, name from node_managed_keys where node_id = ? and peer_id = ? and public_key <> ?',
      [nodeId, peerId, currentKey],
    );
    return rows.map((key) => ({ publicKey: key.public_key, name: key.name }));
  }

  async holdings(em: EntityManager, nodeId: string): Promise<NodeHoldings> {
    const [row] = await boundQuery<{
      current: Pairs;
      former: Pairs;
      allocated: Pairs;
      range_holders: RangeHolderRow[];
    }>(
      em,
      `select
         coalesce((select json_agg(json_build_array(p.public_key, p.name)) from peers p
                    where p.node_id = ?), '[]') as current,
         coalesce((select json_agg(json_build_array(k.public_key, k.name)) from node_managed_keys k
                    where k.node_id = ?
                      and not exists (select 1 from peers p
                                       where p.node_id = k.node_id and p.public_key = k.public_key)), '[]') as former,
         coalesce((select json_agg(json_build_array(a.address, p.name)) from ip_allocations a
                    join peers p on p.id = a.peer_id where a.node_id = ?), '[]') as allocated,
         ${rangeHoldersOf('?')} as range_holders`,
      [nodeId, nodeId, nodeId, nodeId],
    );
    return {
      currentPeers: new Map(row.current),
      formerPeers: new Map(row.former),
      allocated: new Map(row.allocated),
      heldRanges: rangesOf(row.range_holders),
    };
  }
}

/** A node and the cluster it is a member of (null: none): whose peers it carries. */
export interface PeerOwners {
  nodeId: string;
  clusterId: string | null;
}

/** The advisory-lock key that serialises a node's (or a cluster's) address allocation. */
export function allocationLockKey(nodeId: string): string {
  return `alloc:${nodeId}`;
}

function rangesOf(holders: readonly RangeHolderRow[]): HeldRange[] {
  return holders.flatMap(([name, allowedIps, routedIps]) => heldRanges(name, allowedIps, routedIps));
}

function allocationsJson(rows: readonly AllocationRow[]): string {
  return JSON.stringify(
    rows.map(({ nodeId, peerId, allocation }) => ({
      node_id: nodeId,
      family: allocation.family,
      host_index: allocation.host_index,
      address: allocation.address,
      peer_id: peerId,
    })),
  );
}

function managedKeysJson(rows: readonly ManagedKeyRow[]): string {
  return JSON.stringify(
    rows.map(({ nodeId, publicKey, peerId, name }) => ({
      node_id: nodeId,
      public_key: publicKey,
      peer_id: peerId,
      name,
    })),
  );
}

/** The one place a desired peer's row is read: its elements in the order of the statements' json_build_array. */
function desiredPeerOf(
  nodeId: string,
  [
    id,
    name,
    public_key,
    allowed_ips,
    dns,
    mtu,
    persistent_keepalive,
    endpoint_allowed_ips,
    preshared_key_sha256,
    enabled,
    routed_ips,
    endpoint,
  ]: DesiredPeerRow | SnapshotPeerRow,
): DesiredPeer {
  return {
    id,
    node_id: nodeId,
    name,
    public_key,
    allowed_ips,
    routed_ips,
    endpoint,
    dns,
    mtu,
    persistent_keepalive,
    endpoint_allowed_ips,
    preshared_key_sha256,
    enabled,
  };
}

/** A snapshot row: its desired peer, then the two elements after it (read in place: a node may have 10,000s). */
function snapshotPeerOf(nodeId: string, row: SnapshotPeerRow): SnapshotPeerRecord {
  const [, , , , , , , , , , , , version, presharedKeySealed] = row;
  return { desired: desiredPeerOf(nodeId, row), version, presharedKeySealed };
}
