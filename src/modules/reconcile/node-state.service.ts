import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import type { Dump } from '@wgfleet/protocol';
import type { DesiredNode, DesiredPeer } from '../../common/domain/desired-state';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { detectDrift, ManagedPeerRef } from '../drift/domain/drift-detector';
import type { NodeDriftReport, PendingPeer } from '../drift/domain/drift-report';
import { NodeAgents } from '../nodes/node-agents.service';
import { toDesiredNode } from '../nodes/node-view';
import { NodeEntity } from '../nodes/node.entity';
import { NodesService } from '../nodes/nodes.service';
import { ManagedKeyEntity } from '../peers/managed-key.entity';
import { toDesiredPeer } from '../peers/peer-view';
import { PeerEntity } from '../peers/peer.entity';
import { planStateFingerprint } from './domain/reconcile-plan';

/** A node's desired state as read in one go: the input of drift detection and planning. */
export interface DesiredSnapshot {
  node: NodeEntity;
  desiredNode: DesiredNode;
  /** Enabled and disabled. */
  peers: PeerEntity[];
  peerById: Map<string, PeerEntity>;
  desiredPeers: DesiredPeer[];
  managedKeys: Map<string, ManagedPeerRef>;
}

/** Reads what a node should be (PostgreSQL) and what it is (its agent), and compares the two. */
@Injectable()
export class NodeStateReader {
  constructor(
    private readonly nodes: NodesService,
    private readonly agents: NodeAgents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async desired(em: EntityManager, nodeId: string): Promise<DesiredSnapshot> {
    const node = await this.nodes.require(em, nodeId);
    const [peers, keys] = await Promise.all([
      em.find(PeerEntity, { nodeId }, { disableIdentityMap: true }),
      em.find(ManagedKeyEntity, { nodeId }, { disableIdentityMap: true }),
    ]);
    return snapshotOf(
      node,
      peers,
      new Map(keys.map((key) => [key.publicKey, { peer_id: key.peerId, name: key.name }])),
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
    const peers =
      peerIds.length === 0
        ? []
        : await em.find(
            PeerEntity,
            { nodeId: node.id, id: { $in: [...peerIds] } },
            { disableIdentityMap: true },
          );
    return snapshotOf(node, peers, new Map());
  }

  observe(node: NodeEntity): Promise<Dump> {
    return this.agents.forNode(node).dump();
  }

  report(snapshot: DesiredSnapshot, dump: Dump, pending: readonly PendingPeer[] = []): NodeDriftReport {
    return detectDrift({
      node: snapshot.desiredNode,
      peers: snapshot.desiredPeers,
      managedKeys: snapshot.managedKeys,
      pending,
      dump,
      defaults: this.config.defaults,
      checkedAt: new Date(),
    });
  }

  fingerprint(snapshot: DesiredSnapshot, dump: Dump): string {
    return planStateFingerprint({
      desiredPeers: snapshot.desiredPeers,
      node: snapshot.desiredNode,
      defaults: this.config.defaults,
      dump,
    });
  }
}

function snapshotOf(
  node: NodeEntity,
  peers: PeerEntity[],
  managedKeys: Map<string, ManagedPeerRef>,
): DesiredSnapshot {
  return {
    node,
    desiredNode: toDesiredNode(node),
    peers,
    peerById: new Map(peers.map((peer) => [peer.id, peer])),
    desiredPeers: peers.map(toDesiredPeer),
    managedKeys,
  };
}
