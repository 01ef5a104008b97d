import { ApiProperty } from '@nestjs/swagger';

export class MemberPlanView {
  @ApiProperty({ format: 'uuid' })
  plan_id!: string;

  @ApiProperty({ enum: ['drain', 'undrain'] })
  action!: 'drain' | 'undrain';

  @ApiProperty({ format: 'uuid' })
  cluster_id!: string;

  @ApiProperty({ format: 'uuid' })
  node_id!: string;

  @ApiProperty({ type: [String], description: 'What DNS holds now, as the panel published it' })
  addresses_before!: string[];

  @ApiProperty({ type: [String], description: 'What DNS will hold once the plan ran' })
  addresses_after!: string[];

  @ApiProperty({ type: [String] })
  steps!: string[];

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ enum: ['planned', 'done'], description: '`planned` for a dry run; `done` once run' })
  status!: 'planned' | 'done';
}

/** What the cluster's host name resolves to: as the panel published it, and as DNS answers now. */
export class ClusterDnsNowView {
  @ApiProperty({ format: 'uuid' })
  cluster_id!: string;

  @ApiProperty({ example: 'vpn.example.com' })
  host!: string;

  @ApiProperty({ enum: ['rfc2136', 'webhook'], nullable: true, type: String })
  provider!: 'rfc2136' | 'webhook' | null;

  @ApiProperty({ type: [String], description: 'The published members’ addresses' })
  published!: string[];

  @ApiProperty({
    type: [String],
    nullable: true,
    description:
      'The A/AAAA sets the configured server (rfc2136) or the panel’s resolver (webhook) answers now; null when it could not be asked',
  })
  dns_now!: string[] | null;

  @ApiProperty({ type: String, nullable: true })
  error!: string | null;

  @ApiProperty({ description: 'DNS answers exactly the published set' })
  in_agreement!: boolean;
}
