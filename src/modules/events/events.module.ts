import { Global, Module } from '@nestjs/common';
import { DesiredStateChanges } from './desired-state-changes';
import { EventChain } from './event-chain.service';
import { EventStore } from './event-store.service';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { EventsStore } from './events.store';
import { ProjectionRebuilder } from './projection-rebuilder.service';
import { Projections } from './projections';
import { EventRecord } from './event-record.entity';

/** The tables this module owns, for MikroORM (`src/entities.ts`). */
export const EVENTS_ENTITIES = [EventRecord];

@Global()
@Module({
  controllers: [EventsController],
  providers: [
    EventStore,
    EventsStore,
    EventsService,
    Projections,
    ProjectionRebuilder,
    DesiredStateChanges,
    EventChain,
  ],
  exports: [EventStore, ProjectionRebuilder, DesiredStateChanges, EventChain],
})
export class EventsModule {}
