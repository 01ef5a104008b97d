import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsInt,
  IsNumber,
  IsString,
  IsUUID,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { OptionalNotNull } from '../../common/validation/optional';
import type { WaveSpec } from './domain/waves';

export const DEFAULT_BAKE_S = 60;
export const DEFAULT_MIN_TRAFFIC_RETENTION = 90;
const MAX_ROLLOUT_NODES = 10_000;

/** One wave: a cumulative percent of the rollout's nodes, this many more nodes, or exactly these nodes. */
export class WaveSpecDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, description: 'cumulative share of the nodes, in percent' })
  @ValidateIf((wave: WaveSpecDto) => wave.node_ids === undefined && wave.count === undefined)
  @IsNumber({}, { message: 'percent must be a number (or give node_ids or count)' })
  @Min(1)
  @Max(100)
  percent?: number;

  @ApiPropertyOptional({ type: String, isArray: true, format: 'uuid' })
  @ValidateIf((wave: WaveSpecDto) => wave.node_ids !== undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsUUID(undefined, { each: true, message: 'node_ids must be a list of node UUIDs' })
  node_ids?: string[];

  @ApiPropertyOptional({
    minimum: 1,
    description: 'this many nodes more than the waves before (e.g. 1: a canary)',
  })
  @ValidateIf((wave: WaveSpecDto) => wave.count !== undefined)
  @IsInt()
  @Min(1)
  count?: number;
}

export class CreateRolloutDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: "pin this template's version on the nodes (its followers unless node_ids or tag say which)",
  })
  @OptionalNotNull()
  @IsUUID('all', { message: 'template_id must be a UUID' })
  template_id?: string;

  @ApiPropertyOptional({ minimum: 1, description: 'the version to pin; the latest by default' })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  template_version?: number;

  @ApiPropertyOptional({ example: 'region=eu', description: 'the nodes carrying this tag (key=value)' })
  @OptionalNotNull()
  @IsString()
  tag?: string;

  @ApiPropertyOptional({
    example: 'region',
    description:
      'order the nodes by the value of this tag key (nodes without it last), by name inside a value',
  })
  @OptionalNotNull()
  @IsString()
  order_by_tag?: string;

  @ApiPropertyOptional({
    type: String,
    isArray: true,
    format: 'uuid',
    description: 'the nodes to roll out to',
  })
  @OptionalNotNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ROLLOUT_NODES)
  @ArrayUnique()
  @IsUUID(undefined, { each: true, message: 'node_ids must be a list of node UUIDs' })
  node_ids?: string[];

  @ApiPropertyOptional({
    type: WaveSpecDto,
    isArray: true,
    description: 'waves in order; default one canary node, then 10 %, 50 %, the rest',
  })
  @OptionalNotNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => WaveSpecDto)
  waves?: WaveSpecDto[];

  @ApiPropertyOptional({ default: DEFAULT_BAKE_S, minimum: 0, maximum: 3600 })
  @OptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(3600)
  bake_s?: number;

  @ApiPropertyOptional({ default: DEFAULT_MIN_TRAFFIC_RETENTION, minimum: 0, maximum: 100 })
  @OptionalNotNull()
  @IsNumber()
  @Min(0)
  @Max(100)
  min_traffic_retention?: number;

  @ApiPropertyOptional({
    default: false,
    description:
      'store the rollout as planned (start it with POST /api/rollouts/{id}/start) instead of starting it',
  })
  @OptionalNotNull()
  @IsBoolean()
  dry_run?: boolean;
}

export function waveSpecs(waves: readonly WaveSpecDto[] | undefined): WaveSpec[] | undefined {
  return waves?.map((wave) =>
    wave.node_ids !== undefined
      ? { node_ids: wave.node_ids }
      : wave.count !== undefined
        ? { count: wave.count }
        : { percent: wave.percent! },
  );
}
