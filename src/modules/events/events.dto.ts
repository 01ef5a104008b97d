import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { LimitQuery } from '../../common/http/queries';

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
}
