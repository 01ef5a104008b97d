import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { systemContext } from '../../common/auth/auth.decorators';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { DesiredStateChanges, EventStore, type Appended } from '../events';
import type { PeerEventType } from '../notifications/domain/payload-format';
import { AlertOutbox, peerLifecycleEvent, type EventSummary, type NotificationEvent } from '../notifications';
import {
  PEER_RESUMED,
  PEER_SUSPENDED,
  type PeerResumed,
  type PeerSuspended,
  type SuspendedReason,
} from '../peers';
import {
  decideLifecycle,
  isNoDecision,
  type EnforcementPolicy,
  type LifecycleDecision,
} from './domain/enforcement';
import { PeerLifecycleStore, type LifecycleRow, type SentWarnings } from './peer-lifecycle.store';
import { PeerUsageStore } from './peer-usage.store';

const SYSTEM = systemContext('peer-enforcer');
/** Peers changed per transaction: big enough that 1,000 suspensions take a couple, small enough to hold few locks. */
const PEERS_PER_TRANSACTION = 500;

export interface EnforcementResult {
  /** Peers the pass looked at: those that might need a change or a warning. */
  peers: number;
  suspended: number;
  resumed: number;
  warnings: number;
}

interface PeerChange {
  row: LifecycleRow;
  decision: LifecycleDecision;
}

const date = (ms: number | null) => (ms === null ? null : new Date(ms));

/**
 * The enforcement pass: suspends peers past their expiry or over their quota, lifts suspensions whose reason
 * went, and sends the warnings. A pass writes its changes in a few transactions (one event per suspension or
 * resumption, read models, warnings remembered and webhooks in the outbox, each guarded by the peer's version),
 * then tells the sync once per node it changed; the sync carries them to the nodes like any other change.
 */
@Injectable()
export class PeerEnforcer {
  private readonly logger = new Logger(PeerEnforcer.name);

  constructor(
    private readonly em: EntityManager,
    private readonly store: PeerLifecycleStore,
    private readonly usage: PeerUsageStore,
    private readonly events: EventStore,
    private readonly outbox: AlertOutbox,
    private readonly changes: DesiredStateChanges,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The scheduled pass over every peer. */
  async enforce(now: Date = new Date()): Promise<EnforcementResult> {
    const policy = this.policy();
    const rows = await this.store.candidates(this.em.fork(), this.usage.periodsAt(now), now, policy);
    const { result, changedNodes } = await this.settle(rows, now, policy);
    // Once per node, after its peers' changes have committed: sync takes them all in one run.
    await Promise.all([...changedNodes].map((nodeId) => this.changes.changed(nodeId)));
    if (result.suspended + result.resumed + result.warnings > 0) this.logger.log(result, 'peers enforced');
    return result;
  }

  /**
   * A pass over one peer whose expiry or quota was just changed, so a suspension lifts (or starts) with the
   * command, not a pass later. The command that changed the settings tells the sync.
   */
  async enforcePeer(peerId: string, now: Date = new Date()): Promise<EnforcementResult> {
    const policy = this.policy();
    const rows = await this.store.candidatesAmong(
      this.em.fork(),
      [peerId],
      this.usage.periodsAt(now),
      now,
      policy,
    );
    return (await this.settle(rows, now, policy)).result;
  }

  private policy(): EnforcementPolicy {
    return {
      expiryWarningMs: this.config.peerExpiryWarningS * 1000,
      quotaWarningRatio: this.config.peerQuotaWarningRatio,
    };
  }

  private async settle(
    rows: LifecycleRow[],
    now: Date,
    policy: EnforcementPolicy,
  ): Promise<{ result: EnforcementResult; changedNodes: Set<string> }> {
    const due: PeerChange[] = [];
    for (const row of rows) {
      const decision = decideLifecycle(
        {
          expiresAt: date(row.expiresAtMs),
          quotaBytes: row.quotaBytes,
          suspendedReason: row.suspendedReason,
          usedBytes: row.usedBytes,
          periodStart: new Date(row.periodStartMs),
          expiryWarnedFor: date(row.expiryWarnedForMs),
          quotaWarnedPeriodStart: date(row.quotaWarnedPeriodStartMs),
        },
        now,
        policy,
      );
      if (!isNoDecision(decision)) due.push({ row, decision });
    }
    const result: EnforcementResult = { peers: rows.length, suspended: 0, resumed: 0, warnings: 0 };
    const changedNodes = new Set<string>();
    for (let start = 0; start < due.length; start += PEERS_PER_TRANSACTION) {
      for (const { row, decision } of await this.apply(
        due.slice(start, start + PEERS_PER_TRANSACTION),
        now,
      )) {
        if (decision.suspend || decision.resume) changedNodes.add(row.nodeId);
        if (decision.suspend) result.suspended++;
        if (decision.resume) result.resumed++;
        result.warnings += Number(decision.warnExpiry) + Number(decision.warnQuota);
      }
    }
    return { result, changedNodes };
  }

  /**
   * The changes in one transaction; the ones applied come back. If the transaction fails as a whole, each
   * peer is tried alone, so one peer that cannot be changed holds back no other (the next pass retries it).
   */
  private async apply(changes: PeerChange[], now: Date): Promise<PeerChange[]> {
    try {
      return await this.applyTogether(changes, now);
    } catch (error) {
      if (changes.length === 1) {
        this.logger.warn(
          { peer_id: changes[0].row.id, err: (error as Error).message },
          'peer enforcement failed; next pass retries',
        );
        return [];
      }
      this.logger.debug(
        { peers: changes.length, err: (error as Error).message },
        'enforcement batch retried peer by peer',
      );
      const applied: PeerChange[] = [];
      for (const change of changes) applied.push(...(await this.apply([change], now)));
      return applied;
    }
  }

  /** Leaves out a peer that changed since the pass read it: the next pass decides it again. */
  private async applyTogether(changes: PeerChange[], now: Date): Promise<PeerChange[]> {
    const { applied, due } = await this.em.fork().transactional(async (em) => {
      const versions = await this.store.lockedVersions(
        em,
        changes.map(({ row }) => row.id),
      );
      const applied = changes.filter(({ row }) => versions.get(row.id) === row.version);
      await this.events.appendMany<PeerSuspended | PeerResumed>(
        em,
        applied.flatMap((change) => suspensionEvents(change)),
      );
      await this.store.rememberWarnings(
        em,
        applied.flatMap((change) => sentWarnings(change)),
      );
      const due = await this.outbox.recordMany(
        em,
        applied.flatMap((change) => this.notices(change, now)),
      );
      return { applied, due };
    });
    if (due.length > 0) await this.outbox.enqueueAfterCommit(due)();
    return applied;
  }

  /** The webhooks of one peer's change, in the order things happened to it. */
  private notices(
    { row, decision }: PeerChange,
    now: Date,
  ): Array<{ event: NotificationEvent; nodeId: string }> {
    const usage = {
      quota_bytes: row.quotaBytes,
      quota_period: row.quotaPeriod,
      used_bytes: row.usedBytes,
      period_start: new Date(row.periodStartMs).toISOString(),
    };
    const expiry = { expires_at: date(row.expiresAtMs)?.toISOString() ?? null };
    const notices: Array<[PeerEventType, EventSummary]> = [];
    if (decision.resume) notices.push(['peer.resumed', { reason: decision.resume, ...expiry, ...usage }]);
    if (decision.warnExpiry) notices.push(['peer.expiring', expiry]);
    if (decision.warnQuota) notices.push(['peer.quota_warning', usage]);
    if (decision.suspend) notices.push(['peer.suspended', { reason: decision.suspend, ...expiry, ...usage }]);
    return notices.map(([type, summary]) => ({
      event: peerLifecycleEvent(
        {
          type,
          peer: { id: row.id, name: row.name, node_id: row.nodeId },
          nodeName: row.nodeName,
          summary,
          at: now,
        },
        this.config.publicUrl,
      ),
      nodeId: row.nodeId,
    }));
  }
}

/** A lifted suspension before a new one (an expiry replacing a quota suspension is both). */
function suspensionEvents({ row, decision }: PeerChange) {
  const events: Appended<PeerSuspended | PeerResumed>[] = [];
  const add = (type: typeof PEER_RESUMED | typeof PEER_SUSPENDED, reason: SuspendedReason) =>
    events.push({
      event: {
        aggregateType: 'peer',
        aggregateId: row.id,
        type,
        payload: { node_id: row.nodeId, reason },
      },
      expectedVersion: row.version + events.length,
      context: SYSTEM,
    });
  if (decision.resume) add(PEER_RESUMED, decision.resume);
  if (decision.suspend) add(PEER_SUSPENDED, decision.suspend);
  return events;
}

function sentWarnings({ row, decision }: PeerChange): SentWarnings[] {
  if (!decision.warnExpiry && !decision.warnQuota) return [];
  return [
    {
      peerId: row.id,
      expiryWarnedFor: decision.warnExpiry ? date(row.expiresAtMs) : null,
      quotaWarnedPeriodStart: decision.warnQuota ? new Date(row.periodStartMs) : null,
    },
  ];
}
