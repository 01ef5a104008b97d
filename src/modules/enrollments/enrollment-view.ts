import { ApiProperty } from '@nestjs/swagger';
import { ENROLLMENT_STATUSES, EnrollmentStatus } from './domain/enrollment-token';
import { EnrollmentEntity } from './enrollment.entity';
import { EnrollmentNodeDto } from './enrollments.dto';

/** A created enrollment: the token is in this answer only. */
export class CreatedEnrollmentView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'The one-time token for `wgfleet-agent enroll --token`; shown only here' })
  token!: string;

  @ApiProperty({ format: 'date-time' })
  expires_at!: string;
}

/** An enrollment as listings show it: the node's settings and what became of the token, never the token. */
export class EnrollmentView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({
    type: EnrollmentNodeDto,
    description: 'The settings the node is registered with when claimed',
  })
  node!: EnrollmentEntity['node'];

  @ApiProperty({ enum: ENROLLMENT_STATUSES, enumName: 'EnrollmentStatus' })
  status!: EnrollmentStatus;

  @ApiProperty({ format: 'date-time' })
  expires_at!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The node the claim registered' })
  node_id!: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  claimed_at!: string | null;
}

export class EnrollmentList {
  @ApiProperty({ type: EnrollmentView, isArray: true })
  items!: EnrollmentView[];
}

export function toEnrollmentView(row: EnrollmentEntity): EnrollmentView {
  return {
    id: row.id,
    node: row.node,
    status: row.status,
    expires_at: row.expiresAt.toISOString(),
    node_id: row.nodeId,
    created_at: row.createdAt.toISOString(),
    claimed_at: row.claimedAt?.toISOString() ?? null,
  };
}
