import type { RecordedEvent } from './domain-event';
import type { EventRecord } from './event-record.entity';

/**
 * The one place a row of the log becomes an event again (the API's listing, a projection rebuild). Its type
 * and payload are what `EventStore.append` wrote, typed by the aggregate's union at that time; projections
 * are handed only the types they declare.
 */
export function recordedEvent(row: EventRecord): RecordedEvent {
  return {
    aggregateType: row.aggregateType,
    aggregateId: row.aggregateId,
    type: row.type,
    payload: row.payload,
    version: row.version,
    position: row.position,
    metadata: row.metadata,
    createdAt: row.createdAt,
    actor: row.actor,
  };
}

/**
 * Splits a stretch of the log into the batches a rebuild projects: consecutive events of one type, with no
 * aggregate twice, so that each projection sees what it saw live (a projection reading a table another one
 * writes, like pending removals reading a peer's earlier keys, never sees a later event's rows).
 */
export function replayBatches(events: readonly RecordedEvent[]): RecordedEvent[][] {
  const batches: RecordedEvent[][] = [];
  let batch: RecordedEvent[] = [];
  let aggregates = new Set<string>();
  for (const event of events) {
    if (batch.length > 0 && (batch[0].type !== event.type || aggregates.has(event.aggregateId))) {
      batches.push(batch);
      batch = [];
      aggregates = new Set();
    }
    batch.push(event);
    aggregates.add(event.aggregateId);
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
