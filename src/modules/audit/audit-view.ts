import { ApiProperty } from '@nestjs/swagger';
import { Checkpoint } from '@wgfleet/protocol';
import { AuditSigningKeyEntity, AuditVerificationEntity } from './audit.entities';

/** A signed statement that the audit chain's event `seq` has `hash` (docs/AUDIT.md). */
export class CheckpointView implements Checkpoint {
  @ApiProperty({ description: 'Sequence number of the last event the checkpoint covers' })
  seq!: number;

  @ApiProperty({ description: "Hex SHA-256: the chain's hash at `seq`" })
  hash!: string;

  @ApiProperty({ format: 'date-time' })
  time!: string;

  @ApiProperty({ description: 'base64 Ed25519 signature of the canonical {type, seq, hash, time}' })
  signature!: string;

  @ApiProperty({ description: 'Which panel key signed it (see GET /api/audit/keys)' })
  key_id!: string;
}

export class CheckpointList {
  @ApiProperty({ type: [CheckpointView] })
  items!: CheckpointView[];
}

/** A panel checkpoint key: the public half only. */
export class AuditKeyView {
  @ApiProperty()
  key_id!: string;

  @ApiProperty({ description: 'Raw 32-byte Ed25519 public key, base64' })
  public_key!: string;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  retired_at!: string | null;
}

export class AuditKeyList {
  @ApiProperty({ type: [AuditKeyView] })
  items!: AuditKeyView[];
}

export function toAuditKeyView(key: AuditSigningKeyEntity): AuditKeyView {
  return {
    key_id: key.keyId,
    public_key: key.publicKey,
    created_at: key.createdAt.toISOString(),
    retired_at: key.retiredAt?.toISOString() ?? null,
  };
}

/** The panel's latest check of its own chain; null fields before the first one ran. */
export class AuditStatusView {
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  checked_at!: string | null;

  @ApiProperty({ type: Boolean, nullable: true, description: 'Whether the chain verified' })
  ok!: boolean | null;

  @ApiProperty({ description: 'Sealed events checked' })
  events!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'The first bad seq when broken' })
  first_bad_seq!: number | null;

  @ApiProperty({ type: String, nullable: true, example: 'edited' })
  problem!: string | null;

  @ApiProperty({ type: String, nullable: true })
  detail!: string | null;
}

export function toAuditStatusView(row: AuditVerificationEntity | null): AuditStatusView {
  if (row === null) {
    return { checked_at: null, ok: null, events: 0, first_bad_seq: null, problem: null, detail: null };
  }
  return {
    checked_at: row.checkedAt.toISOString(),
    ok: row.ok,
    events: Number(row.events),
    first_bad_seq: row.firstBadSeq === null ? null : Number(row.firstBadSeq),
    problem: row.problem,
    detail: row.detail,
  };
}
