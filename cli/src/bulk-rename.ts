/** A peer as a bulk rename needs it. */
export interface NamedPeer {
  id: string;
  name: string;
  public_key: string;
  version: number;
}

export interface RenamePlan<P extends NamedPeer> {
  /** Peers whose name changes, with their new name. */
  renames: { peer: P; to: string }[];
  /** Keys of the names file that are no peer of the node. */
  unknownKeys: string[];
  /** Why the renames would leave two peers of the node with one name; null when they do not. */
  clash: string | null;
}

/**
 * Which peers of one node a names file (public key → name) renames. Peer names are unique on a node, so a
 * rename that would give two peers one name is a clash and nothing is renamed.
 */
export function planRenames<P extends NamedPeer>(
  peers: readonly P[],
  names: Readonly<Record<string, string>>,
): RenamePlan<P> {
  const byKey = new Map(peers.map((peer) => [peer.public_key, peer]));
  const renames = Object.entries(names).flatMap(([key, to]) => {
    const peer = byKey.get(key);
    return peer && peer.name !== to ? [{ peer, to }] : [];
  });
  const unknownKeys = Object.keys(names).filter((key) => !byKey.has(key));
  const finalName = new Map(peers.map((peer) => [peer.id, peer.name]));
  renames.forEach(({ peer, to }) => finalName.set(peer.id, to));
  const holder = new Map<string, string>();
  let clash: string | null = null;
  for (const peer of peers) {
    const name = finalName.get(peer.id) ?? peer.name;
    const other = holder.get(name);
    if (other !== undefined && clash === null) {
      clash = `two peers would be named ${name}: ${other} and ${peer.public_key}`;
    }
    holder.set(name, peer.public_key);
  }
  return { renames, unknownKeys, clash };
}
