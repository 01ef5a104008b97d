import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { gatherTopic, Reactions } from '../../common/reactions';
import type { DomainEvent, RecordedEvent } from './domain-event';

/**
 * A projection turns events into read-model rows, inline in the transaction that appends them. It must depend
 * on nothing but the events it is given, so that replaying the log rebuilds exactly what live commands built.
 * It always gets a batch: the events of one append (one or many), or a run of the log during a rebuild.
 */
export interface Projection<E extends DomainEvent = DomainEvent> {
  readonly name: string;
  /** Tables it owns, emptied before a rebuild (in this order). */
  readonly tables: readonly string[];
  /** The event types it handles; it is given only these, in log order. */
  readonly canHandle: readonly E['type'][];
  handle(em: EntityManager, events: RecordedEvent<E>[]): Promise<void>;
}

/** Modules owning read models contribute their projections here at start-up; they run in that order. */
export const PROJECTIONS = gatherTopic<Projection>('events.projections');

interface ProjectionHandler {
  projection: Projection;
  types: ReadonlySet<string>;
}

/** Hands each batch of appended (or replayed) events to every projection that handles some of them. */
@Injectable()
export class Projections {
  private handlers: ProjectionHandler[] = [];

  constructor(private readonly reactions: Reactions) {}

  async handle(em: EntityManager, events: readonly RecordedEvent[]): Promise<void> {
    for (const { projection, types } of this.current()) {
      const handled = events.filter((event) => types.has(event.type));
      if (handled.length > 0) await projection.handle(em, handled);
    }
  }

  /** Every projection's tables, for a rebuild to empty. */
  tables(): string[] {
    return [...new Set(this.current().flatMap(({ projection }) => projection.tables))];
  }

  private current(): ProjectionHandler[] {
    const projections = this.reactions.gather(PROJECTIONS);
    if (projections.length !== this.handlers.length) {
      this.handlers = projections.map((projection) => ({ projection, types: new Set(projection.canHandle) }));
    }
    return this.handlers;
  }
}
