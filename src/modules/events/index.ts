export { DESIRED_STATE_CHANGED, DesiredStateChanges } from './desired-state-changes';
export type { DomainEvent, NewEvent, RecordedEvent } from './domain-event';
export { EventChain } from './event-chain.service';
export type { ChainHead } from './domain/event-chain';
export { EventRecord } from './event-record.entity';
export { EventStore } from './event-store.service';
export type { Appended } from './event-store.service';
export { PROJECTIONS } from './projections';
export type { Projection } from './projections';
