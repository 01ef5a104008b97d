import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { Page } from '../../common/http/api-responses';
import { randomUUID } from 'node:crypto';
import { badRequest, notFound } from '../../common/http/api-error';
import { NodesService } from '../nodes';
import { driftFingerprint } from './domain/drift-detector';
import type { NodeDriftReport } from './domain/drift-report';
import type { ObservedManagedPeer } from './domain/observed-peers';
import { DriftScanEntity } from './drift-scan.entity';
import { DriftStore } from './drift.store';
import { ScanView, toScanDetailView, toScanView } from './drift-scan-view';
import { reportContentHash } from './domain/report-content';
import { parseHistoryCursor } from './history-cursor';
import { SCAN_STORED, type ScanTrigger, type StoredScan } from './scan-listeners';
import { Reactions } from '../../common/reactions';

export interface ScanToStore {
  trigger: ScanTrigger;
  report: NodeDriftReport;
  /** Managed peers as the node reported them; null when the agent did not answer. */
  activity: readonly ObservedManagedPeer[] | null;
  durationMs: number;
}

export interface HistoryQuery {
  limit: number;
  before?: string;
}

/** Stores scans (with the node's drift state and what listeners write, in one transaction) and reads them back. */
@Injectable()
export class DriftHistory {
  private readonly logger = new Logger(DriftHistory.name);

  constructor(
    private readonly em: EntityManager,
    private readonly nodes: NodesService,
    private readonly reactions: Reactions,
    private readonly scans: DriftStore,
  ) {}

  async store({ trigger, report, activity, durationMs }: ScanToStore): Promise<StoredScan> {
    const nodeId = report.node_id;
    const checkedAt = new Date(report.checked_at);
    const scan: StoredScan = {
      id: randomUUID(),
      nodeId,
      nodeName: report.node_name,
      trigger,
      status: report.status,
      fingerprint: driftFingerprint(report),
      report,
      checkedAt,
    };
    const afterCommit = await this.em.fork().transactional(async (em) => {
      // Scans of one node are written one at a time, so "status changed" compares with the true predecessor.
      // Two statements, not one: a statement's snapshot predates the lock it waits for, and this read must
      // see what the scan that held the lock wrote.
      await this.scans.lockNodeScans(em, nodeId);
      const previous = await this.scans.latestScan(em, nodeId);
      const statusChanged = previous?.status !== scan.status;
      // A slow scan finishing after a newer one goes into the history but must not roll the state back.
      const advancesState = !previous || new Date(previous.last_scan_at) <= checkedAt;
      // Findings unchanged since the node's previous scan: this scan shares the report stored then.
      const contentHash = reportContentHash(report);
      let reportId = scan.id;
      if (previous?.content_hash === contentHash) reportId = previous.report_id;
      else await this.scans.insertReport(em, { id: reportId, nodeId, contentHash, report });
      await this.scans.insertScan(
        em,
        {
          ...scan,
          statusChanged,
          summary: report.summary,
          error: report.error ?? null,
          reportId,
          durationMs,
        },
        statusChanged || !previous ? checkedAt : new Date(previous.status_changed_at),
        advancesState,
      );
      if (advancesState && activity) scan.activity = activity;
      return this.reactions.tell(SCAN_STORED, em, scan);
    });
    for (const run of afterCommit) {
      await run().catch((error: Error) =>
        this.logger.warn(
          { node_id: nodeId, scan_id: scan.id, err: error.message },
          'a scan listener failed after commit',
        ),
      );
    }
    return scan;
  }

  /** Newest first; `next` is the id of the last scan when more may follow. */
  async history(nodeId: string, query: HistoryQuery): Promise<Page<ScanView>> {
    const em = this.em.fork();
    await this.nodes.require(em, nodeId);
    const cursor = query.before === undefined ? undefined : parseHistoryCursor(query.before);
    let before = {};
    if (cursor && 'time' in cursor) before = { checkedAt: { $lt: cursor.time } };
    if (cursor && 'scanId' in cursor) {
      const last = await em.findOne(
        DriftScanEntity,
        { id: cursor.scanId, nodeId },
        { fields: ['checkedAt'] },
      );
      if (!last) throw badRequest('before', `before names no scan of node ${nodeId}`);
      before = {
        $or: [{ checkedAt: { $lt: last.checkedAt } }, { checkedAt: last.checkedAt, id: { $lt: last.id } }],
      };
    }
    const rows = await em.find(
      DriftScanEntity,
      { nodeId, ...before },
      { orderBy: { checkedAt: 'desc', id: 'desc' }, limit: query.limit },
    );
    const items = rows.map(toScanView);
    return rows.length === query.limit ? { items, next: rows[rows.length - 1].id } : { items };
  }

  async scan(id: string) {
    const em = this.em.fork();
    const scan = await em.findOne(DriftScanEntity, { id });
    const report = scan && (await this.scans.reportOf(em, id));
    if (!scan || !report) throw notFound('scan', id);
    return toScanDetailView(scan, report);
  }
}
