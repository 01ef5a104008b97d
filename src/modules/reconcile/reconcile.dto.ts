import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsUUID } from 'class-validator';
import { OptionalNotNull } from '../../common/validation/optional';
import { RECONCILE_MODES, ReconcileMode, ReconcileOptions } from '../node-apply/domain/reconcile-plan';

/** Options of a reconcile (docs/API.md, Drift reports and repairs); a field left out takes its default. */
export class ReconcileOptionsDto {
  @ApiPropertyOptional({ default: true, description: 'add enabled peers the node lacks' })
  @OptionalNotNull()
  @IsBoolean()
  reconcile_missing?: boolean;

  @ApiPropertyOptional({
    default: true,
    description: 'repair peers whose settings differ, and the listen port',
  })
  @OptionalNotNull()
  @IsBoolean()
  reconcile_mismatched?: boolean;

  @ApiPropertyOptional({ default: true, description: 'remove peers the panel deleted or disabled' })
  @OptionalNotNull()
  @IsBoolean()
  remove_orphaned?: boolean;

  @ApiPropertyOptional({ default: false, description: 'remove peers the panel never managed' })
  @OptionalNotNull()
  @IsBoolean()
  remove_unknown?: boolean;

  @ApiPropertyOptional({ enum: RECONCILE_MODES, enumName: 'ReconcileMode', default: 'batch' })
  @OptionalNotNull()
  @IsIn(RECONCILE_MODES, { message: `mode must be one of ${RECONCILE_MODES.join(', ')}` })
  mode?: ReconcileMode;

  @ApiPropertyOptional({
    default: false,
    description: 'only answer the plan (with a plan_id to apply it later)',
  })
  @OptionalNotNull()
  @IsBoolean()
  dry_run?: boolean;

  @ApiPropertyOptional({ description: 'apply exactly this dry-run plan, or 409 if the state moved since' })
  @OptionalNotNull()
  @IsUUID(undefined, { message: 'plan_id must be the UUID of a dry-run plan' })
  plan_id?: string;

  @ApiPropertyOptional({ default: false, description: 'allow leaving a node that has peers with none' })
  @OptionalNotNull()
  @IsBoolean()
  allow_empty?: boolean;
}

export class BulkReconcileDto extends ReconcileOptionsDto {
  @ApiPropertyOptional({ description: 'nodes to reconcile; every enabled node when omitted' })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsUUID(undefined, { each: true, message: 'node_ids must be a list of node UUIDs' })
  node_ids?: string[];
}

/** Only the options the caller gave, so defaults (or a stored plan's options) fill the rest. */
export function givenOptions(dto: ReconcileOptionsDto): Partial<ReconcileOptions> {
  const {
    reconcile_missing,
    reconcile_mismatched,
    remove_orphaned,
    remove_unknown,
    mode,
    dry_run,
    plan_id,
    allow_empty,
  } = dto;
  const given: Partial<ReconcileOptions> = {
    reconcile_missing,
    reconcile_mismatched,
    remove_orphaned,
    remove_unknown,
    mode,
    dry_run,
    plan_id,
    allow_empty,
  };
  return Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
}
