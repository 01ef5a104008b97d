import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { CommandContext } from '../../common/auth/auth.decorators';
import { ConcurrencyError } from '../../common/domain/concurrency-error';
import type { DomainEvent, NewEvent, RecordedEvent } from './domain-event';
import { EventsStore } from './events.store';
import { Projections } from './projections';

/** One event to append after the aggregate's `expectedVersion`, on behalf of `context`. */
export interface Appended<E extends DomainEvent> {
  event: NewEvent<E>;
  expectedVersion: number;
  context: CommandContext;
}

/**
 * Appends events and updates every projection in the caller's transaction, so the log and the read models
 * can never disagree. The (aggregate_id, version) unique constraint settles races between writers.
 *
 * Every method takes the aggregate's event union as its type argument (`append<NodeEvent>(...)`); without it
 * the event is `never`, so an event whose payload does not match its type never compiles.
 */
@Injectable()
export class EventStore {
  constructor(
    private readonly projections: Projections,
    private readonly store: EventsStore,
  ) {}

  async append<E extends DomainEvent = never>(
    em: EntityManager,
    event: NoInfer<NewEvent<E>>,
    expectedVersion: number,
    context: CommandContext,
  ): Promise<RecordedEvent<E>> {
    const row = {
      ...event,
      version: expectedVersion + 1,
      metadata: { actor_token_id: context.actorTokenId, request_id: context.requestId },
      createdAt: new Date(),
      actor: context.actor,
    };
    let position: string;
    try {
      position = await this.store.insert(em, row);
    } catch (error) {
      // The caller's transaction is aborted either way; the whole command is refused with a 409.
      if (isUniqueViolation(error)) {
        throw new ConcurrencyError(event.aggregateId, expectedVersion);
      }
      throw error;
    }
    const record = { ...row, position };
    await this.projections.handle(em, [record]);
    return record;
  }

  /**
   * Appends the first event of many new aggregates with one insert, and projects them together: the bulk
   * path of creation (version 1 each, so the only possible conflict is a reused id).
   */
  appendNew<E extends DomainEvent = never>(
    em: EntityManager,
    items: NoInfer<Array<{ event: NewEvent<E>; context: CommandContext }>>,
  ): Promise<RecordedEvent<E>[]> {
    return this.appendMany<E>(
      em,
      items.map((item) => ({ ...item, expectedVersion: 0 })),
    );
  }

  /**
   * Appends many events with one insert and projects them as one batch, in the order given; an aggregate may
   * appear more than once (its expected versions then follow each other). Any stale expected version refuses
   * the whole batch with a ConcurrencyError, as `append` does for one event.
   */
  async appendMany<E extends DomainEvent = never>(
    em: EntityManager,
    items: NoInfer<Array<Appended<E>>>,
  ): Promise<RecordedEvent<E>[]> {
    if (items.length === 0) return [];
    const createdAt = new Date();
    const rows = items.map(({ event, expectedVersion, context }) => ({
      ...event,
      version: expectedVersion + 1,
      metadata: { actor_token_id: context.actorTokenId, request_id: context.requestId },
      createdAt,
      actor: context.actor,
    }));
    let positions: Map<string, string>;
    try {
      positions = await this.store.insertMany(em, createdAt, rows);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConcurrencyError(items[0].event.aggregateId, items[0].expectedVersion);
      throw error;
    }
    const records = rows.map((row) => ({
      ...row,
      position: positions.get(`${row.aggregateId}/${row.version}`)!,
    }));
    await this.projections.handle(em, records);
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
