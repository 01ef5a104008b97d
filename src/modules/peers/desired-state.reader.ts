import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { DesiredNode, DesiredPeer, ManagedPeerRef } from '../../common/domain/desired-state';
import { ClusterReader } from '../clusters';
import { NodeEntity, NodesService, toDesiredNode } from '../nodes';
import { NodeHoldings, PeerOwners, PeersStore, SnapshotPeerRecord } from './peers.store';

/** The peers of one node as drift detection needs them, read in bulk. */
export interface NodePeersState {
  peers: DesiredPeer[];
  /** Keys the panel managed on the node before; current peers' keys are left out (the peers say it all). */
  managedKeys: Map<string, ManagedPeerRef>;
}

/** What writing a peer to its node needs beyond its desired state. */
export interface SnapshotPeer {
  id: string;
  publicKey: string;
  version: number;
  presharedKeySealed: string | null;
}

/** A node's desired state as read in one go: the input of planning and repair. */
export interface DesiredSnapshot {
  node: NodeEntity;
  desiredNode: DesiredNode;
  /** Enabled and disabled. */
  peers: SnapshotPeer[];
  peerById: Map<string, SnapshotPeer>;
  desiredPeers: DesiredPeer[];
  /** Keys the panel managed on the node before; current peers' keys are left out, as in NodePeersState. */
  managedKeys: Map<string, ManagedPeerRef>;
}

/**
 * The one reader of a node's desired state (its peers and its cluster's, the keys it managed before, the
 * addresses they hold),
 * for drift, sync, reconcile and adoption: in bulk for many nodes, or for one node with what writing its peers needs. Always
 * as plain values: a node may have tens of thousands of peers, and hydrating entities costs far more per row
 * than parsing one JSON value, all of it without yielding the event loop.
 */
@Injectable()
export class DesiredStateReader {
  constructor(
    private readonly nodes: NodesService,
    private readonly store: PeersStore,
    private readonly clusters: ClusterReader,
  ) {}

  /**
   * Many nodes at once: one query for all their peers and one for the keys they managed before, whatever the
   * number of nodes. A fleet scan reads every peer of the fleet, so they come back as plain values.
   */
  async load(em: EntityManager, nodeIds: readonly string[]): Promise<Map<string, NodePeersState>> {
    const states = new Map<string, NodePeersState>(
      nodeIds.map((id) => [id, { peers: [], managedKeys: new Map() }]),
    );
    if (nodeIds.length === 0) return states;
    const clusterOf = await this.clusters.clusterIdsOfNodes(em, nodeIds);
    const owners = nodeIds.map((nodeId) => ({ nodeId, clusterId: clusterOf.get(nodeId) ?? null }));
    const [peersByNode, formerKeys] = await Promise.all([
      this.store.desiredPeersOfNodes(em, owners),
      this.store.formerKeysOfNodes(em, owners),
    ]);
    for (const { node_id, peers } of peersByNode) {
      const state = states.get(node_id);
      if (state) state.peers = peers;
    }
    for (const key of formerKeys) {
      states.get(key.node_id)?.managedKeys.set(key.public_key, { peer_id: key.peer_id, name: key.name });
    }
    return states;
  }

  /** One node with every peer and managed key: the basis of drift detection and of a write of the whole node. */
  async desired(em: EntityManager, nodeId: string): Promise<DesiredSnapshot> {
    const node = await this.nodes.require(em, nodeId);
    const owners = await this.ownersOf(em, nodeId);
    const [rows, formerKeys] = await Promise.all([
      this.store.snapshotPeersOfNode(em, owners, null),
      this.store.formerKeysOfNodes(em, [owners]),
    ]);
    return snapshotOf(
      node,
      rows,
      new Map(formerKeys.map((key) => [key.public_key, { peer_id: key.peer_id, name: key.name }])),
    );
  }

  /**
   * Only the given peers of `node` (those still there), without managed keys: enough to set changed peers
   * blind, and O(changes) rather than O(peers) on a big node. Never a basis for drift detection or for a
   * write of the whole interface, which need every peer.
   */
  async desiredPeers(
    em: EntityManager,
    node: NodeEntity,
    peerIds: readonly string[],
  ): Promise<DesiredSnapshot> {
    const rows =
      peerIds.length === 0
        ? []
        : await this.store.snapshotPeersOfNode(em, await this.ownersOf(em, node.id), peerIds);
    return snapshotOf(node, rows, new Map());
  }

  /** The keys of a cluster's peers, each with its peer: what a member leaving the cluster must drop. */
  keysOfCluster(
    em: EntityManager,
    clusterId: string,
  ): Promise<Array<{ peerId: string; publicKey: string; name: string }>> {
    return this.store.keysOfCluster(em, clusterId);
  }

  /** What a node holds already, so that adopting its peers collides with none of it. */
  holdings(em: EntityManager, nodeId: string): Promise<NodeHoldings> {
    return this.store.holdings(em, nodeId);
  }

  private async ownersOf(em: EntityManager, nodeId: string): Promise<PeerOwners> {
    return { nodeId, clusterId: await this.clusters.clusterIdOfNode(em, nodeId) };
  }

  /**
   * The keys a peer had before `currentKey` (`nodeId`: its node, or a cluster peer's cluster): after a key
   * change, they must leave the node (every member).
   */
  earlierKeysOfPeer(
    em: EntityManager,
    nodeId: string,
    peerId: string,
    currentKey: string,
  ): Promise<Array<{ publicKey: string; name: string }>> {
    return this.store.earlierKeysOfPeer(em, nodeId, peerId, currentKey);
  }
}

function snapshotOf(
  node: NodeEntity,
  records: readonly SnapshotPeerRecord[],
  managedKeys: Map<string, ManagedPeerRef>,
): DesiredSnapshot {
  const peers: SnapshotPeer[] = [];
  const desiredPeers: DesiredPeer[] = [];
  for (const { desired, version, presharedKeySealed } of records) {
    desiredPeers.push(desired);
    peers.push({ id: desired.id, publicKey: desired.public_key, version, presharedKeySealed });
  }
  return {
    node,
    desiredNode: toDesiredNode(node),
    peers,
    peerById: new Map(peers.map((peer) => [peer.id, peer])),
    desiredPeers,
    managedKeys,
  };
}
