import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { ScanListener, StoredScan } from '../drift';
import { NodesStore } from '../nodes';
import { isVerified } from '../node-apply/domain/plan-apply';
import { autoReconcileDue, autoReconcileOptions, leadingFailures } from './domain/self-heal';
import { ReconcileJobEntity } from './reconcile-job.entity';
import { ReconcileJobs } from './reconcile-jobs.service';
import { systemContext } from '../../common/auth/auth.decorators';

/** Failures in a row beyond this stop doubling anyway (see autoReconcileDue). */
const HISTORY_DEPTH = 8;

/**
 * Self-heal: a scheduled scan that finds drift a node's auto_reconcile mode covers queues a reconcile. The
 * job row is written in the scan's transaction and enqueued once it has committed.
 */
@Injectable()
export class SelfHealListener implements ScanListener {
  private readonly logger = new Logger(SelfHealListener.name);

  constructor(
    private readonly jobs: ReconcileJobs,
    private readonly nodeRecords: NodesStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onScanStored(em: EntityManager, scan: StoredScan): Promise<void | (() => Promise<void>)> {
    if (scan.trigger !== 'schedule' || scan.status !== 'drift') return;
    const node = await this.nodeRecords.find(em, scan.nodeId);
    if (!node || !node.enabled || node.autoReconcile === 'off') return;
    const options = autoReconcileOptions(node.autoReconcile);
    if (isVerified(scan.report, options)) return; // only drift this mode leaves alone (e.g. unknown peers in safe)
    // Sequential: this runs on the scan's transaction, one connection.
    const recent = await em.find(
      ReconcileJobEntity,
      { nodeId: node.id, trigger: 'auto' },
      { fields: ['status', 'createdAt'], orderBy: { createdAt: 'desc' }, limit: HISTORY_DEPTH },
    );
    const open = await em.count(ReconcileJobEntity, {
      nodeId: node.id,
      status: { $in: ['queued', 'running'] },
    });
    const due = autoReconcileDue(
      {
        lastRequestedAt: recent[0]?.createdAt ?? null,
        consecutiveFailures: leadingFailures(recent.map((job) => job.status)),
        hasOpenJob: open > 0,
      },
      new Date(),
      this.config.autoReconcileMinIntervalS,
    );
    if (!due) return;
    const row = await this.jobs.create(em, { node, options, trigger: 'auto' }, systemContext('self-heal'));
    this.logger.log({ node_id: node.id, job_id: row.id, scan_id: scan.id }, 'self-heal reconcile queued');
    return () => this.jobs.enqueue(row);
  }
}
