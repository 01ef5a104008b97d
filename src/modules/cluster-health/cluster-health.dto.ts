import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsUUID } from 'class-validator';
import { OptionalNotNull } from '../../common/validation/optional';

/** `POST /api/clusters/{id}/members/{node_id}/drain|undrain` (docs/API.md, Clusters). */
export class MemberPlanDto {
  @ApiPropertyOptional({ default: false, description: 'only answer the plan, with a plan_id to run it' })
  @OptionalNotNull()
  @IsBoolean()
  dry_run?: boolean;

  @ApiPropertyOptional({ description: 'run exactly this plan (once), or 409 if the cluster moved since' })
  @OptionalNotNull()
  @IsUUID(undefined, { message: 'plan_id must be the UUID of a drain or undrain dry run' })
  plan_id?: string;
}
