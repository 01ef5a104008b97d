import { ApiProperty, ApiPropertyOptional, OmitType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsInt, IsObject, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { OptionalNotNull } from '../../common/validation/optional';
import { RegisterNodeDto } from '../nodes';
import { DEFAULT_ENROLLMENT_TTL_S, MAX_ENROLLMENT_TTL_S } from './domain/enrollment-token';

/** What only the node's agent knows: where and how the panel reaches it. It comes with the claim. */
const AGENT_FIELDS = [
  'agent_url',
  'agent_secret',
  'agent_ca_cert',
  'agent_cert_fingerprint',
  'public_key',
] as const;

/** The node's settings, decided by the operator when the enrollment is made. */
export class EnrollmentNodeDto extends OmitType(RegisterNodeDto, AGENT_FIELDS) {}

export type EnrollmentNodeFields = Omit<RegisterNodeDto, (typeof AGENT_FIELDS)[number]>;

export class CreateEnrollmentDto {
  @ApiProperty({ type: EnrollmentNodeDto })
  @IsDefined({ message: 'node is required: the settings of the node to be enrolled' })
  @IsObject()
  @ValidateNested()
  @Type(() => EnrollmentNodeDto)
  node!: EnrollmentNodeDto;

  @ApiPropertyOptional({ default: DEFAULT_ENROLLMENT_TTL_S, minimum: 60, maximum: MAX_ENROLLMENT_TTL_S })
  @OptionalNotNull()
  @IsInt()
  @Min(60)
  @Max(MAX_ENROLLMENT_TTL_S)
  expires_in_s?: number;
}

/** What the node's agent sends with the token; listen_port is what the node has, unless the enrollment set one. */
export class ClaimEnrollmentDto extends PickType(RegisterNodeDto, [...AGENT_FIELDS, 'listen_port'] as const) {
  @ApiProperty({ description: 'the enrollment token (it authenticates this request)' })
  @IsString()
  @Length(1, 200)
  token!: string;
}
