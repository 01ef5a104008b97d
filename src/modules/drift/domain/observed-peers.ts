import type { DumpPeer } from '@wgfleet/protocol';

/** A managed peer as the node reported it in a scan. */
export interface ObservedManagedPeer {
  peerId: string;
  observed: DumpPeer;
}

/** The node's view of each current peer of the panel (enabled or not) that it has: what activity records. */
export function observedManagedPeers(
  peers: readonly { id: string; public_key: string }[],
  dumpPeers: readonly DumpPeer[],
): ObservedManagedPeer[] {
  const peerIdByKey = new Map(peers.map((peer) => [peer.public_key, peer.id]));
  return dumpPeers.flatMap((observed) => {
    const peerId = peerIdByKey.get(observed.public_key);
    return peerId ? [{ peerId, observed }] : [];
  });
}
