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

  all(): readonly Projection[] {
    return this.projections;
  }
}
