import { ApiPropertyOptional } from '@nestjs/swagger';
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
