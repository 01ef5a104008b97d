import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { DumpPeer } from '@wgfleet/protocol';
import { boundQuery } from '../../../database/bound-query';
import { forgetCounters, usageDelta, type UsageDelta } from '../../lifecycle/domain/usage-counters';
import { PeerUsageStore } from '../../lifecycle';
import { activityChanged, nextPeerActivity, type PeerActivity } from './peer-activity';

/** A managed peer as the node reported it in a scan. */
export interface ObservedManagedPeer {
  peerId: string;
  observed: DumpPeer;
}

/**
 * Keeps `peer_activity` up to date: per scan one read of the node's rows and one batched upsert of the changed.
 * The growth of the transfer totals is the peers' usage, added to their current quota periods.
 */
@Injectable()
export class PeerActivityStore {
  constructor(private readonly usage: PeerUsageStore) {}

  async record(
    em: EntityManager,
    nodeId: string,
    peers: readonly ObservedManagedPeer[],
    at: Date,
  ): Promise<void> {
    // The node's rows as one JSON document: parsed natively, far cheaper than decoding 1,000s of rows.
    const [{ rows }] = await boundQuery<{ rows: ActivityRow[] }>(
      em,
      `select coalesce(json_agg(json_build_array(peer_id, (extract(epoch from latest_handshake) * 1000)::bigint,
         last_rx, last_tx, total_rx, total_tx, endpoint)), '[]') as rows
       from peer_activity where node_id = ?`,
      [nodeId],
    );
    if (peers.length === 0 && rows.length === 0) return;
    const previous = new Map(rows.map((row) => [row[0], row]));
    const changed: PeerActivity[] = [];
    const used: UsageDelta[] = [];
    for (const { peerId, observed } of peers) {
      const row = previous.get(peerId);
      const before = row ? fromRow(row) : null;
      if (!activityChanged(before, observed)) continue;
      const next = nextPeerActivity(before, peerId, observed);
      changed.push(next);
      const delta = usageDelta(peerId, before, next);
      if (delta) used.push(delta);
    }
    const seen = new Set(peers.map((peer) => peer.peerId));
    for (const row of rows) {
      const forgotten = seen.has(row[0]) ? null : forgetCounters(fromRow(row));
      if (forgotten) changed.push(forgotten);
    }
    if (used.length > 0) await this.usage.add(em, used, at);
    if (changed.length === 0) return;
    // One statement for the whole node: the rows travel as one JSON parameter.
    await boundQuery(
      em,
      `insert into peer_activity (peer_id, node_id, latest_handshake, last_rx, last_tx, total_rx, total_tx, endpoint, updated_at)
       select peer_id, node_id, latest_handshake, last_rx, last_tx, total_rx, total_tx, endpoint, now()
       from jsonb_to_recordset(?::jsonb) as row(peer_id uuid, node_id uuid, latest_handshake timestamptz,
         last_rx bigint, last_tx bigint, total_rx bigint, total_tx bigint, endpoint text)
       on conflict (peer_id) do update set node_id = excluded.node_id, latest_handshake = excluded.latest_handshake,
         last_rx = excluded.last_rx, last_tx = excluded.last_tx, total_rx = excluded.total_rx,
         total_tx = excluded.total_tx, endpoint = excluded.endpoint, updated_at = excluded.updated_at`,
      [JSON.stringify(changed.map((activity) => toRow(nodeId, activity)))],
    );
  }
}

/** [peer_id, latest handshake (unix ms) or null, last_rx, last_tx, total_rx, total_tx, endpoint]. */
type ActivityRow = [string, number | null, number, number, number, number, string | null];

function fromRow([
  peerId,
  latestHandshakeMs,
  lastRx,
  lastTx,
  totalRx,
  totalTx,
  endpoint,
]: ActivityRow): PeerActivity {
  return { peerId, latestHandshakeMs, lastRx, lastTx, totalRx, totalTx, endpoint };
}

function toRow(nodeId: string, activity: PeerActivity) {
  return {
    peer_id: activity.peerId,
    node_id: nodeId,
    latest_handshake:
      activity.latestHandshakeMs === null ? null : new Date(activity.latestHandshakeMs).toISOString(),
    last_rx: activity.lastRx,
    last_tx: activity.lastTx,
    total_rx: activity.totalRx,
    total_tx: activity.totalTx,
    endpoint: activity.endpoint,
  };
}
