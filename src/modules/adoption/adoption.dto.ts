import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsBoolean, IsUUID } from 'class-validator';
import { OptionalNotNull } from '../../common/validation/optional';
import { IsWireGuardKey } from '../../common/validation/validators';

/** `POST /api/nodes/{id}/adopt` (CONTRACT §5 Onboarding). */
export class AdoptPeersDto {
  @ApiPropertyOptional({ default: false, description: 'only answer the plan, with a plan_id to apply it' })
  @OptionalNotNull()
  @IsBoolean()
  dry_run?: boolean;

  @ApiPropertyOptional({ description: 'adopt exactly this dry-run plan, or 409 if the node moved since' })
  @OptionalNotNull()
  @IsUUID(undefined, { message: 'plan_id must be the UUID of an adoption dry run' })
  plan_id?: string;

  @ApiPropertyOptional({
    description: 'only these peers of the node (public keys); every peer the panel does not know when absent',
  })
  @OptionalNotNull()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(10000)
  @IsWireGuardKey({ each: true })
  public_keys?: string[];
}
