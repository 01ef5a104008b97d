export { DesiredStateChanges } from './desired-state-changes';
export { EventRecord } from './event-record.entity';
export { EventStore } from './event-store.service';
export type { NewEvent } from './event-store.service';
export { ProjectionRegistry } from './projection-registry';
export type { Projection } from './projection-registry';
