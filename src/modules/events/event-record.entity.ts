import { Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { ActorRef } from '@wgfleet/protocol';

export const AGGREGATE_TYPES = [
  'node',
  'peer',
  'reconcile_job',
  'node_receipt',
  'cluster',
  'cluster_health',
  'template',
] as const;
export type AggregateType = (typeof AGGREGATE_TYPES)[number];

export interface EventMetadata {
  actor_token_id: string | null;
  request_id: string | null;
  [key: string]: unknown;
}

/**
 * One row of the append-only event log; rows are never deleted, nor updated but to be sealed into the audit
 * chain once (a trigger enforces it).
 */
@Entity({ tableName: 'events' })
@Unique({ properties: ['aggregateId', 'version'] })
@Index({ properties: ['type'] })
export class EventRecord {
  [OptionalProps]?: 'position' | 'createdAt' | 'seq' | 'hash';

  /** Global position: bigint comes back from pg as a string. */
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  position!: string;

  @Property({ type: 'text' })
  aggregateType!: AggregateType;

  @Property({ type: 'uuid' })
  aggregateId!: string;

  @Property({ type: 'integer' })
  version!: number;

  @Property({ type: 'text' })
  type!: string;

  /** Typed by `type` once decoded (`recordedEvent`); the events each aggregate's module declares. */
  @Property({ type: 'jsonb' })
  payload!: object;

  @Property({ type: 'jsonb' })
  metadata!: EventMetadata;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  /** Who did it (docs/API.md, Actors); null on events recorded before events named their actor. */
  @Property({ type: 'jsonb', nullable: true })
  actor: ActorRef | null = null;

  /** Place in the audit chain (docs/AUDIT.md), set once by the sealer shortly after commit; null until then. */
  @Property({ type: 'bigint', nullable: true, unique: true })
  seq: string | null = null;

  /** Hex SHA-256 chaining this event to the one before it; null until sealed. */
  @Property({ type: 'text', nullable: true })
  hash: string | null = null;
}
