import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { boundQuery } from '../../database/bound-query';
import { PUBLISHED_PEERS } from '../peers';
import type { QuotaPeriod } from '../peers/domain/peer-lifecycle';
import { currentPeriods, type CurrentPeriods } from './domain/quota-period';

/** One stored period of a peer's usage; timestamps as text (see boundQuery). */
export interface UsagePeriodRow {
  period: QuotaPeriod;
  period_start: string;
  period_end: string | null;
  rx_bytes: number;
  tx_bytes: number;
}

/** A peer's usage in its current period, with its quota (null: none). */
export interface PeerUsageOfFleet {
  peer_id: string;
  node_id: string;
  rx: number;
  tx: number;
  quota: number | null;
}

/**
 * The start and end of each peer's current period, in SQL, from the pass's calendar periods ($1..$6) and the
 * peer's own creation for a `total` quota. `p` is the peer's row of PUBLISHED_PEERS.
 */
export const PERIOD_START = `case p.quota_period when 'day' then ?::timestamptz when 'week' then ?::timestamptz
  when 'month' then ?::timestamptz else p.created_at end`;
const PERIOD_END = `case p.quota_period when 'day' then ?::timestamptz when 'week' then ?::timestamptz
  when 'month' then ?::timestamptz end`;

export function periodParams(periods: CurrentPeriods): Date[] {
  return [periods.day.start, periods.week.start, periods.month.start];
}

function periodEndParams(periods: CurrentPeriods): Date[] {
  return [periods.day.end!, periods.week.end!, periods.month.end!];
}

/**
 * The open usage period of each peer, kept on its `peer_activity` row (which a scan rewrites anyway): the period
 * its traffic last went to and its transfer totals when that period began, so the period's usage is the totals
 * now minus that baseline. Written once per peer and period, not per scan. `a` is the peer_activity row.
 */
const OPEN_RX = 'a.total_rx - a.usage_rx_base';
const OPEN_TX = 'a.total_tx - a.usage_tx_base';
/** Joins each peer `p` to its open usage period `a` when that is its current period (else: no usage yet). */
export const CURRENT_USAGE_JOIN = `peer_activity a on a.peer_id = p.id and a.usage_period = p.quota_period
  and a.usage_period_start = ${PERIOD_START}`;
/** The current period's bytes (rx + tx) of a peer joined by CURRENT_USAGE_JOIN, 0 without any. */
export const CURRENT_USAGE_BYTES = `coalesce(${OPEN_RX} + ${OPEN_TX}, 0)`;

/**
 * What a scan's upsert of activity rows (`row`, with `used`: its totals grew) needs to move each peer's usage into
 * the period holding the scan: `usage_now` names that period for the peers that used bytes; USAGE_ROLLOVER closes
 * the period a peer held before when that differs.
 */
export interface UsagePeriodLookup {
  /** A lateral join giving `usage_now.period/start/end` for used rows (no row otherwise). */
  sql: string;
  params: unknown[];
}

/**
 * CTEs for the scan's upsert, given `moved` (the rows whose traffic lands in another period than the one they
 * hold, with that one's columns and the totals before the scan as `prev_total_rx/tx`): a period left behind is stored in `peer_usage`; a period re-entered (the quota period changed there and
 * back) comes out of it again (`reopened`) and counts on from its bytes.
 */
export const USAGE_ROLLOVER = `reopened as (
    delete from peer_usage u using moved m
    where u.peer_id = m.peer_id and u.period = m.now_period and u.period_start = m.now_start
    returning u.peer_id, u.rx_bytes, u.tx_bytes),
  closed as (
    insert into peer_usage (peer_id, period, period_start, period_end, rx_bytes, tx_bytes, updated_at)
    select peer_id, usage_period, usage_period_start, usage_period_end, prev_total_rx - usage_rx_base,
      prev_total_tx - usage_tx_base, now()
    from moved where usage_period is not null
    on conflict (peer_id, period, period_start) do update set
      rx_bytes = peer_usage.rx_bytes + excluded.rx_bytes, tx_bytes = peer_usage.tx_bytes + excluded.tx_bytes,
      updated_at = excluded.updated_at)`;

/** `peer_usage`: each peer's closed usage periods; the open one is on its `peer_activity` row. */
@Injectable()
export class PeerUsageStore {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  periodsAt(at: Date): CurrentPeriods {
    return currentPeriods(at, this.config.quotaTimeZone);
  }

  /** The period holding `at` of each peer whose traffic grew in a scan (its quota period as it is now). */
  periodLookup(at: Date): UsagePeriodLookup {
    const periods = this.periodsAt(at);
    return {
      sql: `left join lateral (select p.quota_period as now_period, ${PERIOD_START} as now_start,
          ${PERIOD_END} as now_end from ${PUBLISHED_PEERS} p where p.id = row.peer_id and row.used) usage_now on true`,
      params: [...periodParams(periods), ...periodEndParams(periods)],
    };
  }

  /** Each peer's usage in its current period; peers without any are absent. */
  async current(
    em: EntityManager,
    peerIds: readonly string[],
    at: Date,
  ): Promise<Map<string, { rx: number; tx: number }>> {
    const rows = await boundQuery<{ peer_id: string; rx_bytes: string; tx_bytes: string }>(
      em,
      `select a.peer_id, ${OPEN_RX} as rx_bytes, ${OPEN_TX} as tx_bytes
       from ${PUBLISHED_PEERS} p join ${CURRENT_USAGE_JOIN}
       where p.id = any(?::uuid[])`,
      [...periodParams(this.periodsAt(at)), peerIds],
    );
    return new Map(rows.map((row) => [row.peer_id, { rx: Number(row.rx_bytes), tx: Number(row.tx_bytes) }]));
  }

  /** Usage in the current period of every peer that has some or has a quota, with the quota and its node. */
  async currentOfFleet(em: EntityManager, at: Date): Promise<PeerUsageOfFleet[]> {
    const [{ rows }] = await boundQuery<{ rows: Array<[string, string, number, number, number | null]> }>(
      em,
      `select coalesce(json_agg(json_build_array(p.id, p.node_id, coalesce(${OPEN_RX}, 0),
           coalesce(${OPEN_TX}, 0), p.quota_bytes)), '[]') as rows
       from ${PUBLISHED_PEERS} p left join ${CURRENT_USAGE_JOIN}
       where a.peer_id is not null or p.quota_bytes is not null`,
      periodParams(this.periodsAt(at)),
    );
    return rows.map(([peer_id, node_id, rx, tx, quota]) => ({ peer_id, node_id, rx, tx, quota }));
  }

  /** A peer's periods, the open one included, newest first. */
  async history(em: EntityManager, peerId: string, limit: number): Promise<UsagePeriodRow[]> {
    const rows = await boundQuery<
      Omit<UsagePeriodRow, 'rx_bytes' | 'tx_bytes'> & { rx_bytes: string; tx_bytes: string }
    >(
      em,
      `select period, period_start, period_end, rx_bytes, tx_bytes from peer_usage where peer_id = ?
       union all
       select a.usage_period, a.usage_period_start, a.usage_period_end, ${OPEN_RX}, ${OPEN_TX}
       from peer_activity a where a.peer_id = ? and a.usage_period is not null
       order by period_start desc, period limit ?`,
      [peerId, peerId, limit],
    );
    return rows.map((row) => ({ ...row, rx_bytes: Number(row.rx_bytes), tx_bytes: Number(row.tx_bytes) }));
  }

  /**
   * Drops periods that ended before `cutoff` (an open one too: a peer idle since) and the usage of peers that no
   * longer exist (PeerActivityStore forgets their activity rows).
   */
  async pruneBefore(em: EntityManager, cutoff: Date): Promise<number> {
    const [{ count }] = await boundQuery<{ count: number }>(
      em,
      `with deleted as (
         delete from peer_usage u where u.period_end < ?
           or not exists (select 1 from ${PUBLISHED_PEERS} p where p.id = u.peer_id) returning 1),
       left_open as (
         update peer_activity set usage_period = null, usage_period_start = null, usage_period_end = null
         where usage_period_end < ? returning 1)
       select (select count(*) from deleted)::int + (select count(*) from left_open)::int as count`,
      [cutoff, cutoff],
    );
    return count;
  }
}
