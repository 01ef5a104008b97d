import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** The panel's Ed25519 checkpoint keys; the private half sealed (SecretBox), never served or logged. */
@Entity({ tableName: 'audit_signing_keys' })
export class AuditSigningKeyEntity {
  @PrimaryKey({ type: 'text' })
  keyId!: string;

  /** Raw 32-byte public key, base64. */
  @Property({ type: 'text' })
  publicKey!: string;

  @Property({ type: 'text', hidden: true })
  privateKeySealed!: string;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  /** Set when a newer key took over; a retired key still verifies the checkpoints it signed. */
  @Property({ type: 'timestamptz', nullable: true })
  retiredAt: Date | null = null;
}

/** A signed `(seq, hash, time)` of the audit chain. */
@Entity({ tableName: 'audit_checkpoints' })
export class AuditCheckpointEntity {
  @PrimaryKey({ type: 'bigint' })
  seq!: string;

  @Property({ type: 'text' })
  hash!: string;

  @Property({ type: 'timestamptz' })
  time!: Date;

  @Property({ type: 'text' })
  signature!: string;

  @Property({ type: 'text' })
  keyId!: string;
}

/** One run of the panel's own check of its chain. */
@Entity({ tableName: 'audit_verifications' })
export class AuditVerificationEntity {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'timestamptz' })
  checkedAt!: Date;

  @Property({ type: 'boolean' })
  ok!: boolean;

  @Property({ type: 'bigint' })
  events!: string;

  @Property({ type: 'bigint', nullable: true })
  firstBadSeq: string | null = null;

  @Property({ type: 'text', nullable: true })
  problem: string | null = null;

  @Property({ type: 'text', nullable: true })
  detail: string | null = null;
}
