import { EntityManager } from '@mikro-orm/postgresql';
import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Dump } from '@wgfleet/protocol';
import { randomUUID } from 'node:crypto';
import { CommandContext } from '../../common/auth/auth.decorators';
import { ApiError, badRequest, conflict, notFound } from '../../common/http/api-error';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AgentError } from '../agent-client';
import type { NodeFilter } from '../../common/auth/domain/scope-policy';
import { NodeEntity, NodeScopes, NodesStore } from '../nodes';
import {
  ReconcileOptions,
  ReconcilePlan,
  planLeavesNodeEmpty,
  planReconcile,
  presharedKeysUnheld,
  reconcileOptions,
} from '../node-apply/domain/reconcile-plan';
import { groupReconcileErrors, isProblemJob } from './domain/job-problems';
import { cannotLeaveNodeEmpty } from '../node-apply/domain/plan-apply';
import { divergenceOf } from '../drift/domain/drift-report';
import { NodeInspector } from '../node-apply';
import { DesiredStateReader, type DesiredSnapshot } from '../peers';
import { ReconcileJobEntity } from './reconcile-job.entity';
import { ReconcileJobs } from './reconcile-jobs.service';
import { ReconcilePlanEntity } from './reconcile-plan.entity';
import { BulkReconcileDto, ReconcileOptionsDto, givenOptions } from './reconcile.dto';
import {
  BulkReconcileQueuedView,
  ReconcileDryRunView,
  ReconcileJobView,
  ReconcileProblemView,
  ReconcileQueuedView,
  toJobView,
} from './reconcile-view';

export type ReconcileAnswer =
  | { status: HttpStatus.OK; body: ReconcileDryRunView }
  | { status: HttpStatus.ACCEPTED; body: ReconcileQueuedView };

export const emptyNodeRefusal = (nodeName: string) =>
  `reconciling would leave node ${nodeName} with no peers; set allow_empty to true if that is intended`;

/** The reconcile API: dry runs and their stored plans, and queued jobs. */
@Injectable()
export class ReconcileService {
  constructor(
    private readonly em: EntityManager,
    private readonly desiredState: DesiredStateReader,
    private readonly inspector: NodeInspector,
    private readonly jobs: ReconcileJobs,
    private readonly nodeRecords: NodesStore,
    private readonly scopes: NodeScopes,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async reconcileNode(
    nodeId: string,
    dto: ReconcileOptionsDto,
    context: CommandContext,
  ): Promise<ReconcileAnswer> {
    const given = givenOptions(dto);
    if (given.dry_run && given.plan_id)
      throw badRequest('plan_id', 'plan_id applies a dry-run plan; it cannot be combined with dry_run');
    const em = this.em.fork();
    const snapshot = await this.desiredState.desired(em, nodeId);
    if (given.plan_id) return this.applyStoredPlan(em, snapshot, given, context);
    const options = reconcileOptions(given);
    if (options.dry_run) return this.dryRun(em, snapshot, options, context);
    if (!cannotLeaveNodeEmpty(options, snapshot.desiredPeers)) {
      // A node whose agent does not answer right now still gets its job: the job retries and checks again.
      const dump = await this.inspector.observe(snapshot.node).catch(() => null);
      if (dump) this.assertKeepsPeers(snapshot, dump, options, this.plan(snapshot, dump, options));
    }
    return this.accepted(em, snapshot.node, options, undefined, context);
  }

  /**
   * Only nodes `allowed` lets through: named nodes outside it are 404 like missing ones, and "every enabled
   * node" means every one in the caller's scope, which the answer says (`limited_to_scope`).
   */
  async reconcileMany(
    dto: BulkReconcileDto,
    allowed: NodeFilter,
    context: CommandContext,
  ): Promise<BulkReconcileQueuedView> {
    const given = givenOptions(dto);
    if (given.dry_run)
      throw badRequest('dry_run', 'a dry run is for one node: POST /api/drift/nodes/{id}/reconcile');
    if (given.plan_id)
      throw badRequest('plan_id', 'a plan belongs to one node: POST /api/drift/nodes/{id}/reconcile');
    const options = reconcileOptions(given);
    const em = this.em.fork();
    const candidates = dto.node_ids
      ? await this.nodeRecords.byIds(em, dto.node_ids)
      : await this.nodeRecords.enabled(em);
    const nodes = await this.scopes.among(em, candidates, allowed);
    const unknown = (dto.node_ids ?? []).filter((id) => !nodes.some((node) => node.id === id));
    if (unknown.length > 0)
      throw new ApiError(HttpStatus.NOT_FOUND, 'not_found', `node_ids: no node ${unknown.join(', ')}`);
    const rows = await em.transactional(async (tx) => {
      const created = [];
      for (const node of nodes)
        created.push(await this.jobs.create(tx, { node, options, trigger: 'api' }, context));
      return created;
    });
    await Promise.all(rows.map((row) => this.jobs.enqueue(row)));
    return {
      jobs: rows.map((row) => ({ node_id: row.nodeId, job_id: row.id })),
      limited_to_scope: !allowed.all,
    };
  }

  async job(id: string): Promise<ReconcileJobView> {
    const row = await this.em.fork().findOne(ReconcileJobEntity, { id });
    if (!row) throw notFound('reconcile job', id);
    return toJobView(row);
  }

  /** The node's latest finished job, when it failed or finished with per-peer errors. */
  async latestProblem(nodeId: string): Promise<ReconcileProblemView> {
    const em = this.em.fork();
    if ((await this.nodeRecords.nameOf(em, nodeId)) === null) throw notFound('node', nodeId);
    const latest = await em.findOne(
      ReconcileJobEntity,
      { nodeId, status: { $in: ['succeeded', 'failed'] } },
      { orderBy: { createdAt: 'desc' } },
    );
    if (!latest || !isProblemJob(latest.status, latest.result)) return { job: null, error_groups: [] };
    return { job: toJobView(latest), error_groups: groupReconcileErrors(latest.result?.errors ?? []) };
  }

  private async dryRun(
    em: EntityManager,
    snapshot: DesiredSnapshot,
    options: ReconcileOptions,
    context: CommandContext,
  ): Promise<ReconcileAnswer> {
    const dump = await this.observeNow(snapshot.node);
    const plan = this.plan(snapshot, dump, options);
    const stored = em.create(ReconcilePlanEntity, {
      id: randomUUID(),
      nodeId: snapshot.node.id,
      options: { ...options, dry_run: false },
      plan,
      fingerprint: this.inspector.fingerprint(snapshot, dump),
      requestedBy: context.actorTokenId,
    });
    await em.persistAndFlush(stored);
    return { status: HttpStatus.OK, body: { plan_id: stored.id, plan } };
  }

  /** Exactly the stored plan, or 409 when what it was made from has moved (checked again in the job). */
  private async applyStoredPlan(
    em: EntityManager,
    snapshot: DesiredSnapshot,
    given: Partial<ReconcileOptions>,
    context: CommandContext,
  ): Promise<ReconcileAnswer> {
    const stored = await em.findOne(ReconcilePlanEntity, { id: given.plan_id!, nodeId: snapshot.node.id });
    if (!stored) {
      throw new ApiError(
        HttpStatus.NOT_FOUND,
        'not_found',
        `plan_id: no plan ${given.plan_id} for node ${snapshot.node.name}`,
      );
    }
    const options = reconcileOptions({ ...stored.options, ...given, dry_run: false });
    const dump = await this.observeNow(snapshot.node);
    if (this.inspector.fingerprint(snapshot, dump) !== stored.fingerprint) throw stalePlan(stored.id);
    this.assertKeepsPeers(snapshot, dump, options, stored.plan);
    return this.accepted(em, snapshot.node, options, stored.plan, context);
  }

  private async accepted(
    em: EntityManager,
    node: NodeEntity,
    options: ReconcileOptions,
    plan: ReconcilePlan | undefined,
    context: CommandContext,
  ): Promise<ReconcileAnswer> {
    const row = await em.transactional((tx) =>
      this.jobs.create(tx, { node, options, trigger: 'api', plan }, context),
    );
    await this.jobs.enqueue(row);
    return { status: HttpStatus.ACCEPTED, body: { job_id: row.id } };
  }

  private plan(snapshot: DesiredSnapshot, dump: Dump, options: ReconcileOptions): ReconcilePlan {
    return planReconcile({
      divergence: divergenceOf(this.inspector.report(snapshot, dump)),
      desiredPeers: snapshot.desiredPeers,
      node: snapshot.desiredNode,
      defaults: this.config.defaults,
      options,
      presharedKeyUnheld: presharedKeysUnheld(snapshot.peers),
    });
  }

  private assertKeepsPeers(
    snapshot: DesiredSnapshot,
    dump: Dump,
    options: ReconcileOptions,
    plan: ReconcilePlan,
  ): void {
    if (options.allow_empty || !planLeavesNodeEmpty(plan, this.inspector.report(snapshot, dump), options))
      return;
    throw conflict(emptyNodeRefusal(snapshot.node.name), [
      { field: 'allow_empty', message: 'the reconcile would remove every peer of the node' },
    ]);
  }

  private async observeNow(node: NodeEntity): Promise<Dump> {
    try {
      return await this.inspector.observe(node);
    } catch (error) {
      if (!(error instanceof AgentError)) throw error;
      throw new ApiError(
        HttpStatus.BAD_GATEWAY,
        'agent_unavailable',
        `the agent of node ${node.name} did not answer: ${error.message}`,
      );
    }
  }
}

export function stalePlan(planId: string): ApiError {
  return new ApiError(
    HttpStatus.CONFLICT,
    'plan_stale',
    `plan ${planId} is stale: the node's desired or observed state changed since it was made; make a new dry run`,
    [{ field: 'plan_id', message: 'the state the plan was made from has moved' }],
  );
}
