import type { RecordedEvent } from './domain-event';
import { replayBatches } from './recorded-event';

const event = (type: string, aggregateId: string, position: number): RecordedEvent => ({
  aggregateType: 'peer',
  aggregateId,
  type,
  payload: {},
  version: 1,
  position: String(position),
  metadata: { actor_token_id: null, request_id: null },
  createdAt: new Date(0),
  actor: null,
});

const shape = (batches: RecordedEvent[][]) => batches.map((batch) => batch.map((e) => e.position));

describe('replayBatches', () => {
  it('keeps a run of one type over distinct aggregates together', () => {
    const log = [event('peer.created', 'a', 1), event('peer.created', 'b', 2), event('peer.created', 'c', 3)];
    expect(shape(replayBatches(log))).toEqual([['1', '2', '3']]);
  });

  it('cuts where the type changes or an aggregate comes back, so no projection sees a later event first', () => {
    const log = [
      event('peer.created', 'a', 1),
      event('peer.updated', 'a', 2),
      event('peer.updated', 'b', 3),
      event('peer.updated', 'a', 4),
      event('node.deleted', 'n', 5),
    ];
    expect(shape(replayBatches(log))).toEqual([['1'], ['2', '3'], ['4'], ['5']]);
  });

  it('answers no batch for no events', () => {
    expect(replayBatches([])).toEqual([]);
  });
});
