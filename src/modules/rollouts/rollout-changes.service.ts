import { EntityManager } from '@mikro-orm/postgresql';
import { HttpStatus, Injectable } from '@nestjs/common';
import { CommandContext } from '../../common/auth/auth.decorators';
import { ApiError } from '../../common/http/api-error';
import { NodeInspector } from '../node-apply';
import { NodesStore } from '../nodes';
import { ReconcileService } from '../reconcile';
import type { CounterSample } from './domain/gates';
import type { Gate, RolloutKind } from './rollout.entity';

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

/**
 * A rollout's change on one node, through the reconcile API: a dry run stores the exact plan (plan_id), and
 * applying it is a reconcile job with that plan_id, which refuses a plan whose node moved since (plan_stale).
 */
@Injectable()
export class RolloutChanges {
  constructor(
    private readonly reconcile: ReconcileService,
    private readonly inspector: NodeInspector,
    private readonly nodeRecords: NodesStore,
  ) {}

  /** Whether a rollout of this kind can go back: a reconcile to the desired state has no previous state. */
  canRevert(_kind: RolloutKind): boolean {
    return false;
  }

  /** The node's previous state applied again; a reconcile rollout has none (canRevert is false). */
  async revert(kind: RolloutKind, nodeId: string, _context: CommandContext): Promise<ApplyStart> {
    return {
      gate: 'plan',
      reason: `a ${kind} rollout has no previous state of node ${nodeId} to go back to`,
    };
  }

  async plan(nodeId: string, context: CommandContext): Promise<string> {
    const answer = await this.reconcile.reconcileNode(nodeId, { dry_run: true }, context);
    if (answer.status !== HttpStatus.OK) throw new Error(`a dry run of node ${nodeId} queued a job`);
    return answer.body.plan_id;
  }

  async apply(nodeId: string, planId: string, context: CommandContext): Promise<ApplyStart> {
    try {
      const answer = await this.reconcile.reconcileNode(nodeId, { plan_id: planId }, context);
      if (answer.status !== HttpStatus.ACCEPTED)
        return { gate: 'plan', reason: `plan ${planId} was not applied` };
      return { job_id: answer.body.job_id };
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const gate: Gate = error.code === 'agent_unavailable' ? 'agent' : 'plan';
      return { gate, reason: error.text };
    }
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
}
