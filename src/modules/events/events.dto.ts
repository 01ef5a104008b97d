import { ApiPropertyOptional } from '@nestjs/swagger';
import { ACTOR_KINDS, type ActorKind } from '@wgfleet/protocol';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { LimitQuery } from '../../common/http/queries';

const EVENT_ORDERS = ['asc', 'desc'] as const;

export class ListEventsQuery extends LimitQuery {
  @ApiPropertyOptional({ description: 'only events of this node or peer' })
  @IsOptional()
  @IsUUID()
  aggregate_id?: string;

  @ApiPropertyOptional({ example: 'peer.created' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  type?: string;

  @ApiPropertyOptional({
    description: "only events of this actor: a user's or token's id, or a system component's name",
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;

  @ApiPropertyOptional({ enum: ACTOR_KINDS, description: 'only events of actors of this kind' })
  @IsOptional()
  @IsIn(ACTOR_KINDS, { message: `actor_kind must be one of: ${ACTOR_KINDS.join(', ')}` })
  actor_kind?: ActorKind;

  @ApiPropertyOptional({ description: 'global position to read after (the `next` of the previous page)' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'after must be a position (a whole number)' })
  after?: string;

  @ApiPropertyOptional({
    description: 'global position to read before (the `next` of the previous page with order=desc)',
  })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'before must be a position (a whole number)' })
  before?: string;

  @ApiPropertyOptional({ enum: EVENT_ORDERS, description: 'asc (default): oldest first; desc: newest first' })
  @IsOptional()
  @IsIn(EVENT_ORDERS, { message: `order must be one of: ${EVENT_ORDERS.join(', ')}` })
  order?: (typeof EVENT_ORDERS)[number];
}
