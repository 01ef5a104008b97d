import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { boundQuery } from '../../database/bound-query';
import type { DesiredPeer } from '../../common/domain/desired-state';
import type { ManagedPeerRef } from './domain/drift-detector';
import type { PendingPeer } from './domain/drift-report';
import { PendingPeers } from './pending-peers';

/** What drift detection needs to know about one node besides the node itself and its dump. */
export interface NodeDesiredState {
  peers: DesiredPeer[];
  /** Keys the panel managed on the node before; current peers' keys are left out (the peers say it all). */
  managedKeys: Map<string, ManagedPeerRef>;
  pending: PendingPeer[];
}

type PeerRow = [
  id: string,
  name: string,
  public_key: string,
  allowed_ips: string[],
  dns: string[] | null,
  mtu: number | null,
  persistent_keepalive: number | null,
  endpoint_allowed_ips: string[] | null,
  preshared_key_sha256: string | null,
  /** Whether the peer belongs on its node: enabled and not suspended. */
  enabled: boolean,
];

function toDesiredPeer(
  nodeId: string,
  [
    id,
    name,
    publicKey,
    allowedIps,
    dns,
    mtu,
    keepalive,
    endpointAllowedIps,
    presharedKeySha256,
    enabled,
  ]: PeerRow,
): DesiredPeer {
  return {
    id,
    node_id: nodeId,
    name,
    public_key: publicKey,
    allowed_ips: allowedIps,
    dns,
    mtu,
    persistent_keepalive: keepalive,
    endpoint_allowed_ips: endpointAllowedIps,
    preshared_key_sha256: presharedKeySha256,
    enabled,
  };
}

/**
 * Reads the desired state of many nodes at once: one query for all their peers, one for the keys they
 * managed before, one for what is pending, whatever the number of nodes. A fleet scan reads every peer of
 * the fleet, so they come back as plain JSON values, not as entities.
 */
@Injectable()
export class DesiredStateReader {
  constructor(private readonly pending: PendingPeers) {}

  async load(em: EntityManager, nodeIds: readonly string[]): Promise<Map<string, NodeDesiredState>> {
    const states = new Map<string, NodeDesiredState>(
      nodeIds.map((id) => [id, { peers: [], managedKeys: new Map(), pending: [] }]),
    );
    if (nodeIds.length === 0) return states;
    // Per node through its index (no big sort or hash), each node's peers as one compact JSON array.
    const [peersByNode, formerKeys, pending] = await Promise.all([
      boundQuery<{ node_id: string; peers: PeerRow[] | null }>(
        em,
        `select n.id as node_id,
           (select json_agg(json_build_array(id, name, public_key, allowed_ips, dns, mtu, persistent_keepalive,
                    endpoint_allowed_ips, preshared_key_sha256, enabled and suspended_reason is null))
            from peers p where p.node_id = n.id) as peers
         from unnest(?::uuid[]) as n(id)`,
        [nodeIds],
      ),
      boundQuery<{ node_id: string; public_key: string; peer_id: string; name: string }>(
        em,
        `select k.node_id, k.public_key, k.peer_id, k.name
         from unnest(?::uuid[]) as n(id)
         cross join lateral (
           select * from node_managed_keys k
           where k.node_id = n.id
             and not exists (select 1 from peers p where p.node_id = n.id and p.public_key = k.public_key)) k`,
        [nodeIds],
      ),
      this.pending.pendingFor(em, nodeIds),
    ]);
    for (const { node_id, peers } of peersByNode) {
      const state = states.get(node_id);
      if (state && peers) state.peers = peers.map((row) => toDesiredPeer(node_id, row));
    }
    for (const key of formerKeys) {
      states.get(key.node_id)?.managedKeys.set(key.public_key, { peer_id: key.peer_id, name: key.name });
    }
    for (const [nodeId, peersOfNode] of pending) {
      const state = states.get(nodeId);
      if (state) state.pending = peersOfNode;
    }
    return states;
  }
}
