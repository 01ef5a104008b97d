import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PeerView } from '../peers';
import type { AdoptionEntry, AdoptionPlan } from './domain/adoption-plan';

/** One peer of the node as a dry run shows it: what would be imported, or why it cannot be. */
export class AdoptionEntryView implements AdoptionEntry {
  @ApiProperty()
  public_key!: string;

  @ApiPropertyOptional({
    description: "The name it is adopted under: the operator's, or its address; absent when it cannot be",
  })
  name?: string;

  @ApiProperty({ type: String, isArray: true, example: ['10.0.1.7/32'] })
  allowed_ips!: string[];

  @ApiProperty({ type: String, isArray: true, example: ['192.168.60.0/24'] })
  routed_ips!: string[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The endpoint the node has, kept for a peer that routes networks; null for others',
  })
  endpoint!: string | null;

  @ApiProperty()
  persistent_keepalive!: number;

  @ApiProperty()
  has_preshared_key!: boolean;

  @ApiPropertyOptional({ description: 'Why this peer cannot be adopted; absent when it can' })
  conflict?: string;
}

export class AdoptionPlanView implements AdoptionPlan {
  @ApiProperty({ type: AdoptionEntryView, isArray: true })
  adopt!: AdoptionEntryView[];
}

/** The answer to a dry run: the plan, and the id that applies exactly it. */
export class AdoptionDryRunView {
  @ApiProperty({ format: 'uuid' })
  plan_id!: string;

  @ApiProperty({ type: AdoptionPlanView })
  plan!: AdoptionPlanView;
}

export class AdoptionSkipView {
  @ApiProperty()
  public_key!: string;

  @ApiProperty()
  reason!: string;
}

/** The answer to an adoption: the peers imported, and those left with why. */
export class AdoptionResultView {
  @ApiProperty({ type: PeerView, isArray: true })
  adopted!: PeerView[];

  @ApiProperty({ type: AdoptionSkipView, isArray: true })
  skipped!: AdoptionSkipView[];
}
