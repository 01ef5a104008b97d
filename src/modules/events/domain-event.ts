import type { ActorRef } from '@wgfleet/protocol';
import type { AggregateType, EventMetadata } from './event-record.entity';

/**
 * One kind of event of one aggregate: its `type` names the shape of its `payload` (emmett's Event<Type, Data>).
 * Each aggregate's module declares the union of its events; `EventStore.append` is generic over that union, so
 * a payload that does not match its type does not compile. Payload types never import entities.
 */
export interface DomainEvent<
  Aggregate extends AggregateType = AggregateType,
  Type extends string = string,
  Payload extends object = object,
> {
  readonly aggregateType: Aggregate;
  readonly type: Type;
  readonly payload: Payload;
}

/** An event as a command hands it to the store (a union stays a union of complete events). */
export type NewEvent<E extends DomainEvent = DomainEvent> = E & { readonly aggregateId: string };

/** An event as the log holds it: what was appended, with its place in the log and its origin. */
export type RecordedEvent<E extends DomainEvent = DomainEvent> = E & {
  readonly aggregateId: string;
  readonly version: number;
  readonly position: string;
  readonly metadata: EventMetadata;
  readonly createdAt: Date;
  readonly actor: ActorRef | null;
};
