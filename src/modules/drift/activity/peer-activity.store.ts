import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { DumpPeer } from '@wgfleet/protocol';
import { boundQuery } from '../../../database/bound-query';
import { forgetCounters, usageDelta } from '../../lifecycle/domain/usage-counters';
import { PeerUsageStore, USAGE_ROLLOVER } from '../../lifecycle/peer-usage.store';
import { activityChanged, nextPeerActivity, type PeerActivity } from './peer-activity';

/** A managed peer as the node reported it in a scan. */
export interface ObservedManagedPeer {
  peerId: string;
  observed: DumpPeer;
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
         last_rx, last_tx, total_rx, total_tx, endpoint, usage_period, usage_period_start, usage_period_end,
         usage_rx_base, usage_tx_base)), '[]') as rows
       from peer_activity where node_id = ?`,
      [nodeId],
    );
    if (peers.length === 0 && rows.length === 0) return;
    const previous = new Map(rows.map((row) => [row[0], row]));
    const changed: ActivityWrite[] = [];
    for (const { peerId, observed } of peers) {
      const row = previous.get(peerId);
      const before = row ? fromRow(row) : null;
      if (!activityChanged(before, observed)) continue;
      const next = nextPeerActivity(before, peerId, observed);
      changed.push({ next, before, used: usageDelta(peerId, before, next) !== null });
    }
    const seen = new Set(peers.map((peer) => peer.peerId));
    for (const row of rows) {
      const before = fromRow(row);
      const forgotten = seen.has(row[0]) ? null : forgetCounters(before);
      if (forgotten) changed.push({ next: forgotten, before, used: false });
    }
    if (changed.length === 0) return;
    const lookup = this.usage.periodLookup(at);
    // One statement for the whole node: the rows travel as one JSON parameter. Usage carries over as read,
    // except where traffic lands in a period other than the one the row holds (`moved`).
    await boundQuery(
      em,
      `with row as materialized (
         select row.*, usage_now.now_period, usage_now.now_start, usage_now.now_end
         from jsonb_to_recordset(?::jsonb) as row(peer_id uuid, node_id uuid, latest_handshake timestamptz,
           last_rx bigint, last_tx bigint, total_rx bigint, total_tx bigint, endpoint text, used boolean,
           prev_total_rx bigint, prev_total_tx bigint, usage_period text, usage_period_start timestamptz,
           usage_period_end timestamptz, usage_rx_base bigint, usage_tx_base bigint)
         ${lookup.sql}),
       moved as (
         select * from row where now_period is not null
           and (usage_period is distinct from now_period or usage_period_start is distinct from now_start)),
       ${USAGE_ROLLOVER}
       insert into peer_activity (peer_id, node_id, latest_handshake, last_rx, last_tx, total_rx, total_tx, endpoint,
         updated_at, usage_period, usage_period_start, usage_period_end, usage_rx_base, usage_tx_base)
       select row.peer_id, row.node_id, row.latest_handshake, row.last_rx, row.last_tx, row.total_rx, row.total_tx,
         row.endpoint, now(), coalesce(m.now_period, row.usage_period),
         case when m.peer_id is null then row.usage_period_start else m.now_start end,
         case when m.peer_id is null then row.usage_period_end else m.now_end end,
         case when m.peer_id is null then row.usage_rx_base else m.prev_total_rx - coalesce(o.rx_bytes, 0) end,
         case when m.peer_id is null then row.usage_tx_base else m.prev_total_tx - coalesce(o.tx_bytes, 0) end
       from row left join moved m on m.peer_id = row.peer_id left join reopened o on o.peer_id = row.peer_id
       on conflict (peer_id) do update set node_id = excluded.node_id, latest_handshake = excluded.latest_handshake,
         last_rx = excluded.last_rx, last_tx = excluded.last_tx, total_rx = excluded.total_rx,
         total_tx = excluded.total_tx, endpoint = excluded.endpoint, updated_at = excluded.updated_at,
         usage_period = excluded.usage_period, usage_period_start = excluded.usage_period_start,
         usage_period_end = excluded.usage_period_end, usage_rx_base = excluded.usage_rx_base,
         usage_tx_base = excluded.usage_tx_base`,
      [JSON.stringify(changed.map((write) => toRow(nodeId, write))), ...lookup.params],
    );
  }
}

/** A changed activity row, the row it replaces (null: none yet), and whether its transfer totals grew. */
interface ActivityWrite {
  next: PeerActivity;
  before: ActivityRecord | null;
  used: boolean;
}

/** An activity row as read: the activity and the peer's open usage period (see PeerUsageStore). */
interface ActivityRecord extends PeerActivity {
  usage: OpenUsagePeriod | null;
}

interface OpenUsagePeriod {
  period: string;
  /** Timestamps as stored text, passed back unchanged. */
  start: string;
  end: string | null;
  rxBase: number;
  txBase: number;
}

/**
 * [peer_id, latest handshake (unix ms) or null, last_rx, last_tx, total_rx, total_tx, endpoint, usage period,
 * its start, its end, rx baseline, tx baseline] (the usage fields null without an open period).
 */
type ActivityRow = [
  string,
  number | null,
  number,
  number,
  number,
  number,
  string | null,
  string | null,
  string | null,
  string | null,
  number,
  number,
];

function fromRow([
  peerId,
  latestHandshakeMs,
  lastRx,
  lastTx,
  totalRx,
  totalTx,
  endpoint,
  period,
  start,
  end,
  rxBase,
  txBase,
]: ActivityRow): ActivityRecord {
  const usage = period === null || start === null ? null : { period, start, end, rxBase, txBase };
  return { peerId, latestHandshakeMs, lastRx, lastTx, totalRx, totalTx, endpoint, usage };
}

function toRow(nodeId: string, { next: activity, before, used }: ActivityWrite) {
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
    used,
    prev_total_rx: before?.totalRx ?? 0,
    prev_total_tx: before?.totalTx ?? 0,
    usage_period: before?.usage?.period ?? null,
    usage_period_start: before?.usage?.start ?? null,
    usage_period_end: before?.usage?.end ?? null,
    usage_rx_base: before?.usage?.rxBase ?? 0,
    usage_tx_base: before?.usage?.txBase ?? 0,
  };
}
