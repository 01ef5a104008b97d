import { FilterQuery } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { EventRecord } from './event-record.entity';
import { ListEventsQuery } from './events.dto';

export interface EventView {
  position: string;
  aggregate_type: string;
  aggregate_id: string;
  version: number;
  type: string;
  payload: Record<string, unknown>;
  metadata: Record<string, unknown>;
  created_at: string;
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

@Injectable()
export class EventsService {
  constructor(private readonly em: EntityManager) {}

  async list(query: ListEventsQuery): Promise<{ items: EventView[]; next?: string }> {
    const limit = query.limit ?? 100;
    const where: FilterQuery<EventRecord> = {};
    if (query.aggregate_id) where.aggregateId = query.aggregate_id;
    if (query.type) where.type = query.type;
    if (query.after) where.position = { $gt: query.after };
    const events = await this.em.fork().find(EventRecord, where, { orderBy: { position: 'asc' }, limit });
    const items = events.map((event) => ({
      position: event.position,
      aggregate_type: event.aggregateType,
      aggregate_id: event.aggregateId,
      version: event.version,
      type: event.type,
      payload: redactSealed(event.payload) as Record<string, unknown>,
      metadata: event.metadata,
      created_at: event.createdAt.toISOString(),
    }));
    return items.length === limit ? { items, next: items[items.length - 1].position } : { items };
  }
}
