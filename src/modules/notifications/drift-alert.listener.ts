import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { isInterfaceNotReady } from '../agent-client/domain/agent-answers';
import type { ScanListener, StoredScan } from '../drift';
import { AlertOutbox } from './alert-outbox.service';
import { decideAlert, ScanOutcome } from './domain/alert-transitions';
import { lostPeersNote } from './domain/lost-peers';
import { EventSummary, scanAlertEvent } from './notification-event';
import { NotificationQueues } from './notification-queues';
import { AlertStateRow, NotificationsStore } from './notifications.store';

/**
 * Turns stored scans into drift and reachability alerts: one per change of a node's state, at most one per
 * flap-hold window, written to the outbox in the scan's own transaction.
 */
@Injectable()
export class DriftAlertListener implements ScanListener {
  private readonly logger = new Logger(DriftAlertListener.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly outbox: AlertOutbox,
    private readonly queues: NotificationQueues,
    private readonly store: NotificationsStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onScanStored(em: EntityManager, scan: StoredScan): Promise<void | (() => Promise<void>)> {
    const row = await this.store.lockAlertState(em, scan.nodeId, scan.nodeName);
    // Two scans of a node can commit out of order; the older one has nothing left to say.
    if (row.lastCheckedAt !== null && scan.checkedAt < row.lastCheckedAt) return;
    Object.assign(row, {
      nodeName: scan.nodeName,
      lastScanId: scan.id,
      lastSummary: scanSummary(scan),
      lastCheckedAt: scan.checkedAt,
    });
    const outcome: ScanOutcome = {
      status: scan.status,
      fingerprint: scan.fingerprint,
      ...(isInterfaceNotReady(scan.report.error) ? { interface_not_ready: true as const } : {}),
    };
    return this.judge(em, row, outcome, new Date());
  }

  /**
   * Sends an alert held back by the flap hold, judged on the node's latest scan, once the hold has ended.
   * Returns when to look again if called too early.
   */
  async recheck(nodeId: string, now = new Date()): Promise<Date | null> {
    let notYet: Date | null = null;
    let afterCommit: (() => Promise<void>) | undefined;
    await this.orm.em.fork().transactional(async (em) => {
      const row = await this.store.alertStateForUpdate(em, nodeId);
      if (!row?.state || row.recheckAt === null) return;
      if (row.recheckAt > now) {
        notYet = row.recheckAt;
        return;
      }
      afterCommit = await this.judge(em, row, row.state.last_scan, now);
    });
    await afterCommit?.();
    return notYet;
  }

  private async judge(
    em: EntityManager,
    row: AlertStateRow,
    scan: ScanOutcome,
    now: Date,
  ): Promise<() => Promise<void>> {
    const decision = decideAlert(row.state, scan, now, this.config.webhookFlapHoldS);
    row.state = decision.next;
    row.recheckAt = decision.recheck_at;
    row.updatedAt = now;
    const due =
      decision.alert && row.lastScanId !== null
        ? await this.outbox.record(
            em,
            scanAlertEvent(
              decision.alert,
              {
                nodeId: row.nodeId,
                nodeName: row.nodeName,
                scanId: row.lastScanId,
                summary: row.lastSummary ?? {},
                at: row.lastCheckedAt ?? now,
              },
              this.config.publicUrl,
            ),
            row.nodeId,
          )
        : [];
    await this.store.saveAlertState(em, row);
    const enqueueDeliveries = this.outbox.enqueueAfterCommit(due);
    const recheckAt = decision.recheck_at;
    return async () => {
      await enqueueDeliveries();
      if (recheckAt === null) return;
      await this.queues
        .enqueueRecheck(row.nodeId, recheckAt)
        .catch((error: Error) =>
          this.logger.warn(
            { node_id: row.nodeId, err: error.message },
            'could not schedule an alert recheck',
          ),
        );
    };
  }
}

/** The report's counts, plus why the node could not be read, or a note when it came back without its peers. */
function scanSummary(scan: StoredScan): EventSummary {
  const { error, summary } = scan.report;
  const note = lostPeersNote(summary);
  return { ...summary, ...(error === undefined ? {} : { error }), ...(note === null ? {} : { note }) };
}
