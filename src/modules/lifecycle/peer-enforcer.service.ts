import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CommandContext } from '../../common/auth/auth.decorators';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { DesiredStateChanges, EventStore } from '../events';
import type { PeerEventType } from '../notifications/domain/payload-format';
import { AlertOutbox, peerLifecycleEvent, type DueDelivery, type EventSummary } from '../notifications';
import { PEER_RESUMED, PEER_SUSPENDED } from '../peers';
import { decideLifecycle, isNoDecision, type LifecycleDecision } from './domain/enforcement';
import { PeerLifecycleStore, type LifecycleRow } from './peer-lifecycle.store';
import { PeerUsageStore } from './peer-usage.store';

const SYSTEM: CommandContext = { actorTokenId: null, requestId: null };

export interface EnforcementResult {
  /** Peers the pass looked at: those that might need a change or a warning. */
  peers: number;
  suspended: number;
  resumed: number;
  warnings: number;
}

const date = (ms: number | null) => (ms === null ? null : new Date(ms));

/**
 * The enforcement pass: suspends peers past their expiry or over their quota, lifts suspensions whose reason
 * went, and sends the warnings, each peer in its own transaction (suspension events and their webhooks commit
 * together). The sync carries suspensions and resumptions to the nodes like any other change.
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

  async enforce(now: Date = new Date()): Promise<EnforcementResult> {
    const policy = {
      expiryWarningMs: this.config.peerExpiryWarningS * 1000,
      quotaWarningRatio: this.config.peerQuotaWarningRatio,
    };
    const rows = await this.store.candidates(this.em.fork(), this.usage.periodsAt(now), now, policy);
    const result: EnforcementResult = { peers: rows.length, suspended: 0, resumed: 0, warnings: 0 };
    const changedNodes = new Set<string>();
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
      if (isNoDecision(decision)) continue;
      const applied = await this.apply(row, decision, now).catch((error: Error) => {
        this.logger.warn(
          { peer_id: row.id, err: error.message },
          'peer enforcement failed; next pass retries',
        );
        return false;
      });
      if (!applied) continue;
      if (decision.suspend || decision.resume) changedNodes.add(row.nodeId);
      if (decision.suspend) result.suspended++;
      if (decision.resume) result.resumed++;
      result.warnings += Number(decision.warnExpiry) + Number(decision.warnQuota);
    }
    // Once per node, after its peers' changes have committed: sync takes them all in one run.
    await Promise.all([...changedNodes].map((nodeId) => this.changes.changed(nodeId)));
    if (result.suspended + result.resumed + result.warnings > 0) this.logger.log(result, 'peers enforced');
    return result;
  }

  /** False when the peer changed since the pass read it: the next pass decides again. */
  private async apply(row: LifecycleRow, decision: LifecycleDecision, now: Date): Promise<boolean> {
    const due = await this.em.fork().transactional(async (em) => {
      if ((await this.store.lockedVersion(em, row.id)) !== row.version) return null;
      let version = row.version;
      const payload = { node_id: row.nodeId } as const;
      if (decision.resume) {
        await this.events.append(
          em,
          {
            aggregateType: 'peer',
            aggregateId: row.id,
            type: PEER_RESUMED,
            payload: { ...payload, reason: decision.resume },
          },
          version++,
          SYSTEM,
        );
      }
      if (decision.suspend) {
        await this.events.append(
          em,
          {
            aggregateType: 'peer',
            aggregateId: row.id,
            type: PEER_SUSPENDED,
            payload: { ...payload, reason: decision.suspend },
          },
          version++,
          SYSTEM,
        );
      }
      if (decision.warnExpiry || decision.warnQuota) {
        await this.store.rememberWarnings(
          em,
          row.id,
          decision.warnExpiry ? date(row.expiresAtMs) : null,
          decision.warnQuota ? new Date(row.periodStartMs) : null,
        );
      }
      const notices: Array<[PeerEventType, EventSummary]> = [];
      const usage = {
        quota_bytes: row.quotaBytes,
        quota_period: row.quotaPeriod,
        used_bytes: row.usedBytes,
        period_start: new Date(row.periodStartMs).toISOString(),
      };
      const expiry = { expires_at: date(row.expiresAtMs)?.toISOString() ?? null };
      if (decision.resume) notices.push(['peer.resumed', { reason: decision.resume, ...expiry, ...usage }]);
      if (decision.warnExpiry) notices.push(['peer.expiring', expiry]);
      if (decision.warnQuota) notices.push(['peer.quota_warning', usage]);
      if (decision.suspend)
        notices.push(['peer.suspended', { reason: decision.suspend, ...expiry, ...usage }]);
      const deliveries: DueDelivery[] = [];
      for (const [type, summary] of notices) {
        const event = peerLifecycleEvent(
          {
            type,
            peer: { id: row.id, name: row.name, node_id: row.nodeId },
            nodeName: row.nodeName,
            summary,
            at: now,
          },
          this.config.publicUrl,
        );
        deliveries.push(...(await this.outbox.record(em, event, row.nodeId)));
      }
      return deliveries;
    });
    if (!due) return false;
    if (due.length > 0) await this.outbox.enqueueAfterCommit(due)();
    return true;
  }
}
