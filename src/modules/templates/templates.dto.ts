import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import type { ClientRoutes } from '../../common/domain/desired-state';
import { OptionalNotNull } from '../../common/validation/optional';
import {
  IsCidrList,
  IsClientRoutes,
  IsDomainNameList,
  IsIpAddressList,
  IsName,
} from '../../common/validation/validators';
import type { TemplateSettingsInput } from './domain/template-settings';

const MAX_FWMARK = 2 ** 32 - 1;

/**
 * A template's settings (docs/API.md, Templates), validated like a node's overrides. In a request null, like a
 * key left out, means "not set by the template"; a PATCH merges them into the latest version's, key by key.
 */
export class TemplateSettingsDto implements TemplateSettingsInput {
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: 65535 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  override_listen_port?: number | null;

  @ApiPropertyOptional({ type: String, isArray: true, nullable: true, example: ['10.0.0.53'] })
  @IsOptional()
  @IsIpAddressList({ maxItems: 8 })
  override_dns?: string[] | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1280, maximum: 9000 })
  @IsOptional()
  @IsInt()
  @Min(1280)
  @Max(9000)
  override_mtu?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 65535 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  override_keepalive?: number | null;

  @ApiPropertyOptional({ type: String, isArray: true, nullable: true, example: ['10.0.0.0/8'] })
  @IsOptional()
  @IsCidrList({ maxItems: 64 })
  override_endpoint_allowed_ip?: string[] | null;

  @ApiPropertyOptional({
    type: String,
    isArray: true,
    nullable: true,
    example: ['corp.example'],
    description: "search domains, written after the DNS servers in clients' `DNS =` line",
  })
  @IsOptional()
  @IsDomainNameList({ maxItems: 8 })
  client_dns_search?: string[] | null;

  @ApiPropertyOptional({
    nullable: true,
    description:
      "clients' AllowedIPs as a preset: full tunnel (0.0.0.0/0, ::/0) or only the listed networks; " +
      'override_endpoint_allowed_ip, when also set, wins',
    oneOf: [
      {
        type: 'object',
        properties: { mode: { type: 'string', enum: ['full'] } },
        required: ['mode'],
      },
      {
        type: 'object',
        properties: {
          mode: { type: 'string', enum: ['split'] },
          networks: { type: 'array', items: { type: 'string' }, example: ['10.0.0.0/8'] },
        },
        required: ['mode', 'networks'],
      },
    ],
  })
  @IsOptional()
  @IsClientRoutes()
  client_routes?: ClientRoutes | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1280,
    maximum: 9000,
    description: "the server interface's MTU, set by the agent",
  })
  @IsOptional()
  @IsInt()
  @Min(1280)
  @Max(9000)
  interface_mtu?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 0,
    maximum: MAX_FWMARK,
    description: "the server interface's firewall mark, set by the agent; 0 clears it",
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_FWMARK)
  fwmark?: number | null;
}

export class CreateTemplateDto {
  @ApiProperty({ example: 'branch-office' })
  @IsString()
  @Length(1, 64)
  @IsName()
  name!: string;

  @ApiPropertyOptional({ type: TemplateSettingsDto, default: {} })
  @OptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => TemplateSettingsDto)
  settings?: TemplateSettingsDto;
}

/** Any change makes a new version; settings merge into the latest version's (null removes a key). */
export class UpdateTemplateDto {
  @ApiPropertyOptional({ example: 'branch-office' })
  @OptionalNotNull()
  @IsString()
  @Length(1, 64)
  @IsName()
  name?: string;

  @ApiPropertyOptional({ type: TemplateSettingsDto })
  @OptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => TemplateSettingsDto)
  settings?: TemplateSettingsDto;

  @ApiPropertyOptional({ description: 'the version you read; a stale one is refused with 409' })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  version?: number;
}
