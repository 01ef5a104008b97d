import { QueryResult } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { boundQuery } from '../../database/bound-query';
import type { ObservedManagedPeer } from '../drift/domain/observed-peers';
import { PUBLISHED_NODES } from '../nodes';
import { PUBLISHED_PEERS } from '../peers';
import { activityChanged, nextPeerActivity, type PeerActivity } from './domain/peer-activity';
import { forgetCounters, usageDelta } from './domain/usage-counters';
import { PeerUsageStore, USAGE_ROLLOVER } from './peer-usage.store';

/** A peer's activity as the metrics show it; timestamps may arrive as text. */
export interface PeerActivityRow {
  node_id: string;
  peer_id: string;
  latest_handshake: Date | string | null;
  total_rx: string;
  total_tx: string;
}

/**
 * Keeps `peer_activity` up to date: per scan one read of the node's rows and one batched upsert of the changed.
 * The growth of the transfer totals is the peers' usage: the same upsert moves the open usage period of a peer
 * whose traffic lands in a new quota period (see PeerUsageStore), so counting usage costs no write of its own.
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
    const previous = new Map(rows.map(fromRow).map((activity) => [activity.peerId, activity]));
    const changed: Array<PeerActivity & { used: boolean }> = [];
    for (const { peerId, observed } of peers) {
      const before = previous.get(peerId) ?? null;
      if (!activityChanged(before, observed)) continue;
      const next = nextPeerActivity(before, peerId, observed);
      changed.push({ ...next, used: usageDelta(peerId, before, next) !== null });
    }
    const seen = new Set(peers.map((peer) => peer.peerId));
    for (const activity of previous.values()) {
      const forgotten = seen.has(activity.peerId) ? null : forgetCounters(activity);
      if (forgotten) changed.push({ ...forgotten, used: false });
    }
    if (changed.length === 0) return;
    const lookup = this.usage.periodLookup(at);
    // One statement for the whole node: the rows travel as one JSON parameter. A row keeps its open usage period
    // (`a`, as stored) unless its traffic lands in another period (`moved`): then that one opens, its baseline the
    // totals before this scan.
    await boundQuery(
      em,
      `with row as materialized (
         select row.*, usage_now.now_period, usage_now.now_start, usage_now.now_end
         from jsonb_to_recordset(?::jsonb) as row(peer_id uuid, node_id uuid, latest_handshake timestamptz,
           last_rx bigint, last_tx bigint, total_rx bigint, total_tx bigint, endpoint text, used boolean)
         ${lookup.sql}),
       moved as (
         select r.peer_id, r.now_period, r.now_start, r.now_end, a.usage_period, a.usage_period_start,
           a.usage_period_end, a.usage_rx_base, a.usage_tx_base, coalesce(a.total_rx, 0) as prev_total_rx,
           coalesce(a.total_tx, 0) as prev_total_tx
         from row r left join peer_activity a on a.peer_id = r.peer_id
         where r.now_period is not null
           and (a.usage_period is distinct from r.now_period or a.usage_period_start is distinct from r.now_start)),
       ${USAGE_ROLLOVER}
       insert into peer_activity (peer_id, node_id, latest_handshake, last_rx, last_tx, total_rx, total_tx, endpoint,
         updated_at, usage_period, usage_period_start, usage_period_end, usage_rx_base, usage_tx_base)
       select row.peer_id, row.node_id, row.latest_handshake, row.last_rx, row.last_tx, row.total_rx, row.total_tx,
         row.endpoint, now(), m.now_period, m.now_start, m.now_end,
         coalesce(m.prev_total_rx - coalesce(o.rx_bytes, 0), 0), coalesce(m.prev_total_tx - coalesce(o.tx_bytes, 0), 0)
       from row left join moved m on m.peer_id = row.peer_id left join reopened o on o.peer_id = row.peer_id
       on conflict (peer_id) do update set node_id = excluded.node_id, latest_handshake = excluded.latest_handshake,
         last_rx = excluded.last_rx, last_tx = excluded.last_tx, total_rx = excluded.total_rx,
         total_tx = excluded.total_tx, endpoint = excluded.endpoint, updated_at = excluded.updated_at,
         usage_period = coalesce(excluded.usage_period, peer_activity.usage_period),
         usage_period_start = case when excluded.usage_period is null then peer_activity.usage_period_start
           else excluded.usage_period_start end,
         usage_period_end = case when excluded.usage_period is null then peer_activity.usage_period_end
           else excluded.usage_period_end end,
         usage_rx_base = case when excluded.usage_period is null then peer_activity.usage_rx_base
           else excluded.usage_rx_base end,
         usage_tx_base = case when excluded.usage_period is null then peer_activity.usage_tx_base
           else excluded.usage_tx_base end`,
      [JSON.stringify(changed.map((activity) => toRow(nodeId, activity))), ...lookup.params],
    );
  }

  /** Every peer of an enabled node; one without an activity row has shown none yet: its figures read 0. */
  ofEnabledNodes(em: EntityManager): Promise<PeerActivityRow[]> {
    return em.execute<PeerActivityRow[]>(
      `select p.node_id, p.id as peer_id, a.latest_handshake,
         coalesce(a.total_rx, 0) as total_rx, coalesce(a.total_tx, 0) as total_tx
       from ${PUBLISHED_PEERS} p
       join ${PUBLISHED_NODES} n on n.id = p.node_id
       left join peer_activity a on a.peer_id = p.id
       where n.enabled`,
    );
  }

  /** Activity of peers that no longer exist. */
  async deleteOfGonePeers(em: EntityManager): Promise<number> {
    const result = await em.execute<QueryResult>(
      `delete from peer_activity a where not exists (select 1 from ${PUBLISHED_PEERS} p where p.id = a.peer_id)`,
      [],
      'run',
    );
    return result.affectedRows;
  }
}

type ActivityRow = [
  peer_id: string,
  latest_handshake_ms: number | null,
  last_rx: number,
  last_tx: number,
  total_rx: number,
  total_tx: number,
  endpoint: string | null,
];

/** The one place an activity row is read: its elements in the order of the statement's json_build_array. */
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

function toRow(nodeId: string, activity: PeerActivity & { used: boolean }) {
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
    used: activity.used,
  };
}
