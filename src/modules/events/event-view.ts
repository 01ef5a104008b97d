import { ApiProperty } from '@nestjs/swagger';
import { ActorView } from '../../common/auth/actor-view';
import type { RecordedEvent } from './domain-event';
import { AGGREGATE_TYPES, AggregateType, EventMetadata, type EventRecord } from './event-record.entity';

/** Who caused an event, and in which request. */
export class EventMetadataView implements Pick<EventMetadata, 'actor_token_id' | 'request_id'> {
  @ApiProperty({ type: String, nullable: true })
  actor_token_id!: string | null;

  @ApiProperty({ type: String, nullable: true })
  request_id!: string | null;
}

/** One entry of the event log as the API lists it; sealed secrets show only that they were set. */
export class EventView {
  @ApiProperty({ description: 'Position in the log; pass the last one as `after` for the next page' })
  position!: string;

  @ApiProperty({ enum: AGGREGATE_TYPES, enumName: 'AggregateType' })
  aggregate_type!: AggregateType;

  @ApiProperty({ format: 'uuid' })
  aggregate_id!: string;

  @ApiProperty()
  version!: number;

  @ApiProperty({ example: 'PeerCreated' })
  type!: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  payload!: Record<string, unknown>;

  @ApiProperty({ type: EventMetadataView })
  metadata!: EventMetadataView;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({
    type: ActorView,
    nullable: true,
    description: 'Who did it; null on events recorded before events named their actor',
  })
  actor!: ActorView | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Place in the audit chain (docs/AUDIT.md); null for the moment until the event is sealed',
  })
  seq!: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Hex SHA-256 chaining the event to the one before',
  })
  hash!: string | null;
}

const SEALED_FIELD = /_sealed$/;

/** Sealed secrets are ciphertext, but listings still show only that a secret was set. */
export function redactSealed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSealed);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) =>
      SEALED_FIELD.test(key) ? [key, inner === null ? null : '[encrypted]'] : [key, redactSealed(inner)],
    ),
  );
}

/** One entry of the log: the event, and its place in the audit chain once sealed. */
export function toEventView(event: RecordedEvent, seal: Pick<EventRecord, 'seq' | 'hash'>): EventView {
  return {
    position: event.position,
    aggregate_type: event.aggregateType,
    aggregate_id: event.aggregateId,
    version: event.version,
    type: event.type,
    payload: redactSealed(event.payload) as Record<string, unknown>,
    metadata: event.metadata,
    created_at: event.createdAt.toISOString(),
    actor: event.actor,
    seq: seal.seq === null ? null : Number(seal.seq),
    hash: seal.hash,
  };
}
