import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { CommandContext, systemContext } from '../../common/auth/auth.decorators';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AgentError } from '../agent-client';
import { EventStore } from '../events';
import { NodesStore } from '../nodes';
import { AlertOutbox } from '../notifications';
import { isVerified, resultSummary, type ReconcileResult } from '../node-apply/domain/plan-apply';
import {
  planLeavesNodeEmpty,
  planReconcile,
  presharedKeysUnheld,
  ReconcilePlan,
} from '../node-apply/domain/reconcile-plan';
import { divergenceOf } from '../drift/domain/drift-report';
import { NodeInspector, PlanExecutor } from '../node-apply';
import { DesiredStateReader } from '../peers';
import { NodeJobData, NodeJobHandler, NodeJobOutcome, isLastAttempt } from '../node-jobs';
import { ReconcileJobEntity } from './reconcile-job.entity';
import { RECONCILE_COMPLETED, RECONCILE_FAILED, type ReconcileJobEvent } from './reconcile-job.events';
import { ReconcilePlanEntity } from './reconcile-plan.entity';
import { emptyNodeRefusal } from './reconcile.service';

const DONE: NodeJobOutcome = { rerunAt: null };

/** A reason a job stops without retrying (stale plan, empty-node guard, node gone). */
class Refusal extends Error {}

/**
 * Runs one reconcile job under its node's lock, level-based: a fresh dump, a plan, the apply, and a second
 * dump to verify. The outcome, its event and its alert are stored in one transaction.
 */
@Injectable()
export class ReconcileRunner implements NodeJobHandler {
  private readonly logger = new Logger(ReconcileRunner.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly desiredState: DesiredStateReader,
    private readonly inspector: NodeInspector,
    private readonly executor: PlanExecutor,
    private readonly events: EventStore,
    private readonly alerts: AlertOutbox,
    private readonly nodeRecords: NodesStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(job: Job<NodeJobData>): Promise<NodeJobOutcome> {
    const em = this.orm.em.fork();
    const row = await em.findOne(ReconcileJobEntity, { id: job.data.reconcileJobId! });
    if (!row || row.status === 'succeeded' || row.status === 'failed') return DONE;
    row.status = 'running';
    row.startedAt ??= new Date();
    row.attempts += 1;
    await em.flush();
    try {
      const result = await this.reconcile(em, row);
      const failure =
        result.errors.length > 0
          ? `${result.errors.length} change${result.errors.length === 1 ? '' : 's'} failed`
          : result.verified
            ? null
            : 'the verify dump still shows drift in the requested categories';
      await this.finish(em, row, result, failure);
    } catch (error) {
      const transient = error instanceof AgentError && error.transient;
      if (transient && !isLastAttempt(job)) {
        row.error = (error as Error).message;
        await em.flush();
        throw error;
      }
      if (!(error instanceof Refusal) && !(error instanceof AgentError)) {
        this.logger.error({ job_id: row.id, err: (error as Error).message }, 'reconcile job crashed');
      }
      await this.finish(em, row, null, (error as Error).message);
    }
    return DONE;
  }

  private async reconcile(em: EntityManager, row: ReconcileJobEntity): Promise<ReconcileResult> {
    const options = row.options;
    const snapshot = await this.desiredState.desired(em, row.nodeId).catch(() => {
      throw new Refusal(`node ${row.nodeId} no longer exists`);
    });
    const dump = await this.inspector.observe(snapshot.node);
    const report = this.inspector.report(snapshot, dump);
    const divergence = divergenceOf(report);
    let plan: ReconcilePlan;
    if (options.plan_id) {
      const stored = await em.findOne(ReconcilePlanEntity, { id: options.plan_id });
      if (!stored || this.inspector.fingerprint(snapshot, dump) !== stored.fingerprint) {
        throw new Refusal(
          `plan ${options.plan_id} is stale: the node's desired or observed state changed since it was made`,
        );
      }
      // A plan stored before plans listed the peers they cannot restore has none.
      plan = { ...stored.plan, cannot_restore: stored.plan.cannot_restore ?? [] };
    } else {
      plan = planReconcile({
        divergence,
        desiredPeers: snapshot.desiredPeers,
        node: snapshot.desiredNode,
        defaults: this.config.defaults,
        options,
        presharedKeyUnheld: presharedKeysUnheld(snapshot.peers),
      });
    }
    if (!options.allow_empty && planLeavesNodeEmpty(plan, report, options)) {
      throw new Refusal(emptyNodeRefusal(snapshot.node.name));
    }
    row.plan = plan;
    await em.flush();
    const changes = await this.executor.apply({ snapshot, plan, options, divergence, dump });
    const after = await this.desiredState.desired(em, row.nodeId);
    const verified = isVerified(
      this.inspector.report(after, await this.inspector.observe(after.node)),
      options,
    );
    return { ...changes, verified };
  }

  private async finish(
    em: EntityManager,
    row: ReconcileJobEntity,
    result: ReconcileResult | null,
    failure: string | null,
  ) {
    const succeeded = failure === null;
    const finishedAt = new Date();
    const nodeName = (await this.nodeRecords.nameOf(em, row.nodeId)) ?? row.nodeId;
    const summary = resultSummary(result, failure);
    const afterCommit = await em.transactional(async (tx) => {
      row.status = succeeded ? 'succeeded' : 'failed';
      row.result = result;
      row.error = failure;
      row.finishedAt = finishedAt;
      tx.persist(row);
      await this.events.append<ReconcileJobEvent>(
        tx,
        {
          aggregateType: 'reconcile_job',
          aggregateId: row.id,
          type: succeeded ? RECONCILE_COMPLETED : RECONCILE_FAILED,
          payload: { node_id: row.nodeId, node_name: nodeName, status: row.status, result, error: failure },
        },
        1,
        jobContext(row),
      );
      return this.alerts.recordReconcile(tx, {
        node: { id: row.nodeId, name: nodeName },
        jobId: row.id,
        actor: jobContext(row).actor,
        succeeded,
        summary,
        at: finishedAt,
      });
    });
    await afterCommit().catch((error: Error) =>
      this.logger.warn(
        { job_id: row.id, err: error.message },
        'alert enqueue failed; the outbox sweeper will send it',
      ),
    );
    this.logger.log(
      { job_id: row.id, node_id: row.nodeId, status: row.status, ...summary },
      'reconcile job finished',
    );
  }
}

/** The runner acts on behalf of whoever asked for the job (jobs from before jobs named their actor: itself). */
function jobContext(row: ReconcileJobEntity): CommandContext {
  if (!row.actor) return { ...systemContext('reconcile-runner'), actorTokenId: row.requestedBy };
  return { actorTokenId: row.requestedBy, requestId: row.actor.request_id, actor: row.actor };
}
