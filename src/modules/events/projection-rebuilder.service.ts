import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { EventRecord } from './event-record.entity';
import { EventsStore } from './events.store';
import { ProjectionRegistry } from './projection-registry';

const BATCH = 1000;

/** Throws away every read model and replays the whole log, in one transaction so readers never see half. */
@Injectable()
export class ProjectionRebuilder {
  private readonly logger = new Logger(ProjectionRebuilder.name);

  constructor(
    private readonly em: EntityManager,
    private readonly projections: ProjectionRegistry,
    private readonly store: EventsStore,
  ) {}

  async rebuild(): Promise<{ events: number }> {
    const tables = [...new Set(this.projections.all().flatMap((projection) => projection.tables))];
    let events = 0;
    await this.em.fork().transactional(async (em) => {
      await this.store.truncate(em, tables);
      let after = '0';
      for (;;) {
        const batch = await em.find(
          EventRecord,
          { position: { $gt: after } },
          { orderBy: { position: 'asc' }, limit: BATCH, disableIdentityMap: true },
        );
        for (const event of batch) await this.projections.apply(em, event);
        events += batch.length;
        if (batch.length < BATCH) break;
        after = batch[batch.length - 1].position;
      }
    });
    this.logger.log({ events, tables }, 'projections rebuilt from the event log');
    return { events };
  }
}
