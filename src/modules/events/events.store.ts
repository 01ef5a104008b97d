import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { boundQuery } from '../../database/bound-query';
import { EventRecord } from './event-record.entity';

type NewRecord = Omit<EventRecord, 'position'>;

/** The events module's statements on the event log. Rows are never updated or deleted (a trigger refuses it). */
@Injectable()
export class EventsStore {
  /** Inserts one event and answers its position; a taken (aggregate_id, version) is a unique violation. */
  async insert(em: EntityManager, record: NewRecord): Promise<string> {
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
    return String((inserted as { position: string | number }).position);
  }

  /**
   * Inserts many events with one statement, the batch as one JSON parameter, in the order given (so their
   * positions are); answers each event's position by `<aggregate id>/<version>`.
   */
  async insertMany(
    em: EntityManager,
    createdAt: Date,
    rows: readonly Pick<
      NewRecord,
      'aggregateType' | 'aggregateId' | 'version' | 'type' | 'payload' | 'metadata'
    >[],
  ): Promise<Map<string, string>> {
    const inserted = await boundQuery<{ aggregate_id: string; version: number; position: string }>(
      em,
      `insert into events (aggregate_type, aggregate_id, version, type, payload, metadata, created_at)
       select e.aggregate_type, e.aggregate_id, e.version, e.type, e.payload, e.metadata, ?::timestamptz
       from rows from (jsonb_to_recordset(?::jsonb) as (aggregate_type text, aggregate_id uuid, version int,
         type text, payload jsonb, metadata jsonb))
         with ordinality as e(aggregate_type, aggregate_id, version, type, payload, metadata, n)
       order by e.n
       returning aggregate_id, version, position`,
      [
        createdAt,
        JSON.stringify(
          rows.map((row) => ({
            aggregate_type: row.aggregateType,
            aggregate_id: row.aggregateId,
            version: row.version,
            type: row.type,
            payload: row.payload,
            metadata: row.metadata,
          })),
        ),
      ],
    );
    return new Map(inserted.map((row) => [`${row.aggregate_id}/${row.version}`, String(row.position)]));
  }

  /** Empties read-model tables before a rebuild (names come from the projections, never from input). */
  async truncate(em: EntityManager, tables: readonly string[]): Promise<void> {
    await em.getConnection().execute(`truncate ${tables.map((table) => `"${table}"`).join(', ')}`);
  }
}
