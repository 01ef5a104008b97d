import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { EnrollmentStatus } from './domain/enrollment-token';
import type { EnrollmentNodeFields } from './enrollments.dto';

/** A one-time token for a node-to-be: the node's settings wait here until its agent claims them. */
@Entity({ tableName: 'enrollments' })
export class EnrollmentEntity {
  [OptionalProps]?: 'createdAt' | 'status' | 'claimedAt' | 'nodeId';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text', unique: true })
  tokenHash!: string;

  /** The node's settings (no secret: the agent brings its own when it claims). */
  @Property({ type: 'jsonb' })
  node!: EnrollmentNodeFields;

  @Property({ type: 'text' })
  status: EnrollmentStatus = 'open';

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'text', nullable: true })
  createdBy: string | null = null;

  /** The node registered by the claim. */
  @Property({ type: 'uuid', nullable: true })
  nodeId: string | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  claimedAt: Date | null = null;
}
