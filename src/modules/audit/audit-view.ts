import { ApiProperty } from '@nestjs/swagger';
import { Checkpoint } from '@wgfleet/protocol';
import { AuditSigningKeyEntity } from './audit.entities';

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
