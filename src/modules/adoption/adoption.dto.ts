import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsUUID,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';
import { OptionalNotNull } from '../../common/validation/optional';
import { IsWireGuardKey } from '../../common/validation/validators';
import { namesShapeProblem } from './domain/adopted-names';

/** Public key → peer name, each a valid peer name given to one key only. */
function IsPeerNamesByKey(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPeerNamesByKey',
      validator: {
        validate: (value, args) => namesShapeProblem(value, args?.property ?? 'names') === null,
        defaultMessage: (args) => {
          const field = args?.property ?? 'names';
          return namesShapeProblem(args?.value, field) ?? `${field} is invalid`;
        },
      },
    },
    options,
  );
}

/** `POST /api/nodes/{id}/adopt` (docs/API.md, adoption). */
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

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=': 'alice-laptop' },
    description:
      'public key → the name its peer is adopted under (unique on the node); a peer without one is named by its ' +
      'address. With plan_id, these replace the names of the plan.',
  })
  @OptionalNotNull()
  @IsPeerNamesByKey()
  names?: Record<string, string>;
}
