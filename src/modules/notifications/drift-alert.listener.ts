import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { boundQuery } from '../../database/bound-query';
import type { ScanListener, StoredScan } from '../drift/scan-listeners';
import { AlertOutbox } from './alert-outbox.service';
import { decideAlert, ScanOutcome } from './domain/alert-transitions';
import { lostPeersNote } from './domain/lost-peers';
import { EventSummary, scanAlertEvent } from './notification-event';
import { NotificationQueues } from './notification-queues';
import { NodeAlertStateEntity } from './node-alert-state.entity';

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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onScanStored(em: EntityManager, scan: StoredScan): Promise<void | (() => Promise<void>)> {
    const row = await this.lockState(em, scan.nodeId, scan.nodeName);
    // Two scans of a node can commit out of order; the older one has nothing left to say.
    if (row.lastCheckedAt !== null && scan.checkedAt < row.lastCheckedAt) return;
    Object.assign(row, {
      nodeName: scan.nodeName,
      lastScanId: scan.id,
      lastSummary: scanSummary(scan),
      lastCheckedAt: scan.checkedAt,
    });
    return this.judge(em, row, { status: scan.status, fingerprint: scan.fingerprint }, new Date());
  }

  /**
   * Sends an alert held back by the flap hold, judged on the node's latest scan, once the hold has ended.
   * Returns when to look again if called too early.
   */
  async recheck(nodeId: string, now = new Date()): Promise<Date | null> {
    let notYet: Date | null = null;
    let afterCommit: (() => Promise<void>) | undefined;
    await this.orm.em.fork().transactional(async (em) => {
      const [found] = await boundQuery<AlertStateColumns>(
        em,
        'select * from node_alert_state where node_id = ? for update',
        [nodeId],
      );
      const row = found && alertStateRow(found);
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
    await boundQuery(
      em,
      `update node_alert_state set state = ?::jsonb, node_name = ?, last_scan_id = ?, last_summary = ?::jsonb,
         last_checked_at = ?, recheck_at = ?, updated_at = ?
       where node_id = ?`,
      [
        JSON.stringify(row.state),
        row.nodeName,
        row.lastScanId,
        row.lastSummary === null ? null : JSON.stringify(row.lastSummary),
        row.lastCheckedAt,
        row.recheckAt,
        row.updatedAt,
        row.nodeId,
      ],
    );
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

  /**
   * The node's row, locked for this transaction; created on its first scan (safely, if two race). One
   * statement: an upsert locks the row it meets and returns its latest version, as `select for update` would.
   */
  private async lockState(em: EntityManager, nodeId: string, nodeName: string): Promise<AlertStateRow> {
    const [row] = await boundQuery<AlertStateColumns>(
      em,
      `insert into node_alert_state (node_id, node_name, updated_at) values (?, ?, now())
       on conflict (node_id) do update set node_id = excluded.node_id
       returning *`,
      [nodeId, nodeName],
    );
    return alertStateRow(row);
  }
}

/**
 * A node's alert state, shaped as the entity but read and written with plain statements: this runs for every
 * stored scan, and MikroORM's mapping and unit of work cost more than the two statements.
 */
type AlertStateRow = NodeAlertStateEntity;

interface AlertStateColumns {
  node_id: string;
  state: NodeAlertStateEntity['state'];
  node_name: string;
  last_scan_id: string | null;
  last_summary: NodeAlertStateEntity['lastSummary'];
  /** Timestamps arrive as text (see boundQuery). */
  last_checked_at: string | null;
  recheck_at: string | null;
  updated_at: string;
}

function alertStateRow(columns: AlertStateColumns): AlertStateRow {
  return {
    nodeId: columns.node_id,
    state: columns.state,
    nodeName: columns.node_name,
    lastScanId: columns.last_scan_id,
    lastSummary: columns.last_summary,
    lastCheckedAt: dateOrNull(columns.last_checked_at),
    recheckAt: dateOrNull(columns.recheck_at),
    updatedAt: new Date(columns.updated_at),
  };
}

function dateOrNull(text: string | null): Date | null {
  return text === null ? null : new Date(text);
}

/** The report's counts, plus why the node could not be read, or a note when it came back without its peers. */
function scanSummary(scan: StoredScan): EventSummary {
  const { error, summary } = scan.report;
  const note = lostPeersNote(summary);
  return { ...summary, ...(error === undefined ? {} : { error }), ...(note === null ? {} : { note }) };
}
