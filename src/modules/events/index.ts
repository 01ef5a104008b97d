export { DesiredStateChanges } from './desired-state-changes';
export { EventChain } from './event-chain.service';
export type { ChainHead } from './domain/event-chain';
export { EventRecord } from './event-record.entity';
export { EventStore } from './event-store.service';
export type { NewEvent } from './event-store.service';
export { ProjectionRegistry } from './projection-registry';
export type { Projection } from './projection-registry';
