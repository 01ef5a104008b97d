import type { EntityManager } from '@mikro-orm/postgresql';
import { NODE_UPDATED, type NodeEvent } from '../nodes/node.events';
import { PEER_SUSPENDED, type PeerEvent } from '../peers/peer.events';
import type { EventStore } from './event-store.service';
import { systemContext } from '../../common/auth/auth.decorators';

const context = systemContext('node-agents');

/** Never run: these lines only have to compile (or, where marked, fail to). */
export function appendsThatCompile(store: EventStore, em: EntityManager): void {
  void store.append<NodeEvent>(
    em,
    { aggregateType: 'node', aggregateId: 'n', type: NODE_UPDATED, payload: { changes: { name: 'a' } } },
    1,
    context,
  );
  void store.append<PeerEvent>(
    em,
    {
      aggregateType: 'peer',
      aggregateId: 'p',
      type: PEER_SUSPENDED,
      // @ts-expect-error a suspension's reason is one of the suspended reasons
      payload: { node_id: 'n', reason: 'bored' },
    },
    1,
    context,
  );
  void store.append<NodeEvent>(
    em,
    // @ts-expect-error node.updated carries its changes, not a node state
    { aggregateType: 'node', aggregateId: 'n', type: NODE_UPDATED, payload: { name: 'a' } },
    1,
    context,
  );
  void store.append<NodeEvent>(
    em,
    // @ts-expect-error a node's event belongs to a node's stream
    { aggregateType: 'peer', aggregateId: 'n', type: NODE_UPDATED, payload: { changes: {} } },
    1,
    context,
  );
  // @ts-expect-error without the aggregate's event union nothing can be appended
  void store.append(em, { aggregateType: 'node', aggregateId: 'n', type: 'x', payload: {} }, 1, context);
}

describe('EventStore typing', () => {
  it('type-checks appends against the aggregate’s event union (the checks are the compile above)', () => {
    expect(appendsThatCompile).toBeInstanceOf(Function);
  });
});
