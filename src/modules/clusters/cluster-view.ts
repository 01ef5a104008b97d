import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DNS_PROVIDERS, dnsConfigView, TSIG_ALGORITHMS } from './domain/dns-config';
import type { DnsProvider, TsigAlgorithm } from './domain/dns-config';
import type { ClusterEntity, ClusterMemberEntity } from './cluster.entity';
import { MEMBER_HEALTHS, MemberHealth } from './cluster.events';

export class ClusterMemberView {
  @ApiProperty({ format: 'uuid' })
  node_id!: string;

  @ApiProperty({
    enum: MEMBER_HEALTHS,
    enumName: 'ClusterMemberHealth',
    description: '`unhealthy` until the health checks have seen the member answer',
  })
  health!: MemberHealth;

  @ApiProperty({ description: "Whether the cluster's endpoint name resolves to this member now" })
  published!: boolean;

  @ApiProperty({ format: 'date-time' })
  joined_at!: string;
}

/** A cluster's DNS settings without its secret. */
export class ClusterDnsView {
  @ApiProperty({ enum: DNS_PROVIDERS, enumName: 'ClusterDnsProvider' })
  provider!: DnsProvider;

  @ApiPropertyOptional()
  server?: string;

  @ApiPropertyOptional()
  zone?: string;

  @ApiPropertyOptional()
  tsig_key_name?: string;

  @ApiPropertyOptional({ enum: TSIG_ALGORITHMS, enumName: 'TsigAlgorithm' })
  tsig_algorithm?: TsigAlgorithm;

  @ApiPropertyOptional()
  ttl?: number;

  @ApiPropertyOptional()
  url?: string;

  @ApiProperty({ enum: [true], description: 'The secret is stored (sealed) and never shown' })
  has_secret!: true;
}

export class ClusterView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ example: 'vpn.example.com' })
  endpoint_host!: string;

  @ApiProperty({ example: 51820 })
  endpoint_port!: number;

  @ApiProperty({ example: '10.50.0.0/24' })
  address_pool!: string;

  @ApiProperty({ type: String, nullable: true })
  address_pool_v6!: string | null;

  @ApiProperty({ type: String, nullable: true, description: "The members' shared interface public key" })
  public_key!: string | null;

  @ApiProperty({ type: ClusterMemberView, isArray: true })
  members!: ClusterMemberView[];

  @ApiProperty({ type: ClusterDnsView, nullable: true })
  dns!: ClusterDnsView | null;

  @ApiProperty()
  version!: number;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;
}

export function toClusterView(cluster: ClusterEntity, members: readonly ClusterMemberEntity[]): ClusterView {
  return {
    id: cluster.id,
    name: cluster.name,
    endpoint_host: cluster.endpointHost,
    endpoint_port: cluster.endpointPort,
    address_pool: cluster.addressPool,
    address_pool_v6: cluster.addressPoolV6,
    public_key: cluster.publicKey,
    members: members.map((member) => ({
      node_id: member.nodeId,
      health: member.health,
      published: member.published,
      joined_at: member.createdAt.toISOString(),
    })),
    dns: cluster.dns ? dnsConfigView(cluster.dns) : null,
    version: cluster.version,
    created_at: cluster.createdAt.toISOString(),
    updated_at: cluster.updatedAt.toISOString(),
  };
}
