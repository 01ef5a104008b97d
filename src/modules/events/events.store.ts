import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { boundQuery } from '../../database/bound-query';
import { ChainHead, ChainRow, Seal } from './domain/event-chain';
import { EventRecord } from './event-record.entity';

/** An event as appended: the audit chain seals it (seq, hash) later. */
type NewRecord = Omit<EventRecord, 'position' | 'seq' | 'hash'>;

/**
 * An event's fields as the audit chain first read them (the migration that chained the existing log reads
 * these): the time as ISO 8601 UTC with milliseconds.
 */
export const FIRST_CHAIN_COLUMNS = `position::text as position, aggregate_type, aggregate_id, version, type, payload,
  metadata, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at`;

/** ...and who did it, since events name their actor. */
const CHAIN_COLUMNS = `${FIRST_CHAIN_COLUMNS}, actor`;

/**
 * The events module's statements on the event log. Rows are never deleted and never updated but for being
 * sealed once into the audit chain (a trigger refuses anything else).
 */
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
        actor: record.actor,
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
      'aggregateType' | 'aggregateId' | 'version' | 'type' | 'payload' | 'metadata' | 'actor'
    >[],
  ): Promise<Map<string, string>> {
    const inserted = await boundQuery<{ aggregate_id: string; version: number; position: string }>(
      em,
      `insert into events (aggregate_type, aggregate_id, version, type, payload, metadata, actor, created_at)
       select e.aggregate_type, e.aggregate_id, e.version, e.type, e.payload, e.metadata, e.actor, ?::timestamptz
       from rows from (jsonb_to_recordset(?::jsonb) as (aggregate_type text, aggregate_id uuid, version int,
         type text, payload jsonb, metadata jsonb, actor jsonb))
         with ordinality as e(aggregate_type, aggregate_id, version, type, payload, metadata, actor, n)
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
            actor: row.actor,
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

  /** Serialises sealing across panel instances (a transaction-scoped advisory lock): one chain, no fork. */
  async lockChain(em: EntityManager): Promise<void> {
    await boundQuery(em, `select pg_advisory_xact_lock(hashtextextended('wgfleet:audit-chain', 0))`);
  }

  /** The last sealed event, or null while nothing is. */
  async chainHead(em: EntityManager): Promise<ChainHead | null> {
    const [head] = await boundQuery<{ seq: string; hash: string }>(
      em,
      'select seq::text as seq, hash from events where seq is not null order by events.seq desc limit 1',
    );
    return head ? { seq: Number(head.seq), hash: head.hash } : null;
  }

  /** Committed events not sealed yet, oldest position first. */
  unsealed(em: EntityManager, limit: number): Promise<ChainRow[]> {
    return boundQuery<ChainRow>(
      em,
      `select ${CHAIN_COLUMNS} from events where seq is null order by events.position limit ?`,
      [limit],
    );
  }

  /** Gives each event its seq and hash (the trigger allows exactly this, once per row). */
  async seal(em: EntityManager, seals: readonly Seal[]): Promise<void> {
    await boundQuery(
      em,
      `update events e set seq = s.seq, hash = s.hash
       from jsonb_to_recordset(?::jsonb) as s(position bigint, seq bigint, hash text)
       where e.position = s.position`,
      [JSON.stringify(seals)],
    );
  }

  /** Sealed events after `afterSeq`, in chain order. */
  async chainedAfter(
    em: EntityManager,
    afterSeq: number,
    limit: number,
  ): Promise<Array<ChainRow & { seq: number; hash: string }>> {
    const rows = await boundQuery<ChainRow & { seq: string; hash: string }>(
      em,
      `select ${CHAIN_COLUMNS}, seq::text as seq, hash from events
       where seq > ? order by events.seq limit ?`,
      [afterSeq, limit],
    );
    return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
  }
}
