import { FilterQuery } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Page } from '../../common/http/api-responses';
import { EventRecord } from './event-record.entity';
import { EventView, toEventView } from './event-view';
import { ListEventsQuery } from './events.dto';
import { recordedEvent } from './recorded-event';

@Injectable()
export class EventsService {
  constructor(private readonly em: EntityManager) {}

  async list(query: ListEventsQuery): Promise<Page<EventView>> {
    const limit = query.limit ?? 100;
    const where: FilterQuery<EventRecord> = {};
    if (query.aggregate_id) where.aggregateId = query.aggregate_id;
    if (query.type) where.type = query.type;
    if (query.actor || query.actor_kind) {
      where.actor = {
        ...(query.actor ? { id: query.actor } : {}),
        ...(query.actor_kind ? { kind: query.actor_kind } : {}),
      };
    }
    if (query.after || query.before) {
      where.position = {
        ...(query.after ? { $gt: query.after } : {}),
        ...(query.before ? { $lt: query.before } : {}),
      };
    }
    const order = query.order ?? 'asc';
    const events = await this.em.fork().find(EventRecord, where, { orderBy: { position: order }, limit });
    const items = events.map((row) => toEventView(recordedEvent(row), row));
    return items.length === limit ? { items, next: items[items.length - 1].position } : { items };
  }
}
