import type { DumpPeer } from '@wgfleet/protocol';

/** A transfer counter as last seen on the interface, and everything it has counted across resets. */
export interface TransferCounter {
  last: number;
  total: number;
}

/**
 * Folds a newly read interface counter into the running total. A counter below the last one seen means the
 * interface was reset (restart, peer re-added) and counts from zero again: all of it is new traffic.
 */
export function accumulateTransfer(previous: TransferCounter | null, current: number): TransferCounter {
  if (!previous) return { last: current, total: current };
  const added = current >= previous.last ? current - previous.last : current;
  return { last: current, total: previous.total + added };
}

/** A managed peer's activity as last recorded (flat: a fleet scan holds one per peer). */
export interface PeerActivity {
  peerId: string;
  /** Unix milliseconds; null = never. */
  latestHandshakeMs: number | null;
  lastRx: number;
  lastTx: number;
  totalRx: number;
  totalTx: number;
  endpoint: string | null;
}

function handshakeMs(observed: DumpPeer): number | null {
  return observed.latest_handshake > 0 ? observed.latest_handshake * 1000 : null;
}

/** A managed peer's activity after one more look at the node's dump. */
export function nextPeerActivity(
  previous: PeerActivity | null,
  peerId: string,
  observed: DumpPeer,
): PeerActivity {
  const rx = accumulateTransfer(
    previous && { last: previous.lastRx, total: previous.totalRx },
    observed.transfer_rx,
  );
  const tx = accumulateTransfer(
    previous && { last: previous.lastTx, total: previous.totalTx },
    observed.transfer_tx,
  );
  return {
    peerId,
    latestHandshakeMs: handshakeMs(observed),
    lastRx: rx.last,
    lastTx: tx.last,
    totalRx: rx.total,
    totalTx: tx.total,
    endpoint: observed.endpoint,
  };
}

/**
 * Whether the node reports anything new about the peer: idle peers cost no write. A peer that has never
 * shown activity needs no row at all (no row reads as no handshake, no traffic, no endpoint), so the first
 * scan of a large fleet of idle peers writes nothing.
 */
export function activityChanged(previous: PeerActivity | null, observed: DumpPeer): boolean {
  if (!previous) {
    return (
      observed.latest_handshake > 0 ||
      observed.transfer_rx > 0 ||
      observed.transfer_tx > 0 ||
      observed.endpoint !== null
    );
  }
  return (
    previous.latestHandshakeMs !== handshakeMs(observed) ||
    previous.lastRx !== observed.transfer_rx ||
    previous.lastTx !== observed.transfer_tx ||
    previous.endpoint !== observed.endpoint
  );
}
