import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { TrafficReading } from './domain/gates';
import { ROLLOUT_STATUSES, RolloutDirection, RolloutStatus } from './domain/rollout-state';
import {
  GATES,
  Gate,
  GateCheck,
  ROLLOUT_KINDS,
  ROLLOUT_NODE_STATUSES,
  RolloutEntity,
  RolloutHalt,
  RolloutKind,
  RolloutNodeEntity,
  RolloutNodeResult,
  RolloutNodeStatus,
  RolloutPhase,
  WAVE_STATUSES,
  WaveGates,
  WaveStatus,
} from './rollout.entity';

/* Response classes of the rollouts API (docs/API.md, Rollouts); each implements the stored type it shows. */

export class GateCheckView implements GateCheck {
  @ApiProperty({ enum: ['pass', 'fail', 'pending'] })
  verdict!: 'pass' | 'fail' | 'pending';

  @ApiProperty()
  detail!: string;
}

export class TrafficReadingView implements TrafficReading {
  @ApiProperty({ description: 'peers of the wave passing traffic before the change' })
  active!: number;

  @ApiProperty({ description: 'of those, the ones seen passing traffic since' })
  passing!: number;

  @ApiProperty({ description: 'passing / active in percent; 100 with no active peers' })
  retention!: number;

  @ApiProperty()
  required!: number;

  @ApiProperty({ enum: ['pass', 'fail', 'baking'] })
  verdict!: 'pass' | 'fail' | 'baking';

  @ApiProperty()
  detail!: string;
}

export class WaveGatesView implements WaveGates {
  @ApiProperty({ type: GateCheckView, description: 'every node of the wave applied and verified in sync' })
  sync!: GateCheckView;

  @ApiProperty({ type: GateCheckView, description: 'every agent of the wave answering' })
  agent!: GateCheckView;

  @ApiProperty({ type: TrafficReadingView, nullable: true, description: 'null until the wave bakes' })
  traffic!: TrafficReadingView | null;
}

export class RolloutWaveView {
  @ApiProperty()
  index!: number;

  @ApiProperty({ type: String, isArray: true, format: 'uuid' })
  node_ids!: string[];

  @ApiProperty({ enum: WAVE_STATUSES, enumName: 'RolloutWaveStatus' })
  status!: WaveStatus;

  @ApiProperty({ type: WaveGatesView, nullable: true })
  gates!: WaveGatesView | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  started_at!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  passed_at!: string | null;
}

export class RolloutHaltView implements RolloutHalt {
  @ApiProperty()
  wave!: number;

  @ApiPropertyOptional({ format: 'uuid' })
  node_id?: string;

  @ApiProperty({ enum: GATES, enumName: 'RolloutGate' })
  gate!: Gate;

  @ApiProperty()
  reason!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

export class RolloutNodeResultView implements RolloutNodeResult {
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  job_id!: string | null;

  @ApiProperty({ enum: ['succeeded', 'failed', 'refused'] })
  status!: 'succeeded' | 'failed' | 'refused';

  @ApiProperty({ type: String, nullable: true })
  error!: string | null;

  @ApiProperty({ type: Boolean, nullable: true })
  verified!: boolean | null;
}

export class RolloutNodeView {
  @ApiProperty({ format: 'uuid' })
  node_id!: string;

  @ApiProperty()
  wave!: number;

  @ApiProperty({ format: 'uuid' })
  plan_id!: string;

  @ApiProperty({ enum: ROLLOUT_NODE_STATUSES, enumName: 'RolloutNodeStatus' })
  status!: RolloutNodeStatus;

  @ApiProperty({ type: RolloutNodeResultView, nullable: true })
  result!: RolloutNodeResultView | null;
}

export class RolloutOptionsView {
  @ApiProperty()
  bake_s!: number;

  @ApiProperty()
  min_traffic_retention!: number;
}

export class RolloutView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: ROLLOUT_KINDS, enumName: 'RolloutKind' })
  kind!: RolloutKind;

  @ApiProperty({ enum: ROLLOUT_STATUSES, enumName: 'RolloutStatus' })
  status!: RolloutStatus;

  @ApiProperty({ enum: ['forward', 'back'], description: 'back while (and after) rolling back' })
  direction!: RolloutDirection;

  @ApiProperty({ type: RolloutOptionsView })
  options!: RolloutOptionsView;

  @ApiProperty({ type: RolloutWaveView, isArray: true })
  waves!: RolloutWaveView[];

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', format: 'uuid' },
    description: 'node id → the id of the exact dry-run plan it gets',
  })
  plans!: Record<string, string>;

  @ApiProperty({ type: RolloutNodeView, isArray: true })
  nodes!: RolloutNodeView[];

  @ApiProperty({ type: Number, nullable: true, description: 'the wave being applied, baked or halted at' })
  current_wave!: number | null;

  @ApiProperty({ type: String, enum: ['baseline', 'apply', 'verify', 'bake'], nullable: true })
  phase!: RolloutPhase | null;

  @ApiProperty({ type: RolloutHaltView, nullable: true })
  halt!: RolloutHaltView | null;

  @ApiProperty({ type: String, nullable: true })
  requested_by!: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;
}

export class RolloutListView {
  @ApiProperty({ type: RolloutView, isArray: true, description: 'newest first' })
  rollouts!: RolloutView[];
}

export function currentWave(rollout: RolloutEntity): number | null {
  if (rollout.status === 'planned' || rollout.order.length === 0) return null;
  return rollout.order[Math.min(rollout.cursor, rollout.order.length - 1)] ?? null;
}

export function toRolloutView(rollout: RolloutEntity, nodes: readonly RolloutNodeEntity[]): RolloutView {
  return {
    id: rollout.id,
    kind: rollout.kind,
    status: rollout.status,
    direction: rollout.direction,
    options: rollout.options,
    waves: rollout.waves,
    plans: Object.fromEntries(nodes.map((node) => [node.nodeId, node.planId])),
    nodes: nodes.map((node) => ({
      node_id: node.nodeId,
      wave: node.wave,
      plan_id: node.planId,
      status: node.status,
      result: node.result,
    })),
    current_wave: currentWave(rollout),
    phase: rollout.phase,
    halt: rollout.halt,
    requested_by: rollout.requestedBy,
    created_at: rollout.createdAt.toISOString(),
    updated_at: rollout.updatedAt.toISOString(),
  };
}
