import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Projection, RecordedEvent } from '../events';
import { TemplateEntity, TemplateVersionEntity } from './template.entity';
import { TEMPLATE_CREATED, TEMPLATE_DELETED, TEMPLATE_UPDATED, TemplateEvent } from './template.events';

@Injectable()
export class TemplateProjection implements Projection<TemplateEvent> {
  readonly name = 'templates';
  readonly tables = ['templates', 'template_versions'];
  readonly canHandle = [TEMPLATE_CREATED, TEMPLATE_UPDATED, TEMPLATE_DELETED] as const;

  async handle(em: EntityManager, events: RecordedEvent<TemplateEvent>[]): Promise<void> {
    for (const event of events) await this.apply(em, event);
  }

  private async apply(em: EntityManager, event: RecordedEvent<TemplateEvent>): Promise<void> {
    const id = event.aggregateId;
    switch (event.type) {
      case TEMPLATE_CREATED:
        await em.insert(TemplateEntity, {
          id,
          name: event.payload.name,
          version: event.version,
          createdAt: event.createdAt,
          updatedAt: event.createdAt,
        });
        await this.insertVersion(em, event);
        return;
      case TEMPLATE_UPDATED:
        await em.nativeUpdate(
          TemplateEntity,
          { id },
          { name: event.payload.name, version: event.version, updatedAt: event.createdAt },
        );
        await this.insertVersion(em, event);
        return;
      case TEMPLATE_DELETED:
        await em.nativeDelete(TemplateVersionEntity, { templateId: id });
        await em.nativeDelete(TemplateEntity, { id });
        return;
    }
  }

  private async insertVersion(
    em: EntityManager,
    event: RecordedEvent<Exclude<TemplateEvent, { type: typeof TEMPLATE_DELETED }>>,
  ): Promise<void> {
    await em.insert(TemplateVersionEntity, {
      templateId: event.aggregateId,
      version: event.version,
      settings: event.payload.settings,
      createdAt: event.createdAt,
    });
  }
}
