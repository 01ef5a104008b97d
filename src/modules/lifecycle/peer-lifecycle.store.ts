import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { boundQuery } from '../../database/bound-query';
import { PUBLISHED_CLUSTERS } from '../clusters';
import { PUBLISHED_NODES } from '../nodes';
import { PUBLISHED_PEERS, type SuspendedReason } from '../peers';
import type { EnforcementPolicy } from './domain/enforcement';
import type { QuotaPeriod } from '../peers/domain/peer-lifecycle';
import type { CurrentPeriods } from './domain/quota-period';
import { CURRENT_USAGE_BYTES, CURRENT_USAGE_JOIN, PERIOD_START, periodParams } from './peer-usage.store';

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

/** A candidate in the order of CANDIDATES' json_build_array; decodeRows is the one place it is read. */
type RawRow = [
  id: string,
  node_id: string,
  node_name: string,
  name: string,
  version: number,
  suspended_reason: SuspendedReason | null,
  expires_at_ms: number | null,
  quota_bytes: number | null,
  quota_period: QuotaPeriod,
  period_start_ms: number,
  used_bytes: number,
  expiry_warned_for_ms: number | null,
  quota_warned_period_start_ms: number | null,
];

const epochMs = (column: string) => `(extract(epoch from ${column}) * 1000)::bigint`;

/** The warnings one pass sent a peer: the expiry and the quota period they were for (null: none sent). */
export interface SentWarnings {
  peerId: string;
  expiryWarnedFor: Date | null;
  quotaWarnedPeriodStart: Date | null;
}

/** A cluster peer's owner is its cluster (PeerState.node_id): named after it, and told to every member. */
const CANDIDATES = `select coalesce(json_agg(json_build_array(p.id, p.node_id, n.name, p.name, p.version,
    p.suspended_reason, ${epochMs('p.expires_at')}, p.quota_bytes, p.quota_period, ${epochMs(PERIOD_START)},
    ${CURRENT_USAGE_BYTES}, ${epochMs('w.expiry_warned_for')},
    ${epochMs('w.quota_warned_period_start')})), '[]') as rows
  from ${PUBLISHED_PEERS} p
  join (select id, name from ${PUBLISHED_NODES} union all select id, name from ${PUBLISHED_CLUSTERS}) n
    on n.id = p.node_id
  left join ${CURRENT_USAGE_JOIN}
  left join peer_alert_state w on w.peer_id = p.id
  where (p.expires_at is not null or p.quota_bytes is not null or p.suspended_reason is not null)
    and (p.suspended_reason is not null
      or p.expires_at <= ?::timestamptz
      or ${CURRENT_USAGE_BYTES} >= p.quota_bytes * ?::float8)`;

function candidateParams(periods: CurrentPeriods, now: Date, policy: EnforcementPolicy): unknown[] {
  return [
    ...periodParams(periods),
    ...periodParams(periods),
    new Date(now.getTime() + policy.expiryWarningMs),
    policy.quotaWarningRatio,
  ];
}

function decodeRows([{ rows }]: Array<{ rows: RawRow[] }>): LifecycleRow[] {
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
    return decodeRows(
      await boundQuery<{ rows: RawRow[] }>(em, CANDIDATES, candidateParams(periods, now, policy)),
    );
  }

  /** The same, among the given peers only: a pass for peers whose settings just changed. */
  async candidatesAmong(
    em: EntityManager,
    peerIds: readonly string[],
    periods: CurrentPeriods,
    now: Date,
    policy: EnforcementPolicy,
  ): Promise<LifecycleRow[]> {
    return decodeRows(
      await boundQuery<{ rows: RawRow[] }>(em, `${CANDIDATES} and p.id = any(?::uuid[])`, [
        ...candidateParams(periods, now, policy),
        peerIds,
      ]),
    );
  }

  /**
   * Locks the peers' rows for the transaction, in id order (so passes never deadlock); their versions. Through
   * the published view: PostgreSQL locks the `peers` rows under it.
   */
  async lockedVersions(em: EntityManager, peerIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await boundQuery<{ id: string; version: number }>(
      em,
      `select id, version from ${PUBLISHED_PEERS} where id = any(?::uuid[]) order by id for update`,
      [peerIds],
    );
    return new Map(rows.map((row) => [row.id, row.version]));
  }

  /**
   * Remembers warnings sent, so each goes once per expiry and once per quota period; a null keeps what
   * was remembered before.
   */
  async rememberWarnings(em: EntityManager, warnings: readonly SentWarnings[]): Promise<void> {
    if (warnings.length === 0) return;
    await boundQuery(
      em,
      `insert into peer_alert_state (peer_id, expiry_warned_for, quota_warned_period_start)
       select peer_id, expiry_warned_for, quota_warned_period_start
       from jsonb_to_recordset(?::jsonb) as w(peer_id uuid, expiry_warned_for timestamptz,
         quota_warned_period_start timestamptz)
       on conflict (peer_id) do update set
         expiry_warned_for = coalesce(excluded.expiry_warned_for, peer_alert_state.expiry_warned_for),
         quota_warned_period_start =
           coalesce(excluded.quota_warned_period_start, peer_alert_state.quota_warned_period_start)`,
      [
        JSON.stringify(
          warnings.map((warning) => ({
            peer_id: warning.peerId,
            expiry_warned_for: warning.expiryWarnedFor,
            quota_warned_period_start: warning.quotaWarnedPeriodStart,
          })),
        ),
      ],
    );
  }

  /** How many peers are suspended, by reason (reasons with none are absent). */
  async suspendedCounts(em: EntityManager): Promise<Array<{ reason: SuspendedReason; count: number }>> {
    return boundQuery(
      em,
      `select suspended_reason as reason, count(*)::int as count from ${PUBLISHED_PEERS}
       where suspended_reason is not null group by suspended_reason`,
    );
  }
}
