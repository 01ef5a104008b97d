import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
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
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { OptionalNotNull } from '../../common/validation/optional';
import { IsAddressPool, IsHostPort, IsName, IsWireGuardKey } from '../../common/validation/validators';
import { DNS_PROVIDERS, DnsProvider, TSIG_ALGORITHMS, TsigAlgorithm } from './domain/dns-config';

/**
 * A DNS name of at least two labels whose last label starts with a letter, so never an IP address: the name is
 * what failover moves.
 */
const DNS_NAME = /^(?=.{1,253}$)(?:(?!-)[A-Za-z0-9-]{1,63}(?<!-)\.)+[A-Za-z][A-Za-z0-9-]{0,62}(?<!-)\.?$/;
const isRfc2136 = (config: DnsConfigDto) => config.provider === 'rfc2136';
const isWebhook = (config: DnsConfigDto) => config.provider === 'webhook';

/** How the cluster's endpoint name is published; the secret is write-only (views say `has_secret`). */
export class DnsConfigDto {
  @ApiProperty({ enum: DNS_PROVIDERS, enumName: 'ClusterDnsProvider' })
  @IsIn(DNS_PROVIDERS, { message: 'dns.provider must be rfc2136 or webhook' })
  provider!: DnsProvider;

  @ApiPropertyOptional({ example: 'ns1.example.com:53', description: 'rfc2136: the primary taking updates' })
  @ValidateIf(isRfc2136)
  @IsHostPort()
  server?: string;

  @ApiPropertyOptional({ example: 'example.com', description: 'rfc2136' })
  @ValidateIf(isRfc2136)
  @Matches(DNS_NAME, { message: 'dns.zone must be a DNS name like example.com' })
  zone?: string;

  @ApiPropertyOptional({ example: 'wgfleet-key', description: 'rfc2136' })
  @ValidateIf(isRfc2136)
  @Matches(/^[A-Za-z0-9._-]{1,253}$/, {
    message: 'dns.tsig_key_name must be a key name (letters, digits, ".", "_", "-")',
  })
  tsig_key_name?: string;

  @ApiPropertyOptional({ enum: TSIG_ALGORITHMS, enumName: 'TsigAlgorithm', default: 'hmac-sha256' })
  @ValidateIf((config: DnsConfigDto) => isRfc2136(config) && config.tsig_algorithm !== undefined)
  @IsIn(TSIG_ALGORITHMS, { message: `dns.tsig_algorithm must be one of ${TSIG_ALGORITHMS.join(', ')}` })
  tsig_algorithm?: TsigAlgorithm;

  @ApiPropertyOptional({ writeOnly: true, description: 'rfc2136: the TSIG secret (base64); never shown' })
  @ValidateIf(isRfc2136)
  @IsString({ message: 'dns.tsig_secret is required for rfc2136' })
  @Matches(/^[A-Za-z0-9+/]+={0,2}$/, { message: 'dns.tsig_secret must be base64' })
  @Length(1, 512)
  tsig_secret?: string;

  @ApiPropertyOptional({ default: 30, minimum: 1, maximum: 86400, description: 'rfc2136: record TTL (s)' })
  @ValidateIf((config: DnsConfigDto) => isRfc2136(config) && config.ttl !== undefined)
  @IsInt()
  @Min(1)
  @Max(86400)
  ttl?: number;

  @ApiPropertyOptional({ example: 'https://dns-hook.example.com/publish', description: 'webhook' })
  @ValidateIf(isWebhook)
  @IsUrl(
    { protocols: ['http', 'https'], require_tld: false, require_protocol: true },
    { message: 'dns.url must be an http(s) URL' },
  )
  @Length(1, 2000)
  url?: string;

  @ApiPropertyOptional({ writeOnly: true, description: 'webhook: signs each call; never shown' })
  @ValidateIf(isWebhook)
  @IsString({ message: 'dns.secret is required for webhook' })
  @Length(16, 512, { message: 'dns.secret must be 16-512 characters' })
  secret?: string;
}

export class CreateClusterDto {
  @ApiProperty({ example: 'eu-edge' })
  @IsString()
  @Length(1, 64)
  @IsName()
  @Matches(/^[\p{L}\p{N} ._-]+$/u, { message: 'name may contain letters, digits, spaces, ".", "_" and "-"' })
  name!: string;

  @ApiProperty({ example: 'vpn.example.com', description: 'The DNS name clients connect to' })
  @IsString()
  @Matches(DNS_NAME, { message: 'endpoint_host must be a DNS name like vpn.example.com' })
  endpoint_host!: string;

  @ApiPropertyOptional({ default: 51820, description: "Every member's listen port" })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(65535)
  endpoint_port?: number;

  @ApiProperty({ example: '10.50.0.0/24', description: 'Addresses of the cluster peers' })
  @IsAddressPool(4)
  address_pool!: string;

  @ApiPropertyOptional({ type: String, example: 'fd00:50::/64', nullable: true })
  @IsOptional()
  @IsAddressPool(6)
  address_pool_v6?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: "The members' shared interface public key; taken from the first member when left out",
  })
  @IsOptional()
  @IsWireGuardKey()
  public_key?: string | null;

  @ApiPropertyOptional({ type: DnsConfigDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => DnsConfigDto)
  dns?: DnsConfigDto | null;
}

export class UpdateClusterDto extends PartialType(CreateClusterDto, { skipNullProperties: false }) {
  @ApiPropertyOptional({ description: 'the version you read; a stale one is refused with 409' })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class AddMemberDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'node_id must be a node id (UUID)' })
  node_id!: string;
}
