import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
} from 'class-validator';
import { OptionalNotNull } from '../../common/validation/optional';
import {
  IsCidrList,
  IsHostPort,
  IsIpAddressList,
  IsName,
  IsWireGuardKey,
} from '../../common/validation/validators';
import { ListQuery } from '../../common/http/queries';
import { QUOTA_PERIODS, type QuotaPeriod } from './domain/peer-lifecycle';

export class CreatePeerDto {
  @ApiProperty({ example: 'alice-laptop' })
  @IsString()
  @Length(1, 100)
  @IsName()
  name!: string;

  @ApiPropertyOptional({ description: 'bring your own key pair; the panel generates one when omitted' })
  @OptionalNotNull()
  @IsWireGuardKey()
  public_key?: string;

  @ApiPropertyOptional({
    description: 'tunnel addresses; the next free address of the pool when omitted',
    example: ['10.0.1.2/32'],
  })
  @OptionalNotNull()
  @IsCidrList({ maxItems: 64 })
  allowed_ips?: string[];

  @ApiPropertyOptional({
    description:
      "networks outside the node's pool the peer routes (a site's LAN); the node's allowed IPs for the peer " +
      'add them, the client config does not',
    example: ['192.168.60.0/24'],
    default: [],
  })
  @OptionalNotNull()
  @IsCidrList({ maxItems: 64, allowEmpty: true })
  routed_ips?: string[];

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      "host:port the node sends to (a site's gateway); null: wherever the peer last connected from. " +
      'Drift compares it when set',
    example: '203.0.113.9:51820',
  })
  @IsOptional()
  @IsHostPort()
  endpoint?: string | null;

  @ApiPropertyOptional({
    type: String,
    isArray: true,
    nullable: true,
    description: 'null inherits the node override, then the panel default',
  })
  @IsOptional()
  @IsIpAddressList({ maxItems: 8 })
  dns?: string[] | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1280, maximum: 9000 })
  @IsOptional()
  @IsInt()
  @Min(1280)
  @Max(9000)
  mtu?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 65535 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  persistent_keepalive?: number | null;

  @ApiPropertyOptional({
    type: String,
    isArray: true,
    nullable: true,
    description: "the client's AllowedIPs",
    example: ['0.0.0.0/0'],
  })
  @IsOptional()
  @IsCidrList({ maxItems: 64 })
  endpoint_allowed_ips?: string[] | null;

  @ApiPropertyOptional({ default: true })
  @OptionalNotNull()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({
    type: String,
    description: 'a preshared key to use (write-only)',
    writeOnly: true,
    nullable: true,
  })
  @IsOptional()
  @IsWireGuardKey()
  preshared_key?: string | null;

  @ApiPropertyOptional({ description: 'let the panel generate a preshared key' })
  @OptionalNotNull()
  @IsBoolean()
  generate_preshared_key?: boolean;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    format: 'date-time',
    description: 'ISO 8601; afterwards the peer is suspended until this moves; null = never expires',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  expires_at?: string | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 0,
    description: 'bytes received + sent allowed per quota_period; null = no quota',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  quota_bytes?: number | null;

  @ApiPropertyOptional({
    enum: QUOTA_PERIODS,
    default: 'month',
    description:
      'calendar day, week (from Monday) or month in QUOTA_TIME_ZONE, or the whole life of the peer',
  })
  @OptionalNotNull()
  @IsIn(QUOTA_PERIODS)
  quota_period?: QuotaPeriod;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: "the user whose device this is: they see it on their own (role self); null: nobody's",
  })
  @IsOptional()
  @IsUUID()
  owner?: string | null;
}

/** null clears a per-peer setting (it then inherits); `preshared_key: null` removes the preshared key. */
export class UpdatePeerDto extends PartialType(OmitType(CreatePeerDto, ['public_key'] as const), {
  skipNullProperties: false,
}) {
  @ApiPropertyOptional({
    description: "a new public key (the panel then no longer holds this peer's private key)",
  })
  @OptionalNotNull()
  @IsWireGuardKey()
  public_key?: string;

  @ApiPropertyOptional({ description: 'the version you read; a stale one is refused with 409' })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  version?: number;
}

const PEER_SORTS = ['created', 'name'] as const;

export class PeerListQuery extends ListQuery {
  @ApiPropertyOptional({
    description: 'keep peers whose name contains it (case-insensitive) or whose public key starts with it',
    minLength: 1,
    maxLength: 100,
    example: 'laptop',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;

  @ApiPropertyOptional({
    enum: PEER_SORTS,
    default: 'created',
    description: 'created: oldest first; name: by name. A cursor pages on in the order it was made for.',
  })
  @IsOptional()
  @IsIn(PEER_SORTS, { message: `sort must be one of: ${PEER_SORTS.join(', ')}` })
  sort?: (typeof PEER_SORTS)[number];
}

export class QrQuery {
  @ApiPropertyOptional({ enum: ['svg', 'png'], default: 'svg' })
  @IsOptional()
  @IsIn(['svg', 'png'])
  format?: 'svg' | 'png';
}
