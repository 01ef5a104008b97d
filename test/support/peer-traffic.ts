import { EntityManager } from '@mikro-orm/postgresql';
import { boundQuery } from '../../src/database/bound-query';
import type { ObservedManagedPeer } from '../../src/modules/drift/domain/observed-peers';
import { PeerActivityStore } from '../../src/modules/lifecycle/peer-activity.store';
import type { DumpPeer } from '@wgfleet/protocol';
import type { TestPanel } from './panel';

/** Bytes a peer moved since the last scan. */
export interface PeerTraffic {
  peerId: string;
  rx: number;
  tx: number;
}

/**
 * What scans would record when these peers' counters grew by the given bytes at `at`: each node's peers go
 * through activity recording, which counts their usage, as a scan of that node would.
 */
export async function recordTraffic(
  panel: TestPanel,
  traffic: readonly PeerTraffic[],
  at: Date,
): Promise<void> {
  const em = panel.app.get(EntityManager).fork();
  const peers = await boundQuery<{
    id: string;
    node_id: string;
    public_key: string;
    last_rx: string;
    last_tx: string;
  }>(
    em,
    `select p.id, p.node_id, p.public_key, coalesce(a.last_rx, 0) as last_rx, coalesce(a.last_tx, 0) as last_tx
     from peers p left join peer_activity a on a.peer_id = p.id where p.id = any(?::uuid[])`,
    [traffic.map((peer) => peer.peerId)],
  );
  const byId = new Map(peers.map((peer) => [peer.id, peer]));
  const byNode = new Map<string, ObservedManagedPeer[]>();
  for (const { peerId, rx, tx } of traffic) {
    const peer = byId.get(peerId)!;
    const observed = toObserved(peer.public_key, Number(peer.last_rx) + rx, Number(peer.last_tx) + tx);
    byNode.set(peer.node_id, [...(byNode.get(peer.node_id) ?? []), { peerId, observed }]);
  }
  const activity = panel.app.get(PeerActivityStore);
  for (const [nodeId, observed] of byNode) await activity.record(em, nodeId, observed, at);
}

function toObserved(publicKey: string, transferRx: number, transferTx: number): DumpPeer {
  return {
    public_key: publicKey,
    preshared_key_sha256: null,
    endpoint: null,
    allowed_ips: [],
    latest_handshake: 0,
    transfer_rx: transferRx,
    transfer_tx: transferTx,
    persistent_keepalive: 0,
  };
}
