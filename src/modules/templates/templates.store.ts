import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { afterCursor, Cursor } from '../../common/http/cursor';
import { TemplateEntity, TemplateVersionEntity } from './template.entity';

/** The templates module's statements on its tables (the projection writes them, from the templates' events). */
@Injectable()
export class TemplatesStore {
  find(em: EntityManager, id: string): Promise<TemplateEntity | null> {
    return em.findOne(TemplateEntity, { id });
  }

  /**
   * The template, its row locked until the transaction ends: `write` by the commands that change or delete it,
   * `read` by a node pinning one of its versions, so a delete waits for the pin and then counts it.
   */
  findLocked(em: EntityManager, id: string, mode: 'read' | 'write'): Promise<TemplateEntity | null> {
    return em.findOne(
      TemplateEntity,
      { id },
      { lockMode: mode === 'write' ? LockMode.PESSIMISTIC_WRITE : LockMode.PESSIMISTIC_READ },
    );
  }

  async nameTaken(em: EntityManager, name: string, exceptId: string): Promise<boolean> {
    return (await em.findOne(TemplateEntity, { name, id: { $ne: exceptId } }, { fields: ['id'] })) !== null;
  }

  page(em: EntityManager, cursor: Cursor | undefined, limit: number): Promise<TemplateEntity[]> {
    return em.find(TemplateEntity, afterCursor(cursor), { orderBy: { createdAt: 'asc', id: 'asc' }, limit });
  }

  version(em: EntityManager, templateId: string, version: number): Promise<TemplateVersionEntity | null> {
    return em.findOne(TemplateVersionEntity, { templateId, version });
  }

  /** The latest version of each of these templates. */
  latestVersions(em: EntityManager, templates: readonly TemplateEntity[]): Promise<TemplateVersionEntity[]> {
    if (templates.length === 0) return Promise.resolve([]);
    return em.find(TemplateVersionEntity, {
      $or: templates.map((template) => ({ templateId: template.id, version: template.version })),
    });
  }
}
