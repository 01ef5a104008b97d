import { EntityManager } from '@mikro-orm/postgresql';
import { HttpStatus, Injectable } from '@nestjs/common';
import { CommandContext } from '../../common/auth/auth.decorators';
import type { TemplateSettings } from '../../common/domain/desired-state';
import { ApiError } from '../../common/http/api-error';
import { NodeInspector } from '../node-apply';
import { NodesService, NodesStore } from '../nodes';
import { DesiredStateReader, type DesiredSnapshot } from '../peers';
import { ReconcileService, stalePlan } from '../reconcile';
import { TemplatesService } from '../templates';
import type { CounterSample } from './domain/gates';
import type { Gate, RolloutKind, TemplatePin } from './rollout.entity';

/** An apply that did not start: the gate it fails and why (a stale plan, an agent that did not answer). */
export interface ApplyRefusal {
  gate: Gate;
  reason: string;
}

export type ApplyStart = { job_id: string } | ApplyRefusal;

export interface ApplyOutcome {
  done: boolean;
  succeeded: boolean;
  verified: boolean | null;
  error: string | null;
}

/** The change a rollout makes: a template version to pin, or (none) the desired state as it is. */
export interface RolloutChange {
  kind: RolloutKind;
  templateId: string | null;
  templateVersion: number | null;
}

export interface NodePlan {
  planId: string;
  previousPin: TemplatePin | null;
}

/**
 * A rollout's change on one node, through the reconcile API. Planning is a stored dry run of the state the node
 * will have (for a template rollout, its desired state with the new version's settings), so its plan_id names
 * exactly what will happen. Applying checks that plan still fits (else the plan_stale refusal), pins the
 * version when there is one, and runs a reconcile job that applies and verifies the node.
 */
@Injectable()
export class RolloutChanges {
  constructor(
    private readonly em: EntityManager,
    private readonly reconcile: ReconcileService,
    private readonly inspector: NodeInspector,
    private readonly nodeRecords: NodesStore,
    private readonly nodes: NodesService,
    private readonly desiredState: DesiredStateReader,
    private readonly templates: TemplatesService,
  ) {}

  /** A reconcile to the desired state has no previous state to go back to; a template pin has. */
  canRevert(kind: RolloutKind): boolean {
    return kind === 'template';
  }

  async plan(change: RolloutChange, nodeId: string, context: CommandContext): Promise<NodePlan> {
    if (change.kind === 'reconcile') {
      const answer = await this.reconcile.reconcileNode(nodeId, { dry_run: true }, context);
      if (answer.status !== HttpStatus.OK) throw new Error(`a dry run of node ${nodeId} queued a job`);
      return { planId: answer.body.plan_id, previousPin: null };
    }
    const snapshot = await this.changedSnapshot(change, nodeId);
    const { plan_id } = await this.reconcile.dryRunOf(snapshot, context);
    return {
      planId: plan_id,
      previousPin: { template_id: snapshot.node.templateId, template_version: snapshot.node.templateVersion },
    };
  }

  async apply(
    change: RolloutChange,
    nodeId: string,
    planId: string,
    context: CommandContext,
  ): Promise<ApplyStart> {
    return this.refusing(async () => {
      if (change.kind === 'reconcile') {
        const answer = await this.reconcile.reconcileNode(nodeId, { plan_id: planId }, context);
        if (answer.status !== HttpStatus.ACCEPTED)
          return { gate: 'plan', reason: `plan ${planId} was not applied` };
        return { job_id: answer.body.job_id };
      }
      if (!(await this.reconcile.planFits(planId, await this.changedSnapshot(change, nodeId))))
        return { gate: 'plan', reason: stalePlan(planId).text };
      await this.pin(
        nodeId,
        { template_id: change.templateId, template_version: change.templateVersion },
        context,
      );
      return this.reconcileNow(nodeId, context);
    });
  }

  /** The node's previous template pin again, applied and verified. */
  async revert(nodeId: string, previous: TemplatePin | null, context: CommandContext): Promise<ApplyStart> {
    return this.refusing(async () => {
      if (!previous)
        return { gate: 'plan', reason: `node ${nodeId} has no previous template pin to go back to` };
      await this.pin(nodeId, previous, context);
      return this.reconcileNow(nodeId, context);
    });
  }

  async outcome(jobId: string): Promise<ApplyOutcome> {
    const job = await this.reconcile.job(jobId);
    const done = job.status === 'succeeded' || job.status === 'failed';
    return {
      done,
      succeeded: job.status === 'succeeded',
      verified: job.result?.verified ?? null,
      error: job.error,
    };
  }

  /** The received bytes of every peer of the node now; throws when its agent does not answer. */
  async sample(em: EntityManager, nodeId: string): Promise<CounterSample> {
    const node = await this.nodeRecords.find(em, nodeId);
    if (!node) throw new Error(`node ${nodeId} no longer exists`);
    const dump = await this.inspector.observe(node);
    return {
      at: new Date().toISOString(),
      rx: Object.fromEntries(dump.peers.map((peer) => [peer.public_key, peer.transfer_rx])),
    };
  }

  /** The node's desired state as it will be with the change's template version pinned. */
  private async changedSnapshot(change: RolloutChange, nodeId: string): Promise<DesiredSnapshot> {
    const em = this.em.fork();
    const snapshot = await this.desiredState.desired(em, nodeId);
    const settings = await this.settingsOf(change);
    return { ...snapshot, desiredNode: { ...snapshot.desiredNode, template_settings: settings } };
  }

  private async settingsOf(change: RolloutChange): Promise<TemplateSettings> {
    if (!change.templateId || change.templateVersion === null)
      throw new Error('a template rollout names its template and version');
    return (await this.templates.version(change.templateId, change.templateVersion)).settings;
  }

  private async pin(nodeId: string, pin: TemplatePin, context: CommandContext): Promise<void> {
    await this.nodes.update(
      nodeId,
      pin.template_id === null
        ? { template_id: null }
        : { template_id: pin.template_id, template_version: pin.template_version },
      undefined,
      context,
    );
  }

  private async reconcileNow(nodeId: string, context: CommandContext): Promise<ApplyStart> {
    const answer = await this.reconcile.reconcileNode(nodeId, {}, context);
    if (answer.status !== HttpStatus.ACCEPTED)
      return { gate: 'sync', reason: `node ${nodeId} was not reconciled` };
    return { job_id: answer.body.job_id };
  }

  /** A refusal of the API (stale plan, agent down, node gone) as the gate it fails. */
  private async refusing(start: () => Promise<ApplyStart>): Promise<ApplyStart> {
    try {
      return await start();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const gate: Gate = error.code === 'agent_unavailable' ? 'agent' : 'plan';
      return { gate, reason: error.text };
    }
  }
}
