import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Min,
} from 'class-validator';
import { OptionalNotNull } from '../../common/validation/optional';
import { IsName } from '../../common/validation/validators';
import type { WebhookEventType } from './domain/payload-format';
import { WEBHOOK_EVENT_TYPES } from './notification-event';
import { WEBHOOK_FORMATS, WebhookFormat } from './webhook-subscription.entity';

export class CreateWebhookDto {
  @ApiProperty({
    example: 'https://hooks.example.com/wgfleet',
    description:
      'http(s) URL; loopback, private and link-local targets are refused unless WEBHOOK_ALLOW_PRIVATE',
  })
  @IsString()
  @Length(1, 2000)
  url!: string;

  @ApiPropertyOptional({
    enum: WEBHOOK_EVENT_TYPES,
    enumName: 'WebhookEventType',
    isArray: true,
    description: 'every type but the audit ones (`audit.*`, asked for by name) when omitted',
  })
  @OptionalNotNull()
  @IsArray()
  @ArrayNotEmpty({
    message: 'events must not be empty: leave it out to receive every event type but audit.*',
  })
  @ArrayUnique({ message: 'events must not list a type twice' })
  @IsIn(WEBHOOK_EVENT_TYPES, {
    each: true,
    message: `events may only hold ${WEBHOOK_EVENT_TYPES.join(', ')}`,
  })
  events?: WebhookEventType[];

  @ApiPropertyOptional({ default: true })
  @OptionalNotNull()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ enum: WEBHOOK_FORMATS, enumName: 'WebhookFormat', default: 'json' })
  @OptionalNotNull()
  @IsIn(WEBHOOK_FORMATS, { message: 'format must be json or slack' })
  format?: WebhookFormat;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'on-call channel' })
  @IsOptional()
  @IsString()
  @Length(0, 500)
  @IsName()
  description?: string | null;
}

export class UpdateWebhookDto extends PartialType(CreateWebhookDto, { skipNullProperties: false }) {
  @ApiPropertyOptional({ description: 'the version you read; a stale one is refused with 409' })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  version?: number;
}
