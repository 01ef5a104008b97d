import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { boundQuery } from '../../database/bound-query';
import { CommandContext } from '../../common/auth/auth.decorators';
import { ConcurrencyError } from '../../common/domain/concurrency-error';
import { AggregateType, EventRecord } from './event-record.entity';
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
  constructor(private readonly projections: ProjectionRegistry) {}

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
      const [inserted] = await em
        .createQueryBuilder(EventRecord)
        .insert({
          aggregateType: record.aggregateType,
          aggregateId: record.aggregateId,
          version: record.version,
          type: record.type,
          payload: record.payload,
          metadata: record.metadata,
          createdAt: record.createdAt,
        })
        .returning('position')
        .execute('all');
      record.position = String((inserted as { position: string | number }).position);
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
  async appendNew(
    em: EntityManager,
    items: Array<{ event: NewEvent; context: CommandContext }>,
  ): Promise<EventRecord[]> {
    if (items.length === 0) return [];
    const createdAt = new Date();
    const rows = items.map(({ event, context }) => ({
      ...event,
      version: 1,
      metadata: { actor_token_id: context.actorTokenId, request_id: context.requestId },
      createdAt,
    }));
    let inserted: Array<{ aggregate_id: string; position: string }>;
    try {
      // One statement with the batch as one JSON parameter, inserted in the order given (so positions are).
      inserted = await boundQuery(
        em,
        `insert into events (aggregate_type, aggregate_id, version, type, payload, metadata, created_at)
         select e.aggregate_type, e.aggregate_id, 1, e.type, e.payload, e.metadata, ?::timestamptz
         from rows from (jsonb_to_recordset(?::jsonb) as (aggregate_type text, aggregate_id uuid, type text,
           payload jsonb, metadata jsonb)) with ordinality as e(aggregate_type, aggregate_id, type, payload, metadata, n)
         order by e.n
         returning aggregate_id, position`,
        [
          createdAt,
          JSON.stringify(
            rows.map((row) => ({
              aggregate_type: row.aggregateType,
              aggregate_id: row.aggregateId,
              type: row.type,
              payload: row.payload,
              metadata: row.metadata,
            })),
          ),
        ],
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConcurrencyError(items[0].event.aggregateId, 0);
      throw error;
    }
    const positions = new Map(inserted.map((row) => [row.aggregate_id, String(row.position)]));
    const records = rows.map((row) =>
      Object.assign(new EventRecord(), row, { position: positions.get(row.aggregateId)! }),
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
