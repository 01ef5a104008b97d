import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { boundQuery } from '../../database/bound-query';
import type { SuspendedReason } from '../peers';
import type { EnforcementPolicy } from './domain/enforcement';
import type { CurrentPeriods, QuotaPeriod } from './domain/quota-period';
import { PERIOD_START, periodParams } from './peer-usage.store';

/** A peer the enforcement pass looks at, with its usage in the current period and what it was warned of. */
export interface LifecycleRow {
  id: string;
  nodeId: string;
  nodeName: string;
  name: string;
  version: number;
  suspendedReason: SuspendedReason | null;
  expiresAtMs: number | null;
  quotaBytes: number | null;
  quotaPeriod: QuotaPeriod;
  periodStartMs: number;
  usedBytes: number;
  expiryWarnedForMs: number | null;
  quotaWarnedPeriodStartMs: number | null;
}

type RawRow = [
  string,
  string,
  string,
  string,
  number,
  SuspendedReason | null,
  number | null,
  number | null,
  QuotaPeriod,
  number,
  number,
  number | null,
  number | null,
];

const epochMs = (column: string) => `(extract(epoch from ${column}) * 1000)::bigint`;

/** The SQL of peer enforcement: which peers to look at, their row lock, and warning memory. */
@Injectable()
export class PeerLifecycleStore {
  /**
   * The peers a pass may have to change or warn (a superset of what `decideLifecycle` acts on): suspended,
   * expiring within the warning lead time, or at the warning share of their quota. One JSON document: a
   * pass decodes one value, not a row per peer, and a quiet fleet sends next to nothing.
   */
  async candidates(
    em: EntityManager,
    periods: CurrentPeriods,
    now: Date,
    policy: EnforcementPolicy,
  ): Promise<LifecycleRow[]> {
    const [{ rows }] = await boundQuery<{ rows: RawRow[] }>(
      em,
      `select coalesce(json_agg(json_build_array(p.id, p.node_id, n.name, p.name, p.version, p.suspended_reason,
           ${epochMs('p.expires_at')}, p.quota_bytes, p.quota_period, ${epochMs(PERIOD_START)},
           coalesce(u.rx_bytes + u.tx_bytes, 0), ${epochMs('a.expiry_warned_for')},
           ${epochMs('a.quota_warned_period_start')})), '[]') as rows
       from peers p
       join nodes n on n.id = p.node_id
       left join peer_usage u on u.peer_id = p.id and u.period = p.quota_period and u.period_start = ${PERIOD_START}
       left join peer_alert_state a on a.peer_id = p.id
       where (p.expires_at is not null or p.quota_bytes is not null or p.suspended_reason is not null)
         and (p.suspended_reason is not null
           or p.expires_at <= ?::timestamptz
           or coalesce(u.rx_bytes + u.tx_bytes, 0) >= p.quota_bytes * ?::float8)`,
      [
        ...periodParams(periods),
        ...periodParams(periods),
        new Date(now.getTime() + policy.expiryWarningMs),
        policy.quotaWarningRatio,
      ],
    );
    return rows.map(
      ([
        id,
        nodeId,
        nodeName,
        name,
        version,
        suspendedReason,
        expiresAtMs,
        quotaBytes,
        quotaPeriod,
        periodStartMs,
        usedBytes,
        expiryWarnedForMs,
        quotaWarnedPeriodStartMs,
      ]) => ({
        id,
        nodeId,
        nodeName,
        name,
        version,
        suspendedReason,
        expiresAtMs,
        quotaBytes,
        quotaPeriod,
        periodStartMs,
        usedBytes,
        expiryWarnedForMs,
        quotaWarnedPeriodStartMs,
      }),
    );
  }

  /** Locks the peer's row for the transaction; its version, or null when it is gone. */
  async lockedVersion(em: EntityManager, peerId: string): Promise<number | null> {
    const [row] = await boundQuery<{ version: number }>(
      em,
      'select version from peers where id = ? for update',
      [peerId],
    );
    return row?.version ?? null;
  }

  /** Remembers a warning sent, so it goes once per expiry and once per quota period; null keeps the old. */
  async rememberWarnings(
    em: EntityManager,
    peerId: string,
    expiryWarnedFor: Date | null,
    quotaWarnedPeriodStart: Date | null,
  ): Promise<void> {
    await boundQuery(
      em,
      `insert into peer_alert_state (peer_id, expiry_warned_for, quota_warned_period_start) values (?, ?, ?)
       on conflict (peer_id) do update set
         expiry_warned_for = coalesce(excluded.expiry_warned_for, peer_alert_state.expiry_warned_for),
         quota_warned_period_start =
           coalesce(excluded.quota_warned_period_start, peer_alert_state.quota_warned_period_start)`,
      [peerId, expiryWarnedFor, quotaWarnedPeriodStart],
    );
  }

  /** How many peers are suspended, by reason (reasons with none are absent). */
  async suspendedCounts(em: EntityManager): Promise<Array<{ reason: SuspendedReason; count: number }>> {
    return boundQuery(
      em,
      `select suspended_reason as reason, count(*)::int as count from peers
       where suspended_reason is not null group by suspended_reason`,
    );
  }
}
