import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { boundQuery } from '../../database/bound-query';
import { currentPeriods, type CurrentPeriods, type QuotaPeriod } from './domain/quota-period';
import type { UsageDelta } from './domain/usage-counters';

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
 * peer's own creation for a `total` quota. `p` is the peers row.
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

/** `peer_usage`: bytes per peer and quota period, counted by scans. */
@Injectable()
export class PeerUsageStore {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  periodsAt(at: Date): CurrentPeriods {
    return currentPeriods(at, this.config.quotaTimeZone);
  }

  /** Adds a scan's deltas to each peer's period holding `at` (its quota period as it is now). */
  async add(em: EntityManager, deltas: readonly UsageDelta[], at: Date): Promise<void> {
    const periods = this.periodsAt(at);
    await boundQuery(
      em,
      `insert into peer_usage (peer_id, period, period_start, period_end, rx_bytes, tx_bytes, updated_at)
       select p.id, p.quota_period, ${PERIOD_START}, ${PERIOD_END}, d.rx, d.tx, ?::timestamptz
       from jsonb_to_recordset(?::jsonb) as d(peer_id uuid, rx bigint, tx bigint)
       join peers p on p.id = d.peer_id
       on conflict (peer_id, period, period_start) do update set
         rx_bytes = peer_usage.rx_bytes + excluded.rx_bytes, tx_bytes = peer_usage.tx_bytes + excluded.tx_bytes,
         updated_at = excluded.updated_at`,
      [
        ...periodParams(periods),
        ...periodEndParams(periods),
        at,
        JSON.stringify(deltas.map(({ peerId, rx, tx }) => ({ peer_id: peerId, rx, tx }))),
      ],
    );
  }

  /** Each peer's usage in its current period; peers without any are absent. */
  async current(
    em: EntityManager,
    peerIds: readonly string[],
    at: Date,
  ): Promise<Map<string, { rx: number; tx: number }>> {
    const rows = await boundQuery<{ peer_id: string; rx_bytes: string; tx_bytes: string }>(
      em,
      `select u.peer_id, u.rx_bytes, u.tx_bytes
       from peers p join peer_usage u
         on u.peer_id = p.id and u.period = p.quota_period and u.period_start = ${PERIOD_START}
       where p.id = any(?::uuid[])`,
      [...periodParams(this.periodsAt(at)), peerIds],
    );
    return new Map(rows.map((row) => [row.peer_id, { rx: Number(row.rx_bytes), tx: Number(row.tx_bytes) }]));
  }

  /** Usage in the current period of every peer that has some or has a quota, with the quota and its node. */
  async currentOfFleet(em: EntityManager, at: Date): Promise<PeerUsageOfFleet[]> {
    const [{ rows }] = await boundQuery<{ rows: Array<[string, string, number, number, number | null]> }>(
      em,
      `select coalesce(json_agg(json_build_array(p.id, p.node_id, coalesce(u.rx_bytes, 0), coalesce(u.tx_bytes, 0),
           p.quota_bytes)), '[]') as rows
       from peers p left join peer_usage u
         on u.peer_id = p.id and u.period = p.quota_period and u.period_start = ${PERIOD_START}
       where u.peer_id is not null or p.quota_bytes is not null`,
      periodParams(this.periodsAt(at)),
    );
    return rows.map(([peer_id, node_id, rx, tx, quota]) => ({ peer_id, node_id, rx, tx, quota }));
  }

  /** A peer's stored periods, newest first. */
  async history(em: EntityManager, peerId: string, limit: number): Promise<UsagePeriodRow[]> {
    const rows = await boundQuery<
      Omit<UsagePeriodRow, 'rx_bytes' | 'tx_bytes'> & { rx_bytes: string; tx_bytes: string }
    >(
      em,
      `select period, period_start, period_end, rx_bytes, tx_bytes from peer_usage
       where peer_id = ? order by period_start desc, period limit ?`,
      [peerId, limit],
    );
    return rows.map((row) => ({ ...row, rx_bytes: Number(row.rx_bytes), tx_bytes: Number(row.tx_bytes) }));
  }

  /** Drops periods that ended before `cutoff` and the usage of peers that no longer exist. */
  async pruneBefore(em: EntityManager, cutoff: Date): Promise<number> {
    const [{ count }] = await boundQuery<{ count: number }>(
      em,
      `with deleted as (
         delete from peer_usage u where u.period_end < ?
           or not exists (select 1 from peers p where p.id = u.peer_id) returning 1)
       select count(*)::int as count from deleted`,
      [cutoff],
    );
    return count;
  }
}
