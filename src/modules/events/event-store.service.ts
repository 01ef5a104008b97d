import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { CommandContext } from '../../common/auth/auth.decorators';
import { ConcurrencyError } from '../../common/domain/concurrency-error';
import { AggregateType, EventRecord } from './event-record.entity';
import { EventsStore } from './events.store';
import { ProjectionRegistry } from './projection-registry';

export interface NewEvent {
  aggregateType: AggregateType;
  aggregateId: string;
  type: string;
  payload: Record<string, unknown>;
}

/**
 * Appends events and updates every projection in the caller's transaction, so the log and the read models
 * can never disagree. The (aggregate_id, version) unique constraint settles races between writers.
 */
@Injectable()
export class EventStore {
  constructor(
    private readonly projections: ProjectionRegistry,
    private readonly store: EventsStore,
  ) {}

  async append(
    em: EntityManager,
    event: NewEvent,
    expectedVersion: number,
    context: CommandContext,
  ): Promise<EventRecord> {
    const record = Object.assign(new EventRecord(), {
      ...event,
      version: expectedVersion + 1,
      metadata: { actor_token_id: context.actorTokenId, request_id: context.requestId },
      createdAt: new Date(),
    });
    try {
      record.position = await this.store.insert(em, record);
    } catch (error) {
      // The caller's transaction is aborted either way; the whole command is refused with a 409.
      if (isUniqueViolation(error)) {
        throw new ConcurrencyError(event.aggregateId, expectedVersion);
      }
      throw error;
    }
    await this.projections.apply(em, record);
    return record;
  }

  /**
   * Appends the first event of many new aggregates with one insert, and projects them together: the bulk
   * path of creation (version 1 each, so the only possible conflict is a reused id).
   */
  appendNew(
    em: EntityManager,
    items: Array<{ event: NewEvent; context: CommandContext }>,
  ): Promise<EventRecord[]> {
    return this.appendMany(
      em,
      items.map((item) => ({ ...item, expectedVersion: 0 })),
    );
  }

  /**
   * Appends many events with one insert and projects them together, in the order given; an aggregate may
   * appear more than once (its expected versions then follow each other). Any stale expected version refuses
   * the whole batch with a ConcurrencyError, as `append` does for one event.
   */
  async appendMany(
    em: EntityManager,
    items: Array<{ event: NewEvent; expectedVersion: number; context: CommandContext }>,
  ): Promise<EventRecord[]> {
    if (items.length === 0) return [];
    const createdAt = new Date();
    const rows = items.map(({ event, expectedVersion, context }) => ({
      ...event,
      version: expectedVersion + 1,
      metadata: { actor_token_id: context.actorTokenId, request_id: context.requestId },
      createdAt,
    }));
    let positions: Map<string, string>;
    try {
      positions = await this.store.insertMany(em, createdAt, rows);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConcurrencyError(items[0].event.aggregateId, items[0].expectedVersion);
      throw error;
    }
    const records = rows.map((row) =>
      Object.assign(new EventRecord(), row, {
        position: positions.get(`${row.aggregateId}/${row.version}`)!,
      }),
    );
    await this.projections.applyMany(em, records);
    return records;
  }
}

/** A query builder's execute() can surface the raw pg error (SQLSTATE 23505) instead of MikroORM's own type. */
function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof UniqueConstraintViolationException ||
    (error as { code?: unknown } | null)?.code === '23505'
  );
}
