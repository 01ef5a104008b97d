import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import type { NodeTags } from '../../common/domain/node-tags';
import { ListQuery } from '../../common/http/queries';
import { OptionalNotNull } from '../../common/validation/optional';
import {
  IsAddressPool,
  IsCidrList,
  IsEndpoint,
  IsIpAddressList,
  IsName,
  IsTags,
  IsTagSelectorList,
  IsWireGuardKey,
} from '../../common/validation/validators';
import { AUTO_RECONCILE_MODES, AutoReconcileMode } from './node.events';

const INTERFACE_NAME = /^[A-Za-z0-9_=+.-]{1,15}$/;
const FINGERPRINT = /^(?:[0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/;
const PEM_CERTIFICATE = /^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/;

/** Fields a node is registered with; PATCH takes any subset of them. */
export class RegisterNodeDto {
  @ApiProperty({ example: 'us-east-1' })
  @IsString()
  @Length(1, 64)
  @IsName()
  @Matches(/^[\p{L}\p{N} ._-]+$/u, { message: 'name may contain letters, digits, spaces, ".", "_" and "-"' })
  name!: string;

  @ApiProperty({
    example: 'https://10.0.0.5:8420',
    description:
      'https:// when agent_ca_cert or agent_cert_fingerprint is given, and always with PANEL_REQUIRE_AGENT_TLS; ' +
      'inside AGENT_URL_ALLOW when set',
  })
  @IsUrl(
    { protocols: ['http', 'https'], require_tld: false, require_protocol: true },
    {
      message: 'agent_url must be an http(s) URL of the node agent, like https://10.0.0.5:8420',
    },
  )
  @Length(1, 500)
  agent_url!: string;

  @ApiProperty({ example: 'wg0' })
  @Matches(INTERFACE_NAME, {
    message: 'interface must be a WireGuard interface name (1-15 of A-Z a-z 0-9 _=+.-)',
  })
  interface!: string;

  @ApiProperty({ example: 'us-east.vpn.example.com:51820' })
  @IsEndpoint()
  @Length(1, 260)
  endpoint!: string;

  @ApiProperty({ example: '10.0.1.0/24' })
  @IsAddressPool(4)
  address_pool!: string;

  @ApiPropertyOptional({ type: String, example: 'fd00:1::/64', nullable: true })
  @IsOptional()
  @IsAddressPool(6)
  address_pool_v6?: string | null;

  @ApiPropertyOptional({ type: Number, example: 51820, nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  listen_port?: number | null;

  @ApiPropertyOptional({
    type: String,
    description: "the interface's public key; kept as given, read from the agent only when omitted",
    nullable: true,
  })
  @IsOptional()
  @IsWireGuardKey()
  public_key?: string | null;

  @ApiPropertyOptional({ default: true })
  @OptionalNotNull()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: 65535 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  override_listen_port?: number | null;

  @ApiPropertyOptional({ type: String, isArray: true, nullable: true, example: ['1.1.1.1'] })
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

  @ApiPropertyOptional({ enum: AUTO_RECONCILE_MODES, enumName: 'AutoReconcileMode', default: 'off' })
  @OptionalNotNull()
  @IsIn(AUTO_RECONCILE_MODES)
  auto_reconcile?: AutoReconcileMode;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    nullable: true,
    example: { region: 'eu' },
    description:
      'key → value labels, at most 32; keys like Kubernetes label keys (optional `prefix/`, then 1-63 of ' +
      'a-z 0-9 . _ -), values up to 63 of A-Z a-z 0-9 . _ -. PATCH replaces the whole map; null or {} clears it',
  })
  @IsOptional()
  @IsTags()
  tags?: NodeTags | null;

  @ApiPropertyOptional({
    description: 'shared secret of the agent (at least 32 characters); write-only',
    writeOnly: true,
  })
  @IsString()
  @Length(32, 512, { message: 'agent_secret must be 32 to 512 characters' })
  agent_secret!: string;

  @ApiPropertyOptional({
    type: String,
    description: "PEM CA certificate that signed the agent's TLS certificate",
    nullable: true,
  })
  @IsOptional()
  @Matches(PEM_CERTIFICATE, { message: 'agent_ca_cert must be a PEM certificate' })
  @Length(1, 20000)
  agent_ca_cert?: string | null;

  @ApiPropertyOptional({
    type: String,
    description: "SHA-256 fingerprint of the agent's TLS certificate (hex)",
    nullable: true,
  })
  @IsOptional()
  @Matches(FINGERPRINT, { message: 'agent_cert_fingerprint must be a SHA-256 fingerprint (64 hex digits)' })
  agent_cert_fingerprint?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      'the template to follow, pinning its latest version unless template_version names one; null stops following',
  })
  @IsOptional()
  @IsUUID('all', { message: 'template_id must be a UUID' })
  template_id?: string | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    description: "the version to pin of template_id (or, given alone, of the node's template)",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  template_version?: number | null;
}

/** `?template_version=` of a node's settings: the values as they would be at another version of its template. */
export class NodeSettingsQuery {
  @ApiPropertyOptional({
    minimum: 1,
    description: "a version of the node's template to preview instead of the pinned one",
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  template_version?: number;
}

/** null clears an override; a field left out stays as it is. */
export class UpdateNodeDto extends PartialType(RegisterNodeDto, { skipNullProperties: false }) {
  @ApiPropertyOptional({ description: 'the version you read; a stale one is refused with 409' })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  version?: number;
}

/** `GET /api/nodes`: a page, optionally of the nodes carrying every `tag` given. */
export class NodeListQuery extends ListQuery {
  @ApiPropertyOptional({
    type: String,
    isArray: true,
    example: ['region=eu'],
    description: 'key=value; repeated, a node must carry every one',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? value : [value]))
  @IsTagSelectorList()
  tag?: string[];
}
