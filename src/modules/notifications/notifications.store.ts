import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { boundQuery } from '../../database/bound-query';
import { NodeAlertStateEntity } from './node-alert-state.entity';

/**
 * A node's alert state, shaped as the entity but read and written with plain statements: this runs for every
 * stored scan, and MikroORM's mapping and unit of work cost more than the two statements.
 */
export type AlertStateRow = NodeAlertStateEntity;

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

/** The notifications module's plain statements: node alert state (every stored scan) and the pruning of the log. */
@Injectable()
export class NotificationsStore {
  /**
   * The node's row, locked for this transaction; created on its first scan (safely, if two race). One
   * statement: an upsert locks the row it meets and returns its latest version, as `select for update` would.
   */
  async lockAlertState(em: EntityManager, nodeId: string, nodeName: string): Promise<AlertStateRow> {
    const [row] = await boundQuery<AlertStateColumns>(
      em,
      `insert into node_alert_state (node_id, node_name, updated_at) values (?, ?, now())
       on conflict (node_id) do update set node_id = excluded.node_id
       returning *`,
      [nodeId, nodeName],
    );
    return alertStateRow(row);
  }

  /** The node's row locked for this transaction, or null before its first scan. */
  async alertStateForUpdate(em: EntityManager, nodeId: string): Promise<AlertStateRow | null> {
    const [found] = await boundQuery<AlertStateColumns>(
      em,
      'select * from node_alert_state where node_id = ? for update',
      [nodeId],
    );
    return found ? alertStateRow(found) : null;
  }

  async saveAlertState(em: EntityManager, row: AlertStateRow): Promise<void> {
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
  }

  /** Settled deliveries (delivered, failed, cancelled) last touched before `cutoff`; attempts go with them (cascade). */
  deleteSettledDeliveriesBefore(em: EntityManager, cutoff: Date): Promise<number> {
    return deletedCount(
      em,
      "delete from webhook_deliveries where status <> 'pending' and updated_at < ? returning 1",
      cutoff,
    );
  }

  /** Notifications created before `cutoff` that no delivery refers to any more. */
  deleteOrphanNotificationsBefore(em: EntityManager, cutoff: Date): Promise<number> {
    return deletedCount(
      em,
      `delete from webhook_notifications n
        where n.created_at < ?
          and not exists (select 1 from webhook_deliveries d where d.notification_id = n.id)
       returning 1`,
      cutoff,
    );
  }
}

async function deletedCount(em: EntityManager, deleteReturning: string, cutoff: Date): Promise<number> {
  const [{ count }] = await boundQuery<{ count: number }>(
    em,
    `with deleted as (${deleteReturning}) select count(*)::int as count from deleted`,
    [cutoff],
  );
  return count;
}
