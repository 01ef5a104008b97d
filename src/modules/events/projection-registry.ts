import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { EventRecord } from './event-record.entity';

/**
 * A projection turns events into read-model rows. It must depend on nothing but the events it is given,
 * so that replaying the log rebuilds exactly what live commands built.
 */
export interface Projection {
  readonly name: string;
  /** Tables it owns, emptied before a rebuild (in this order). */
  readonly tables: readonly string[];
  handles(event: EventRecord): boolean;
  apply(em: EntityManager, event: EventRecord): Promise<void>;
  /** Optional bulk form, for events a projection can write with one statement per table. */
  applyMany?(em: EntityManager, events: EventRecord[]): Promise<void>;
}

@Injectable()
export class ProjectionRegistry {
  private readonly projections: Projection[] = [];

  register(projection: Projection): void {
    this.projections.push(projection);
  }

  async apply(em: EntityManager, event: EventRecord): Promise<void> {
    for (const projection of this.projections) {
      if (projection.handles(event)) await projection.apply(em, event);
    }
  }

  /** Same result as applying each event in order; projections with a bulk form write in one go. */
  async applyMany(em: EntityManager, events: EventRecord[]): Promise<void> {
    for (const projection of this.projections) {
      const handled = events.filter((event) => projection.handles(event));
      if (handled.length === 0) continue;
      if (projection.applyMany) await projection.applyMany(em, handled);
      else for (const event of handled) await projection.apply(em, event);
    }
  }

  all(): readonly Projection[] {
    return this.projections;
  }
}
