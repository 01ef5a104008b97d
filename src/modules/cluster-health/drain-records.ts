import { Injectable } from '@nestjs/common';
import { RedisConnection } from '../../common/redis/redis.module';

/** A drain or undrain plan as the operator reviewed it (docs/API.md, Clusters). */
export interface MemberPlan {
  plan_id: string;
  action: 'drain' | 'undrain';
  cluster_id: string;
  node_id: string;
  /** What DNS holds now, per the panel, and what it will hold once the plan ran. */
  addresses_before: string[];
  addresses_after: string[];
  steps: string[];
  created_at: string;
}

/** A plan may be run this long after its dry run; after that the operator asks again. */
export const PLAN_TTL_S = 600;

/**
 * Plans between their dry run and their run, and drains in progress, kept in Redis so any panel instance can run a
 * plan another made, and the instance checking the cluster sees the drain.
 */
@Injectable()
export class DrainRecords {
  constructor(private readonly redis: RedisConnection) {}

  async savePlan(plan: MemberPlan): Promise<void> {
    await this.redis.client.set(
      `wgfleet:cluster-plan:${plan.plan_id}`,
      JSON.stringify(plan),
      'EX',
      PLAN_TTL_S,
    );
  }

  /** The plan, taken (a plan runs once), or null when unknown or expired. */
  async takePlan(planId: string): Promise<MemberPlan | null> {
    const text = await this.redis.client.getdel(`wgfleet:cluster-plan:${planId}`);
    return text === null ? null : parsePlan(text);
  }

  async start(nodeId: string, planId: string, at: Date): Promise<void> {
    await this.redis.client.set(
      `wgfleet:cluster-drain:${nodeId}`,
      JSON.stringify({ planId, startedAt: at.getTime() }),
    );
  }

  async active(nodeId: string): Promise<{ planId: string; startedAt: number } | null> {
    const text = await this.redis.client.get(`wgfleet:cluster-drain:${nodeId}`);
    if (text === null) return null;
    const value: unknown = JSON.parse(text);
    if (!isRecord(value) || typeof value.planId !== 'string' || typeof value.startedAt !== 'number')
      return null;
    return { planId: value.planId, startedAt: value.startedAt };
  }

  async finish(nodeId: string): Promise<void> {
    await this.redis.client.del(`wgfleet:cluster-drain:${nodeId}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

const strings = (value: unknown): string[] | null =>
  Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : null;

/** Only what this module wrote; anything else in the key (another version's shape) is no plan. */
function parsePlan(text: string): MemberPlan | null {
  const value: unknown = JSON.parse(text);
  if (!isRecord(value)) return null;
  const { plan_id, action, cluster_id, node_id, created_at } = value;
  const before = strings(value.addresses_before);
  const after = strings(value.addresses_after);
  const steps = strings(value.steps);
  if (
    typeof plan_id !== 'string' ||
    (action !== 'drain' && action !== 'undrain') ||
    typeof cluster_id !== 'string' ||
    typeof node_id !== 'string' ||
    typeof created_at !== 'string' ||
    !before ||
    !after ||
    !steps
  ) {
    return null;
  }
  return {
    plan_id,
    action,
    cluster_id,
    node_id,
    created_at,
    addresses_before: before,
    addresses_after: after,
    steps,
  };
}
