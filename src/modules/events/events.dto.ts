import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';

export class ListEventsQuery {
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

  @ApiPropertyOptional({ default: 100, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}
