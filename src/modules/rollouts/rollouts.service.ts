import { OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { HttpStatus, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import { CommandContext } from '../../common/auth/auth.decorators';
import { ApiError, badRequest, conflict, notFound } from '../../common/http/api-error';
import type { AfterCommit } from '../../common/reactions';
import { parseTagSelector, TagSelectorError, type TagSelector } from '../../common/domain/node-tags';
import { NodeEntity, NodesStore } from '../nodes';
import { TemplatesService } from '../templates';
import { command, RolloutCommand, rollbackWaves } from './domain/rollout-state';
import { orderNodes, planWaves, WavePlanError } from './domain/waves';
import { NodePlan, RolloutChange, RolloutChanges } from './rollout-changes.service';
import { RolloutJournal } from './rollout-journal.service';
import { RolloutEntity, RolloutNodeEntity, RolloutWave } from './rollout.entity';
import { CreateRolloutDto, DEFAULT_BAKE_S, DEFAULT_MIN_TRAFFIC_RETENTION, waveSpecs } from './rollouts.dto';
import { RolloutsStore } from './rollouts.store';
import { RolloutListView, RolloutView, toRolloutView } from './rollout-view';

/** Dry runs ask every node's agent for a dump; this many at once. */
const PLAN_CONCURRENCY = 16;
const LISTED_ROLLOUTS = 50;

/** Statuses of a node whose change was applied (or tried): a rollback takes them back. */
const CHANGED_NODE_STATUSES = ['applying', 'applied', 'failed'];

/** The rollouts API: planning a rollout (each node's exact plan, its waves) and the operator's commands. */
@Injectable()
export class RolloutsService {
  constructor(
    private readonly em: EntityManager,
    private readonly nodeRecords: NodesStore,
    private readonly changes: RolloutChanges,
    private readonly journal: RolloutJournal,
    private readonly store: RolloutsStore,
    private readonly templates: TemplatesService,
  ) {}

  async create(dto: CreateRolloutDto, context: CommandContext): Promise<RolloutView> {
    const em = this.em.fork();
    const change = await this.changeOf(dto);
    const nodes = await this.selectNodes(em, dto);
    const order = orderNodes(
      nodes.map((node) => ({
        id: node.id,
        name: node.name,
        group: dto.order_by_tag === undefined ? null : (node.tags[dto.order_by_tag] ?? null),
      })),
    );
    const waves = this.planWaves(order, dto);
    await this.assertFree(em, order);
    const limit = pLimit(PLAN_CONCURRENCY);
    const plans = new Map(
      await Promise.all(
        order.map((id) =>
          limit(async (): Promise<[string, NodePlan]> => [id, await this.changes.plan(change, id, context)]),
        ),
      ),
    );
    const rollout = em.create(RolloutEntity, {
      id: randomUUID(),
      ...change,
      status: 'planned',
      options: {
        bake_s: dto.bake_s ?? DEFAULT_BAKE_S,
        min_traffic_retention: dto.min_traffic_retention ?? DEFAULT_MIN_TRAFFIC_RETENTION,
      },
      waves: waves.map((nodeIds, index): RolloutWave => ({
        index,
        node_ids: nodeIds,
        status: 'pending',
        gates: null,
        started_at: null,
        passed_at: null,
      })),
      requestedBy: context.actorTokenId,
    });
    // Persisted after their rollout: plain ids, no ORM relation, so the unit of work could not order them.
    const rows = waves.flatMap((nodeIds, wave) =>
      nodeIds.map((nodeId) =>
        em.create(
          RolloutNodeEntity,
          { rolloutId: rollout.id, nodeId, wave, ...plans.get(nodeId)! },
          { persist: false },
        ),
      ),
    );
    const afterCommit = await this.reserving(em, order, (tx) =>
      tx.transactional(async (inner): Promise<AfterCommit> => {
        inner.persist(rollout);
        await inner.flush();
        inner.persist(rows);
        await this.journal.record(
          inner,
          rollout,
          {
            aggregateType: 'rollout',
            type: 'rollout.planned',
            payload: {
              kind: rollout.kind,
              options: rollout.options,
              waves,
              plans: Object.fromEntries(rows.map((row) => [row.nodeId, row.planId])),
            },
          },
          context,
        );
        if (dto.dry_run) return async () => undefined;
        const afterCommit = await this.apply(inner, rollout, rows, 'start', context);
        await inner.flush();
        return afterCommit;
      }),
    );
    await afterCommit();
    return toRolloutView(rollout, rows);
  }

  /** A new template version: a planned rollout moving its followers to it, unless nobody follows it. */
  async planTemplateVersion(templateId: string, version: number, context: CommandContext): Promise<void> {
    if ((await this.nodeRecords.followingTemplate(this.em.fork(), templateId)).length === 0) return;
    await this.create({ template_id: templateId, template_version: version, dry_run: true }, context);
  }

  async get(id: string): Promise<RolloutView> {
    const em = this.em.fork();
    const rollout = await em.findOne(RolloutEntity, { id });
    if (!rollout) throw notFound('rollout', id);
    return toRolloutView(rollout, await this.nodesOf(em, id));
  }

  async list(): Promise<RolloutListView> {
    const em = this.em.fork();
    const rollouts = await em.find(
      RolloutEntity,
      {},
      { orderBy: { createdAt: 'desc' }, limit: LISTED_ROLLOUTS },
    );
    if (rollouts.length === 0) return { rollouts: [] };
    const nodes = await em.find(
      RolloutNodeEntity,
      { rolloutId: { $in: rollouts.map((rollout) => rollout.id) } },
      { orderBy: { wave: 'asc', nodeId: 'asc' } },
    );
    return {
      rollouts: rollouts.map((rollout) =>
        toRolloutView(
          rollout,
          nodes.filter((node) => node.rolloutId === rollout.id),
        ),
      ),
    };
  }

  async command(id: string, cmd: RolloutCommand, context: CommandContext): Promise<RolloutView> {
    const em = this.em.fork();
    const rollout = await em.findOne(RolloutEntity, { id });
    if (!rollout) throw notFound('rollout', id);
    const nodes = await this.nodesOf(em, id);
    if (cmd === 'resume' && rollout.status === 'halted') await this.replanRefused(rollout, nodes, context);
    const run = async (tx: EntityManager) => {
      const afterCommit = await this.apply(tx, rollout, nodes, cmd, context);
      await tx.flush();
      return afterCommit;
    };
    try {
      const afterCommit =
        cmd === 'rollback'
          ? await this.reserving(
              em,
              rollout.waves.flatMap((wave) => wave.node_ids),
              (tx) => tx.transactional(run),
            )
          : await em.transactional(run);
      await afterCommit();
    } catch (error) {
      if (error instanceof OptimisticLockError)
        throw conflict(`rollout ${id} moved on while the command was made; read it again and retry`);
      throw error;
    }
    return toRolloutView(rollout, nodes);
  }

  /** The command's effect on the rollout and its nodes, its event and its webhook, in the caller's transaction. */
  private async apply(
    tx: EntityManager,
    rollout: RolloutEntity,
    nodes: readonly RolloutNodeEntity[],
    cmd: RolloutCommand,
    context: CommandContext,
  ): Promise<AfterCommit> {
    const changed = new Set(
      nodes.filter((node) => CHANGED_NODE_STATUSES.includes(node.status)).map((node) => node.nodeId),
    );
    const transition = command(
      { status: rollout.status, direction: rollout.direction },
      cmd,
      changed.size > 0 && this.changes.canRevert(rollout.kind),
    );
    if (!transition.ok) throw conflict(`rollout ${rollout.id}: ${transition.reason}`);
    const wasHalted = rollout.status === 'halted';
    rollout.status = transition.state.status;
    rollout.direction = transition.state.direction;
    if (cmd === 'start')
      this.enter(
        rollout,
        rollout.waves.map((wave) => wave.index),
      );
    if (cmd === 'rollback')
      this.enter(
        rollout,
        rollbackWaves(
          rollout.waves.map((wave) => wave.node_ids),
          changed,
        ),
      );
    if (cmd === 'resume') {
      // A halted wave runs its gates again from a fresh baseline; a paused bake bakes for its whole time again.
      if (wasHalted) this.restartPhase(rollout, 'baseline');
      else if (rollout.phase === 'bake') rollout.phaseStartedAt = new Date();
      rollout.halt = null;
    }
    if (cmd === 'abort') await this.store.release(tx, rollout.id);
    if (cmd === 'rollback') await this.store.reserve(tx, rollout.id);
    tx.persist(rollout);
    await this.journal.record(
      tx,
      rollout,
      {
        aggregateType: 'rollout',
        type: 'rollout.commanded',
        payload: { command: cmd, status: rollout.status },
      },
      context,
    );
    return cmd === 'start'
      ? this.journal.notify(tx, rollout, 'rollout.started', null)
      : async () => undefined;
  }

  private enter(rollout: RolloutEntity, order: number[]): void {
    rollout.order = order;
    rollout.cursor = 0;
    rollout.halt = null;
    this.restartPhase(rollout, 'baseline');
  }

  private restartPhase(rollout: RolloutEntity, phase: 'baseline'): void {
    rollout.phase = phase;
    rollout.phaseStartedAt = new Date();
    rollout.progress = null;
  }

  /** A node whose plan went stale gets a new one before its wave goes on. */
  private async replanRefused(
    change: RolloutChange,
    nodes: readonly RolloutNodeEntity[],
    context: CommandContext,
  ): Promise<void> {
    for (const node of nodes) {
      if (node.result?.status !== 'refused') continue;
      Object.assign(node, await this.changes.plan(change, node.nodeId, context));
      node.status = 'pending';
      node.result = null;
    }
  }

  /** A template rollout pins the version asked for (the latest by default); otherwise a reconcile. */
  private async changeOf(dto: CreateRolloutDto): Promise<RolloutChange> {
    if (dto.template_id === undefined) {
      if (dto.template_version !== undefined)
        throw badRequest('template_version', 'template_version needs template_id');
      return { kind: 'reconcile', templateId: null, templateVersion: null };
    }
    const template = await this.templates.get(dto.template_id);
    const version = dto.template_version ?? template.version;
    if (version > template.version)
      throw badRequest('template_version', `template ${template.name} has no version ${version}`);
    return { kind: 'template', templateId: template.id, templateVersion: version };
  }

  /**
   * The nodes given (node_ids), or carrying the tag, or else following the template; node_ids and tag
   * together take the given nodes that carry the tag.
   */
  private async selectNodes(em: EntityManager, dto: CreateRolloutDto): Promise<NodeEntity[]> {
    const tagged =
      dto.tag === undefined ? null : new Set(await this.nodeRecords.listIdsByTag(em, [this.tag(dto.tag)]));
    let nodes: NodeEntity[];
    if (dto.node_ids) {
      nodes = await this.nodeRecords.byIds(em, dto.node_ids);
      const unknown = dto.node_ids.filter((id) => !nodes.some((node) => node.id === id));
      if (unknown.length > 0)
        throw new ApiError(HttpStatus.NOT_FOUND, 'not_found', `node_ids: no node ${unknown.join(', ')}`);
    } else if (tagged) {
      nodes = await this.nodeRecords.byIds(em, [...tagged]);
    } else if (dto.template_id !== undefined) {
      nodes = await this.nodeRecords.followingTemplate(em, dto.template_id);
      if (nodes.length === 0) throw badRequest('template_id', `no node follows template ${dto.template_id}`);
    } else {
      throw badRequest('node_ids', 'name the nodes: node_ids, tag, or a template_id its followers pin');
    }
    if (tagged) nodes = nodes.filter((node) => tagged.has(node.id));
    if (nodes.length === 0) throw badRequest('tag', `no node carries ${dto.tag}`);
    return nodes;
  }

  private tag(text: string): TagSelector {
    try {
      return parseTagSelector(text);
    } catch (error) {
      if (error instanceof TagSelectorError) throw badRequest('tag', error.message);
      throw error;
    }
  }

  private planWaves(order: string[], dto: CreateRolloutDto): string[][] {
    try {
      return planWaves(order, waveSpecs(dto.waves));
    } catch (error) {
      if (error instanceof WavePlanError) throw badRequest(error.field, error.message);
      throw error;
    }
  }

  private async assertFree(em: EntityManager, nodeIds: readonly string[]): Promise<void> {
    const busy = await this.store.busyNodes(em, nodeIds);
    if (busy.length === 0) return;
    throw conflict(
      `node ${busy[0].node_id} is in rollout ${busy[0].rollout_id}, which has not finished`,
      busy.map((row) => ({
        field: 'node_ids',
        message: `node ${row.node_id} is in rollout ${row.rollout_id}`,
      })),
    );
  }

  /** Runs `write`; when the one-rollout-per-node index refuses it, a 409 naming the node. */
  private async reserving<T>(
    em: EntityManager,
    nodeIds: readonly string[],
    write: (em: EntityManager) => Promise<T>,
  ): Promise<T> {
    try {
      return await write(em);
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      await this.assertFree(this.em.fork(), nodeIds);
      throw error;
    }
  }

  private nodesOf(em: EntityManager, rolloutId: string): Promise<RolloutNodeEntity[]> {
    return em.find(RolloutNodeEntity, { rolloutId }, { orderBy: { wave: 'asc', nodeId: 'asc' } });
  }
}
