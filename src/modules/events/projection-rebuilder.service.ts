import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { EventRecord } from './event-record.entity';
import { EventsStore } from './events.store';
import { Projections } from './projections';
import { recordedEvent, replayBatches } from './recorded-event';

const BATCH = 1000;

/** Throws away every read model and replays the whole log, in one transaction so readers never see half. */
@Injectable()
export class ProjectionRebuilder {
  private readonly logger = new Logger(ProjectionRebuilder.name);

  constructor(
    private readonly em: EntityManager,
    private readonly projections: Projections,
    private readonly store: EventsStore,
  ) {}

  async rebuild(): Promise<{ events: number }> {
    const tables = this.projections.tables();
    let events = 0;
    await this.em.fork().transactional(async (em) => {
      await this.store.truncate(em, tables);
      let after = '0';
      for (;;) {
        const rows = await em.find(
          EventRecord,
          { position: { $gt: after } },
          { orderBy: { position: 'asc' }, limit: BATCH, disableIdentityMap: true },
        );
        for (const batch of replayBatches(rows.map(recordedEvent))) await this.projections.handle(em, batch);
        events += rows.length;
        if (rows.length < BATCH) break;
        after = rows[rows.length - 1].position;
      }
    });
    this.logger.log({ events, tables }, 'projections rebuilt from the event log');
    return { events };
  }
}
