import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { CommandContext } from '../../common/auth/auth.decorators';
import { badRequest, conflict, notFound } from '../../common/http/api-error';
import { ClusterMemberStates, ClusterReader } from '../clusters';
import { EventStore } from '../events';
import { NodesStore } from '../nodes';
import { ClusterChecker } from './cluster-checker.service';
import {
  CLUSTER_HEALTH_AGGREGATE,
  CLUSTER_MEMBER_DRAINING,
  CLUSTER_MEMBER_UNDRAINED,
  type ClusterHealthEvent,
} from './cluster-health.events';
import { endpointAddress } from './domain/member-check';
import { planDrainAddresses, PublishableMember } from './domain/member-health';
import { DrainRecords, MemberPlan } from './drain-records';
import type { MemberPlanDto } from './cluster-health.dto';

const REFUSALS = {
  not_a_member: 'is not a member of this cluster',
  already_draining: 'is draining already',
  last_published_member: 'is the last member DNS publishes: draining it would leave the name with no address',
} as const;

/**
 * Drain and undrain as plans the operator reviews: a dry run answers what DNS will hold and the steps, and only
 * running that plan (by its id, once, within PLAN_TTL_S) changes anything. A plan whose cluster moved since
 * (another member went down, another drain ran) is refused with 409, to be planned again.
 */
@Injectable()
export class MemberDrains {
  constructor(
    private readonly orm: MikroORM,
    private readonly clusters: ClusterReader,
    private readonly memberStates: ClusterMemberStates,
    private readonly nodes: NodesStore,
    private readonly events: EventStore,
    private readonly records: DrainRecords,
    private readonly checker: ClusterChecker,
  ) {}

  async handle(
    action: MemberPlan['action'],
    clusterId: string,
    nodeId: string,
    body: MemberPlanDto,
    context: CommandContext,
  ): Promise<MemberPlan & { status: 'planned' | 'done' }> {
    if (body.plan_id === undefined && body.dry_run !== true) {
      throw badRequest(
        'plan_id',
        `plan_id is required unless dry_run is true: ask for the ${action} plan first`,
      );
    }
    if (body.plan_id === undefined) {
      const plan = await this.plan(action, clusterId, nodeId);
      await this.records.savePlan(plan);
      return { ...plan, status: 'planned' };
    }
    const plan = await this.records.takePlan(body.plan_id);
    if (!plan || plan.action !== action || plan.cluster_id !== clusterId || plan.node_id !== nodeId) {
      throw notFound(`${action} plan`, body.plan_id);
    }
    const now = await this.plan(action, clusterId, nodeId);
    if (now.addresses_after.join() !== plan.addresses_after.join()) {
      throw conflict(`the cluster changed since the ${action} plan was made: plan again`, {
        planned: plan.addresses_after,
        now: now.addresses_after,
      });
    }
    await this.run(plan, context);
    return { ...plan, status: 'done' };
  }

  private async plan(action: MemberPlan['action'], clusterId: string, nodeId: string): Promise<MemberPlan> {
    const em = this.orm.em.fork();
    const cluster = await this.clusters.find(em, clusterId);
    if (!cluster) throw notFound('cluster', clusterId);
    const members = (await this.clusters.all(em)).find((c) => c.cluster.id === clusterId)?.members ?? [];
    const nodes = await this.nodes.byIds(
      em,
      members.map((m) => m.nodeId),
    );
    const publishable: PublishableMember[] = members.flatMap((member) => {
      const address = endpointAddress(nodes.find((n) => n.id === member.nodeId)?.endpoint ?? '');
      return address === null ? [] : [{ nodeId: member.nodeId, health: member.health, address }];
    });
    const before = publishable
      .filter((m) => members.find((member) => member.nodeId === m.nodeId)?.published)
      .map((m) => m.address)
      .sort();
    const base = {
      plan_id: randomUUID(),
      action,
      cluster_id: clusterId,
      node_id: nodeId,
      created_at: new Date().toISOString(),
    };
    if (action === 'drain') {
      const verdict = planDrainAddresses(publishable, nodeId);
      if (!verdict.ok)
        throw conflict(`node ${nodeId} ${REFUSALS[verdict.reason]}`, { reason: verdict.reason });
      return {
        ...base,
        addresses_before: before,
        addresses_after: verdict.addresses,
        steps: [
          verdict.addresses.length > 0
            ? `publish ${verdict.addresses.join(', ')} for ${cluster.endpointHost} (the member leaves DNS)`
            : `nothing to publish: the member is not in DNS and no member is healthy (DNS keeps its last set)`,
          'wait until no client has a live session with the member (or CLUSTER_DRAIN_TIMEOUT_S)',
          'leave the member in maintenance (draining) until undrained',
        ],
      };
    }
    const member = members.find((m) => m.nodeId === nodeId);
    if (!member) throw notFound('cluster member', nodeId);
    if (member.health !== 'draining')
      throw conflict(`node ${nodeId} is not draining`, { reason: 'not_draining' });
    const own = publishable.find((m) => m.nodeId === nodeId)?.address;
    const after = [...new Set([...before, ...(own ? [own] : [])])].sort();
    return {
      ...base,
      addresses_before: before,
      addresses_after: after,
      steps: [
        'end maintenance: the member is checked like any other',
        `publish it in ${cluster.endpointHost} once its checks pass (CLUSTER_HEALTHY_AFTER)`,
      ],
    };
  }

  private async run(plan: MemberPlan, context: CommandContext): Promise<void> {
    const at = new Date();
    await this.orm.em.fork().transactional(async (tx) => {
      const health = plan.action === 'drain' ? 'draining' : 'unhealthy';
      await this.memberStates.setHealth(tx, plan.node_id, health, at);
      await this.events.append<ClusterHealthEvent>(
        tx,
        {
          aggregateType: CLUSTER_HEALTH_AGGREGATE,
          aggregateId: randomUUID(),
          type: plan.action === 'drain' ? CLUSTER_MEMBER_DRAINING : CLUSTER_MEMBER_UNDRAINED,
          payload: { cluster_id: plan.cluster_id, node_id: plan.node_id, plan_id: plan.plan_id },
        },
        0,
        context,
      );
    });
    if (plan.action === 'drain') {
      await this.records.start(plan.node_id, plan.plan_id, at);
      // Out of DNS now, not at the next round: the drain's wait starts from here.
      await this.checker.publishNow(plan.cluster_id);
    } else {
      await this.records.finish(plan.node_id);
    }
  }
}
